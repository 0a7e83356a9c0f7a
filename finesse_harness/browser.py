"""Which Chromium Playwright launches: the system one (``$PLAYWRIGHT_CHROMIUM_EXECUTABLE``, else
``/usr/bin/chromium``) with flags for a container."""
import os

CHROMIUM_ENV = "PLAYWRIGHT_CHROMIUM_EXECUTABLE"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_args(base):
    """``base`` launch arguments with the system Chromium (``$PLAYWRIGHT_CHROMIUM_EXECUTABLE`` overrides the
    path) and its container flags: no browser download."""
    return {
        **base,
        "executable_path": os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT),
        "args": [*base.get("args", []), *CHROMIUM_FLAGS],
    }
