"""pytest plugin of the end-to-end kit: system Chromium for Playwright, and the harness servers.

Loaded for the whole project through ``-p e2e.fixtures`` (pyproject ``addopts``). Anyone testing their own
gadget can load it the same way.
"""
import os

import pytest

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system Chromium (``$PLAYWRIGHT_CHROMIUM_EXECUTABLE`` overrides the path): no download."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get(CHROMIUM_ENV, CHROMIUM_DEFAULT),
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_FLAGS],
    }


class HarnessServer:
    """A started mock server: its base URL, its Flask app, and a ``reset()`` through its control API."""

    def __init__(self, thread, app):
        self.thread = thread
        self.app = app
        self.url = thread.url

    def reset(self):
        """``POST /_mock/reset`` over HTTP, as any test client would."""
        import requests

        requests.post(self.url + "/_mock/reset", timeout=10).raise_for_status()


@pytest.fixture(scope="session")
def controlhub_server():
    """The mock Control Hub + Context Service, on a free port, for the whole run (in-memory SQLite)."""
    from mock_controlhub import create_app

    from .servers import ServerThread

    app = create_app({"DATABASE": ":memory:"})
    thread = ServerThread(app).start()
    yield HarnessServer(thread, app)
    thread.stop()


@pytest.fixture()
def controlhub(controlhub_server):
    """The mock cloud, reset before the test."""
    controlhub_server.reset()
    return controlhub_server


@pytest.fixture(scope="session")
def finesse_server(tmp_path_factory):
    """The mock Finesse, on a free port, for the whole run; ``.gadget_dir`` is its /3rdpartygadget/files/ folder."""
    from mock_finesse import create_app

    from .servers import ServerThread

    gadget_dir = tmp_path_factory.mktemp("3rdpartygadget")
    app = create_app({"GADGET_FILES_DIR": str(gadget_dir), "LAYOUTS_DIR": ""})
    thread = ServerThread(app).start()
    server = HarnessServer(thread, app)
    server.gadget_dir = gadget_dir
    yield server
    thread.stop()


@pytest.fixture()
def finesse(finesse_server):
    """The mock Finesse, reset before the test (agents signed out, no dialogs, default layouts)."""
    finesse_server.reset()
    return finesse_server
