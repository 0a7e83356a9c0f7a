"""The built wheel is what a QA team installs: the plugin with its entry point, the three servers, no tests."""

import zipfile
from pathlib import Path

import pytest

# One worker builds the wheel for this module and tests/gadget_plugin/test_packaging.py (conftest.built_wheel).
pytestmark = pytest.mark.xdist_group("built_wheel")


@pytest.fixture()
def wheel(built_wheel):
    """The wheel built from the working tree (the session's ``built_wheel``)."""
    return built_wheel


def wheel_files(wheel):
    """Every file name in the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def wheel_text(wheel, suffix):
    """The text of the one file in the wheel whose name ends with ``suffix``."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(name).decode()


def test_wheel_registers_the_harness_as_a_pytest11_entry_point(wheel):
    entry_points = wheel_text(wheel, ".dist-info/entry_points.txt")
    assert "[pytest11]\nfinesse_harness = finesse_harness.plugin" in entry_points


def test_wheel_ships_the_plugin_the_servers_and_the_gadget_spec(wheel):
    files = wheel_files(wheel)
    for expected in [
        "finesse_harness/plugin.py",
        "finesse_harness/desktop.py",
        "finesse_harness/py.typed",
        "gadget_plugin/gadget.xml",
        "mock_finesse/__init__.py",
        "mock_controlhub/__init__.py",
        "mock_core/__init__.py",
    ]:
        assert expected in files


def test_wheel_ships_no_test_modules_and_not_the_projects_own_e2e_package(wheel):
    files = wheel_files(wheel)
    top_level = {name.split("/")[0] for name in files if "/" in name and ".dist-info/" not in name}
    assert top_level == {"finesse_harness", "gadget_plugin", "mock_finesse", "mock_controlhub", "mock_core"}
    assert [n for n in files if Path(n).name.startswith("test_") or Path(n).name == "conftest.py"] == []


def test_wheel_marks_the_typed_mock_finesse_for_type_checkers(wheel):
    """mock_finesse carries type hints on every function (mypy in CI); its PEP 561 marker lets a QA team's
    type checker read them instead of treating the package as untyped."""
    assert "mock_finesse/py.typed" in wheel_files(wheel)
