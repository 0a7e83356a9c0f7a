"""Which Chromium Playwright launches: Playwright's own when it is installed, else the system one
(``$PLAYWRIGHT_CHROMIUM_EXECUTABLE`` overrides both).

As Playwright does with its own browsers, a headless run gets Chromium's headless shell
(``/usr/bin/chromium-headless-shell``, Debian's package of the same Chromium build without the browser's
interface) and a headed one (``--headed``) the full Chromium; without the headless shell the full Chromium runs
headless too. The shell costs about a third less CPU per desktop sign-in than the full browser in its headless
mode (bench/bench_suite.py ``--sign-ins``), the largest single saving of the suite's time.

No extra command-line flags: Playwright already launches Chromium with ``--headless`` (unless headed) and, as
its ``chromiumSandbox`` option is off by default, with ``--no-sandbox``, which running as root in a container
needs; it also turns off background networking, component updates, sync and the first-run screens.
"""

import os
from typing import Any

from playwright.sync_api import Browser, BrowserType, Playwright

CHROMIUM_ENV = "PLAYWRIGHT_CHROMIUM_EXECUTABLE"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
SYSTEM_HEADLESS_SHELL = "/usr/bin/chromium-headless-shell"


def chromium_executable(playwright_executable: str, headless: bool = True) -> str | None:
    """The Chromium to launch instead of Playwright's own (at ``playwright_executable``): ``$PLAYWRIGHT_CHROMIUM_
    EXECUTABLE`` when set; else, when Playwright's own is not installed, the system's headless shell for a
    ``headless`` run (when installed) or the system Chromium; else None."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override
    if os.path.exists(playwright_executable):
        return None
    candidates = [SYSTEM_HEADLESS_SHELL, SYSTEM_CHROMIUM] if headless else [SYSTEM_CHROMIUM]
    return next((path for path in candidates if os.path.exists(path)), None)


def launch_args(base: dict[str, Any], browser_type: BrowserType) -> dict[str, Any]:
    """``base`` launch arguments plus ``executable_path`` where ``chromium_executable`` names one (headless unless
    ``base`` says ``headless: False``); ``base`` unchanged for another browser, a browser channel
    (``--browser-channel``) or an executable path already set."""
    if browser_type.name != "chromium" or "channel" in base or "executable_path" in base:
        return base
    executable = chromium_executable(browser_type.executable_path, base.get("headless", True))
    return {**base, "executable_path": executable} if executable else base


def launch_chromium(playwright: Playwright, **options: Any) -> Browser:
    """Launch Chromium for a script (screenshots, benchmarks) as the plugin does for tests: headless unless
    ``headless=False``, the system Chromium (its headless shell when headless) when Playwright's own is absent."""
    return playwright.chromium.launch(**launch_args(options, playwright.chromium))
