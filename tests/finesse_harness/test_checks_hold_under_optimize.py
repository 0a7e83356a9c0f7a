"""The harness's checks hold under ``python -O``: the shipped plugin code (QA teams run it, some with
``PYTHONOPTIMIZE``) checks with explicit raises of its own HarnessError, never a plain ``assert`` that -O strips."""

import ast
import pathlib
import subprocess
import sys

import finesse_harness

PACKAGE = pathlib.Path(finesse_harness.__file__).parent


def test_the_shipped_harness_has_no_assert_statement():
    """No module of finesse_harness holds an ``assert`` statement (each would vanish under -O)."""
    found = [
        f"{path.name}:{node.lineno}"
        for path in sorted(PACKAGE.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Assert)
    ]
    assert found == []


def test_a_page_without_the_sign_in_form_is_a_harness_error_under_python_o():
    """Under ``python -O`` the sign-in helper still says what it expected and what came, as HarnessError."""
    script = (
        "from finesse_harness.desktop import signin_form\n"
        "from finesse_harness.errors import HarnessError\n"
        "try:\n"
        "    signin_form('<html><body><p>Service unavailable</p></body></html>')\n"
        "except HarnessError as exc:\n"
        "    print('HarnessError:', exc)\n"
    )
    run = subprocess.run([sys.executable, "-O", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("HarnessError: the sign-in page: expected a form.signin-form"), run.stdout
