"""Which Chromium Playwright launches: Playwright's own when it is installed, else the system one
(``$PLAYWRIGHT_CHROMIUM_EXECUTABLE`` overrides both).

No extra command-line flags: Playwright already launches Chromium with ``--headless`` (unless headed) and, as
its ``chromiumSandbox`` option is off by default, with ``--no-sandbox``, which running as root in a container
needs; it also turns off background networking, component updates, sync and the first-run screens.
"""

import os
from typing import Any

from playwright.sync_api import Browser, BrowserType, Playwright

CHROMIUM_ENV = "PLAYWRIGHT_CHROMIUM_EXECUTABLE"
SYSTEM_CHROMIUM = "/usr/bin/chromium"


def chromium_executable(playwright_executable: str) -> str | None:
    """The Chromium to launch instead of Playwright's own (at ``playwright_executable``): ``$PLAYWRIGHT_CHROMIUM_
    EXECUTABLE`` when set; else the system Chromium when Playwright's own is not installed; else None."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override
    if not os.path.exists(playwright_executable) and os.path.exists(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    return None


def launch_args(base: dict[str, Any], browser_type: BrowserType) -> dict[str, Any]:
    """``base`` launch arguments plus ``executable_path`` where ``chromium_executable`` names one; ``base``
    unchanged for another browser, a browser channel (``--browser-channel``) or an executable path already set."""
    if browser_type.name != "chromium" or "channel" in base or "executable_path" in base:
        return base
    executable = chromium_executable(browser_type.executable_path)
    return {**base, "executable_path": executable} if executable else base


def launch_chromium(playwright: Playwright, **options: Any) -> Browser:
    """Launch Chromium for a script (screenshots, benchmarks) as the plugin does for tests: headless unless
    ``headless=False``, the system Chromium when Playwright's own is absent."""
    return playwright.chromium.launch(**launch_args(options, playwright.chromium))
