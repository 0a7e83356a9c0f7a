"""pytest-playwright's options reach the browser: the plugin adds only the system Chromium's path, and only when
Playwright's own Chromium is absent (each run is a fresh pytest process, found through the entry points alone); a
headless run gets the system's headless shell when it is installed, as Playwright's own headless runs do."""

import json
import os
import subprocess
import sys
import types

import pytest

from finesse_harness import browser
from finesse_harness.browser import (
    CHROMIUM_ENV,
    SYSTEM_CHROMIUM,
    SYSTEM_HEADLESS_SHELL,
    chromium_executable,
    launch_args,
)

needs_system_chromium = pytest.mark.skipif(not os.path.exists(SYSTEM_CHROMIUM), reason="needs the system Chromium")
# What a headless run launches on this machine: the headless shell where Debian's package is installed.
SYSTEM_HEADLESS = SYSTEM_HEADLESS_SHELL if os.path.exists(SYSTEM_HEADLESS_SHELL) else SYSTEM_CHROMIUM

PRINT_LAUNCH_ARGS = """
import json

def test_print(browser_type_launch_args, browser_context_args):
    print("LAUNCH_ARGS=" + json.dumps(browser_type_launch_args))
    print("CONTEXT_ARGS=" + json.dumps(sorted(browser_context_args)))
"""


@pytest.fixture()
def no_playwright_browsers(tmp_path, monkeypatch):
    """Playwright's own browsers absent (an empty PLAYWRIGHT_BROWSERS_PATH), no executable override."""
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    return tmp_path / "ms-playwright"


def printed(result, key):
    """The JSON the inner test printed after ``key=``."""
    line = next(line for line in result.outlines if key + "=" in line)
    return json.loads(line.split(key + "=", 1)[1])


def run_inner(pytester, *args, source=PRINT_LAUNCH_ARGS):
    """Run ``source`` as a test file in a fresh pytest process with ``args``; the passed result."""
    pytester.makepyfile(test_inner=source)
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider", *args)
    assert result.ret == 0, "\n".join(result.outlines + result.errlines)
    return result


@needs_system_chromium
def test_headed_slowmo_and_channel_reach_the_launch_args_with_nothing_forced(pytester, no_playwright_browsers):
    result = run_inner(pytester, "--headed", "--slowmo", "120", "--browser-channel", "chrome")
    # A channel is a branded browser Playwright finds itself: no executable path, and no --headless flag.
    assert printed(result, "LAUNCH_ARGS") == {"headless": False, "slow_mo": 120, "channel": "chrome"}


@needs_system_chromium
def test_system_chromium_is_launched_only_when_playwrights_own_is_absent(pytester, no_playwright_browsers):
    result = run_inner(pytester)
    assert printed(result, "LAUNCH_ARGS") == {"executable_path": SYSTEM_HEADLESS}


