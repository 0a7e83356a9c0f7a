"""The house keeps its shape: no import cycle inside a package, no module over 400 lines, imports at the top.

Every import counts for cycles, at module level or inside a function, so a cycle cannot hide behind a late
import; and imports stand at the top of the module (the brief: no function-level imports to dodge a cycle).
Our finesse.js re-implementation is the one module allowed to be longer (it mirrors Cisco's library).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["gadget_plugin", "mock_finesse", "mock_controlhub", "mock_core", "finesse_harness", "bench"]
MAX_LINES = 400
LONG_MODULES_ALLOWED = {"mock_finesse/static/finesse/finesse.js"}
# Where every import stands at module level: the five packages, the benchmarks, this project's tests and
# scripts, the example project.
TOP_IMPORT_ROOTS = [*PACKAGES, "tests", "e2e", "examples", "conftest.py"]
# (module path, imported module) -> why that import has to stay inside its function. Empty today: an entry
# needs a real reason (an optional dependency, an import only a subprocess makes), never a cycle to dodge.
LATE_IMPORTS_ALLOWED: dict[tuple[str, str], str] = {}


def module_names(package):
    """Map each dotted module name of ``package`` to its source path."""
    names = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        names[name] = path
    return names


def imported_modules(name, path, known):
    """The modules of ``known`` that the module ``name`` at ``path`` imports, anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            candidates = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(c for c in candidates if c in known and c != name)
    return found


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return result


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle_inside_a_package(package):
    known = module_names(package)
    # A package's __init__ re-exporting its factory is the one edge that may point back up.
    graph = {name: imported_modules(name, path, known) - {package} for name, path in known.items()}
    assert cycles(graph) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_over_400_lines(package):
    too_long = []
    for path in (ROOT / package).rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix in (".py", ".js") and relative not in LONG_MODULES_ALLOWED:
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{relative}: {lines} lines")
    assert too_long == []


def late_imports(source):
    """``(line, module)`` of each import statement inside a function or a class body of ``source``
    (relative modules keep their dots: ``from . import x`` is ``.``)."""
    found = []

    def visit(node, nested):
        for child in ast.iter_child_nodes(node):
            if nested and isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif nested and isinstance(child, ast.ImportFrom):
                found.append((child.lineno, "." * child.level + (child.module or "")))
            visit(child, nested or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))

    visit(ast.parse(source), False)
    return found


def late_imports_under(base, root, allowed):
    """``path:line imports module`` for each late import in the Python files of ``base/root`` not in ``allowed``."""
    start = base / root
    lines = []
    for path in sorted([start] if start.is_file() else start.rglob("*.py")):
        relative = path.relative_to(base).as_posix()
        for line, module in late_imports(path.read_text(encoding="utf-8")):
            if (relative, module) not in allowed:
                lines.append(f"{relative}:{line} imports {module} inside a function or class")
    return lines


@pytest.mark.parametrize("root", TOP_IMPORT_ROOTS)
def test_imports_stand_at_the_top_of_the_module(root):
    assert late_imports_under(ROOT, root, LATE_IMPORTS_ALLOWED) == []


LATE_SAMPLE = """
import os

try:
    import slixmpp
except ImportError:
    slixmpp = None


def handler():
    from flask import request

    return request


class Late:
    import json


async def later():
    if os.environ:
        from . import sibling as s
"""


def test_the_import_check_reports_imports_in_functions_and_classes_not_at_module_level():
    assert late_imports(LATE_SAMPLE) == [(11, "flask"), (17, "json"), (22, ".")]


def test_the_import_check_fails_on_a_late_import_unless_the_allow_list_names_it(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "views.py").write_text(LATE_SAMPLE, encoding="utf-8")
    assert late_imports_under(tmp_path, "pkg", {}) == [
        "pkg/views.py:11 imports flask inside a function or class",
        "pkg/views.py:17 imports json inside a function or class",
        "pkg/views.py:22 imports . inside a function or class",
    ]
    allowed = {("pkg/views.py", "flask"): "sample", ("pkg/views.py", "json"): "sample", ("pkg/views.py", "."): "x"}
    assert late_imports_under(tmp_path, "pkg", allowed) == []
