"""pytest-playwright's options reach the browser: the plugin adds only the system Chromium's path, and only when
Playwright's own Chromium is absent (each inner run is a pytest session of its own, found through the entry points
alone); a headless run gets the system's headless shell when it is installed, as Playwright's own headless runs
do."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

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
INDIRECT_LAUNCH_ARGS = PRINT_LAUNCH_ARGS.replace(
    "def test_print",
    "import pytest\n\n@pytest.mark.parametrize('browser_type_launch_args', [{'slow_mo': 7}], indirect=True)\n"
    "def test_print",
)
REAL_PAGE = """
def test_page(page):
    page.set_content("<p>hello</p>")
    assert page.inner_text("p") == "hello"
"""
# Every inner session runs in one Python process, one after another (pytest.main each time, found through the
# entry points alone): nine fresh processes cost as many interpreter and plugin start-ups, about 1.5 CPU-s each.
# A session may first create a stand-in for Playwright's own Chromium ("own_chromium") before it starts.
RUNNER = """
import contextlib, io, json, os, sys
import pytest
from playwright.sync_api import sync_playwright

results = {}
for run in json.load(sys.stdin):
    os.chdir(run["dir"])
    saved = dict(os.environ)
    os.environ.update(run["env"])
    if run["own_chromium"]:
        with sync_playwright() as playwright:
            own = playwright.chromium.executable_path
        os.makedirs(os.path.dirname(own))
        open(own, "w").close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = pytest.main(["-s", "-p", "no:cacheprovider", *run["args"]])
    os.environ.clear()
    os.environ.update(saved)
    results[run["name"]] = {"code": int(code), "out": out.getvalue()}
print("RESULTS=" + json.dumps(results))
"""
# name: (pytest arguments, the inner test file, options: "env" to set, "own_chromium": a stand-in for Playwright's
# own Chromium, "installed_browsers": Playwright's browsers folder left as it is)
SESSIONS = {
    "headed_slowmo_channel": (["--headed", "--slowmo", "120", "--browser-channel", "chrome"], PRINT_LAUNCH_ARGS, {}),
    "defaults": ([], PRINT_LAUNCH_ARGS, {}),
    "own_chromium_headed": (["--headed"], PRINT_LAUNCH_ARGS, {"own_chromium": True}),
    "environment_override": (["--slowmo", "5"], PRINT_LAUNCH_ARGS, {"env": {CHROMIUM_ENV: "/opt/chromium/chrome"}}),
    "firefox": (["--browser", "firefox"], PRINT_LAUNCH_ARGS, {}),
    "indirect": ([], INDIRECT_LAUNCH_ARGS, {}),
    "video": (["--video", "on"], PRINT_LAUNCH_ARGS, {}),
    "tracing_screenshots": (["--tracing", "on", "--screenshot", "on", "--output", "out"], REAL_PAGE, {}),
    "fixtures": (["--fixtures"], "def test_nothing():\n    pass\n", {"installed_browsers": True}),
}


@pytest.fixture(scope="module")
def inner(tmp_path_factory):
    """Each of ``SESSIONS`` run in a folder of its own with its test file, in one fresh Python process; by name:
    ``{"code": exit code, "out": what it printed, "dir": its folder}``. Playwright's own browsers are absent (an
    empty PLAYWRIGHT_BROWSERS_PATH per session) unless ``installed_browsers``; no executable override unless the
    session's environment sets one."""
    runs = []
    for name, (args, source, options) in SESSIONS.items():
        folder = tmp_path_factory.mktemp(name)
        (folder / f"test_{name}.py").write_text(source)  # one module name per session: they share sys.modules
        env = {} if options.get("installed_browsers") else {"PLAYWRIGHT_BROWSERS_PATH": str(folder / "ms-playwright")}
        runs.append(
            {
                "name": name,
                "dir": str(folder),
                "args": args,
                "env": {**env, **options.get("env", {})},
                "own_chromium": options.get("own_chromium", False),
            }
        )
    environment = {k: v for k, v in os.environ.items() if k not in (CHROMIUM_ENV, "PYTEST_ADDOPTS")}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER], input=json.dumps(runs), env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads(done.stdout.rsplit("RESULTS=", 1)[1])
    return {run["name"]: {**results[run["name"]], "dir": run["dir"]} for run in runs}


def passed(inner, name):
    """The output of the inner session ``name``, which must have passed."""
    result = inner[name]
    assert result["code"] == 0, result["out"]
    return result["out"]


def printed(inner, name, key):
    """The JSON the inner session ``name`` printed after ``key=``."""
    line = next(line for line in passed(inner, name).splitlines() if key + "=" in line)
    return json.loads(line.split(key + "=", 1)[1])


@needs_system_chromium
def test_headed_slowmo_and_channel_reach_the_launch_args_with_nothing_forced(inner):
    # A channel is a branded browser Playwright finds itself: no executable path, and no --headless flag.
    assert printed(inner, "headed_slowmo_channel", "LAUNCH_ARGS") == {
        "headless": False,
        "slow_mo": 120,
        "channel": "chrome",
    }


@needs_system_chromium
def test_system_chromium_is_launched_only_when_playwrights_own_is_absent(inner):
    assert printed(inner, "defaults", "LAUNCH_ARGS") == {"executable_path": SYSTEM_HEADLESS}


@needs_system_chromium
def test_playwrights_own_chromium_is_launched_when_it_is_installed(inner):
    assert printed(inner, "own_chromium_headed", "LAUNCH_ARGS") == {"headless": False}


@needs_system_chromium
def test_environment_override_names_the_chromium_to_launch(inner):
    assert printed(inner, "environment_override", "LAUNCH_ARGS") == {
        "slow_mo": 5,
        "executable_path": "/opt/chromium/chrome",
    }


@needs_system_chromium
def test_another_browser_gets_no_chromium_path(inner):
    assert printed(inner, "firefox", "LAUNCH_ARGS") == {}


@needs_system_chromium
def test_indirect_parametrization_of_the_launch_args_still_applies(inner):
    assert printed(inner, "indirect", "LAUNCH_ARGS") == {"slow_mo": 7, "executable_path": SYSTEM_HEADLESS}


@needs_system_chromium
def test_video_option_reaches_the_context_args(inner):
    assert "record_video_dir" in printed(inner, "video", "CONTEXT_ARGS")


@needs_system_chromium
def test_tracing_and_screenshots_of_a_real_browser_land_in_the_output_folder(inner):
    passed(inner, "tracing_screenshots")
    out = Path(inner["tracing_screenshots"]["dir"]) / "out"
    written = sorted(p.name for p in out.rglob("*") if p.is_file())
    assert "trace.zip" in written
    assert any(name.endswith(".png") for name in written)


@needs_system_chromium
def test_harness_fixtures_are_there_without_a_p_flag(inner):
    lines = passed(inner, "fixtures").splitlines()
    fixtures = {line.split()[0] for line in lines if line and not line.startswith(" ")}
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