@needs_system_chromium
def test_playwrights_own_chromium_is_launched_when_it_is_installed(pytester, no_playwright_browsers):
    # Asked in a process of its own: a Playwright may already run in this one (pytest-playwright's fixture).
    own = subprocess.run(
        [
            sys.executable,
            "-c",
            "from playwright.sync_api import sync_playwright\n"
            "with sync_playwright() as p: print(p.chromium.executable_path)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    os.makedirs(os.path.dirname(own))
    open(own, "w").close()
    result = run_inner(pytester, "--headed")
    assert printed(result, "LAUNCH_ARGS") == {"headless": False}


@needs_system_chromium
def test_environment_override_names_the_chromium_to_launch(pytester, no_playwright_browsers, monkeypatch):
    monkeypatch.setenv(CHROMIUM_ENV, "/opt/chromium/chrome")
    result = run_inner(pytester, "--slowmo", "5")
    assert printed(result, "LAUNCH_ARGS") == {"slow_mo": 5, "executable_path": "/opt/chromium/chrome"}


@needs_system_chromium
def test_another_browser_gets_no_chromium_path(pytester, no_playwright_browsers):
    result = run_inner(pytester, "--browser", "firefox")
    assert printed(result, "LAUNCH_ARGS") == {}


@needs_system_chromium
def test_indirect_parametrization_of_the_launch_args_still_applies(pytester, no_playwright_browsers):
    source = PRINT_LAUNCH_ARGS.replace(
        "def test_print",
        "import pytest\n\n@pytest.mark.parametrize('browser_type_launch_args', [{'slow_mo': 7}], "
        "indirect=True)\ndef test_print",
    )
    result = run_inner(pytester, source=source)
    assert printed(result, "LAUNCH_ARGS") == {"slow_mo": 7, "executable_path": SYSTEM_HEADLESS}


@needs_system_chromium
def test_video_option_reaches_the_context_args(pytester, no_playwright_browsers):
    result = run_inner(pytester, "--video", "on")
    assert "record_video_dir" in printed(result, "CONTEXT_ARGS")


@needs_system_chromium
def test_tracing_and_screenshots_of_a_real_browser_land_in_the_output_folder(pytester, no_playwright_browsers):
    source = """
def test_page(page):
    page.set_content("<p>hello</p>")
    assert page.inner_text("p") == "hello"
"""
    run_inner(pytester, "--tracing", "on", "--screenshot", "on", "--output", "out", source=source)
    written = sorted(p.name for p in (pytester.path / "out").rglob("*") if p.is_file())
    assert "trace.zip" in written
    assert any(name.endswith(".png") for name in written)


@needs_system_chromium
def test_harness_fixtures_are_there_without_a_p_flag(pytester):
    pytester.makepyfile(test_inner="def test_nothing():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")
    fixtures = {line.split()[0] for line in result.outlines if line and not line.startswith(" ")}
    assert {"controlhub", "finesse", "gadget", "desktop", "gadget_frame", "browser_errors"} <= fixtures


def installed(monkeypatch, *paths):
    """Only ``paths`` exist as far as ``finesse_harness.browser`` can tell; no executable override."""
    monkeypatch.delenv(CHROMIUM_ENV, raising=False)
    monkeypatch.setattr(browser.os.path, "exists", lambda path: path in paths)


def test_a_headless_run_gets_the_headless_shell_when_it_is_installed(monkeypatch):
    installed(monkeypatch, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL)
    assert chromium_executable("/ms-playwright/chrome", headless=True) == SYSTEM_HEADLESS_SHELL


def test_a_headed_run_gets_the_full_chromium_even_with_the_headless_shell_installed(monkeypatch):
    installed(monkeypatch, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL)
    assert chromium_executable("/ms-playwright/chrome", headless=False) == SYSTEM_CHROMIUM


def test_a_headless_run_without_the_headless_shell_gets_the_full_chromium(monkeypatch):
    installed(monkeypatch, SYSTEM_CHROMIUM)
    assert chromium_executable("/ms-playwright/chrome", headless=True) == SYSTEM_CHROMIUM


def test_playwrights_own_chromium_wins_over_the_headless_shell(monkeypatch):
    installed(monkeypatch, "/ms-playwright/chrome", SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL)
    assert chromium_executable("/ms-playwright/chrome", headless=True) is None


def test_no_chromium_at_all_leaves_the_choice_to_playwright(monkeypatch):
    installed(monkeypatch)
    assert chromium_executable("/ms-playwright/chrome", headless=False) is None


def test_headed_launch_args_get_the_full_chromium_and_headless_ones_the_shell(monkeypatch):
    installed(monkeypatch, SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL)
    chromium = types.SimpleNamespace(name="chromium", executable_path="/ms-playwright/chrome")
    assert launch_args({"headless": False, "slow_mo": 5}, chromium) == {
        "headless": False,
        "slow_mo": 5,
        "executable_path": SYSTEM_CHROMIUM,
    }
    assert launch_args({}, chromium) == {"executable_path": SYSTEM_HEADLESS_SHELL}
