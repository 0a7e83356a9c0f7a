"""This project's own fixtures and hooks, shared by tests/ and e2e/ (the harness's fixtures come from its plugin)."""

import os
import shutil
import subprocess
import sys
from collections.abc import Generator
from pathlib import Path

import pluggy
import pytest

from e2e.test_gadget.server import SPEC_PATH, create_app
from finesse_harness.handles import allow_gadget_source, allow_make_request
from finesse_harness.servers import ServerThread

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def built_wheel(tmp_path_factory):
    """The wheel built once per session (``pip wheel``) from a copy of the committed and working-tree files (not
    the ignored ones: virtualenv, node_modules, test results). A module using it is marked
    ``pytest.mark.xdist_group("built_wheel")``, so under pytest-xdist one worker builds it for all of them."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.whl"))


@pytest.fixture(scope="session")
def test_gadget_server(finesse_server):
    """The test gadget (e2e/test_gadget/) on its own web server, allow-listed for makeRequest and as a gadget
    source; ``.spec_url``."""
    thread = ServerThread(create_app()).start()
    thread.spec_url = thread.url + SPEC_PATH
    allow_make_request(finesse_server, thread.url)
    allow_gadget_source(finesse_server, thread.url)
    yield thread
    thread.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep the tests of a module that shares a module-scoped fixture together under pytest-xdist (``--dist
    loadgroup`` in pyproject.toml): one worker runs them in one go, so the fixture (the demo's servers, a built
    wheel, a server with special settings) is set up once. Spread over two workers and interleaved with other
    modules, as ``--dist load`` does, it was set up again every time the worker came back to the module."""
    for item in items:
        fixture_info = getattr(item, "_fixtureinfo", None)  # pytest keeps the closure's definitions there
        if fixture_info is None:
            continue
        if any(defs[-1].scope == "module" for defs in fixture_info.name2fixturedefs.values() if defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pluggy.Result, None]:
    """A browser test that fails (in its set-up or its body) leaves a screenshot of every open page in its
    ``--output`` folder, taken at the moment of the failure. Passing tests pay nothing, unlike pytest-playwright's
    ``--screenshot only-on-failure``, which screenshots every page of every test and deletes them after a pass."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "teardown" or not report.failed or item.config.getoption("--screenshot") != "off":
        return
    funcargs = getattr(item, "funcargs", {})
    browser, folder = funcargs.get("browser"), funcargs.get("output_path")
    if browser is None or folder is None:
        return
    pages = [page for context in browser.contexts for page in context.pages if not page.is_closed()]
    for index, page in enumerate(pages, start=1):
        path = os.path.join(folder, f"test-failed-{index}.png")
        try:
            page.screenshot(path=path, timeout=5000)
        except Exception as error:  # a crashed page must not hide the test's own failure
            report.sections.append(("failure screenshot", f"{path}: {error}"))
        else:
            report.sections.append(("failure screenshot", path))
