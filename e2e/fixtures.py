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


# --- gadget side of mock Finesse: the test gadget's web server -----------------------------------------------


def allow_make_request(finesse_server, base_url):
    """Put ``base_url``'s ``host:port`` on the mock Finesse's makeRequest allow-list (MAKEREQUEST_ALLOWLIST)."""
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    origin = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    allowlist = finesse_server.app.config["MAKEREQUEST_ALLOWLIST"]
    if origin not in allowlist:
        allowlist.append(origin)


@pytest.fixture(scope="session")
def test_gadget_server(finesse_server):
    """The test gadget (e2e/test_gadget/) on its own web server, allow-listed for makeRequest; ``.spec_url``."""
    from .servers import ServerThread
    from .test_gadget.server import SPEC_PATH, create_app

    thread = ServerThread(create_app()).start()
    thread.spec_url = thread.url + SPEC_PATH
    allow_make_request(finesse_server, thread.url)
    yield thread
    thread.stop()


class GadgetServer(HarnessServer):
    """The gadget server (``gadget_plugin``), registered with the mock cloud, allowed by the mock Finesse."""

    def __init__(self, thread, app, controlhub_server):
        super().__init__(thread, app)
        self.controlhub_server = controlhub_server

    def register(self):
        """Register with Control Hub through the real flow (admin sign-in, consent) and store the connection data."""
        from gadget_plugin import connection, get_backend
        from gadget_plugin.registration import register_with_admin

        hub = self.controlhub_server.app.config
        data = register_with_admin(self.app.config["REGISTRATION_URL"], self.url + "/registered",
                                   hub["ADMIN_EMAIL"], hub["ADMIN_PASSWORD"])
        connection.store(self.app.config["INSTANCE_PATH"], data)
        get_backend(self.app).reset()

    def reset(self):
        """Drop the gadget server's caches (tokens, verified agents, dictionary, status)."""
        from gadget_plugin import get_backend

        get_backend(self.app).reset()


@pytest.fixture(scope="session")
def gadget_server(controlhub_server, finesse_server, tmp_path_factory):
    """The gadget server on a free port, against the mock cloud and mock Finesse, registered, makeRequest-allowed."""
    from gadget_plugin import create_app

    from .servers import ServerThread

    app = create_app({
        "FINESSE_URLS": [finesse_server.url], "CONTEXT_SERVICE_URL": controlhub_server.url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("gadget-instance")), "CS_TIMEOUT_SECONDS": 2,
        "CS_RETRIES": 1, "CS_BACKOFF_SECONDS": 0.05, "LOG_LEVEL": "WARNING"})
    thread = ServerThread(app).start()
    server = GadgetServer(thread, app, controlhub_server)
    allow_make_request(finesse_server, thread.url)
    yield server
    thread.stop()


@pytest.fixture()
def gadget(gadget_server, controlhub, finesse):
    """The gadget server with a freshly reset mock cloud and Finesse, registered again (reset wipes registrations)."""
    gadget_server.register()
    return gadget_server
