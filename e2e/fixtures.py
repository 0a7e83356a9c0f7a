"""pytest plugin of the end-to-end kit: system Chromium for Playwright, and the harness servers.

Loaded for the whole project through ``-p e2e.fixtures`` (pyproject ``addopts``). Anyone testing their own
gadget can load it the same way.
"""
import os

import pytest

from .mock_control import mock_control

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
    """A started mock server: its base URL, its Flask app, and its control API (``control``, ``reset``)."""

    def __init__(self, thread, app):
        self.thread = thread
        self.app = app
        self.url = thread.url

    def control(self, method, path, **kwargs):
        """``method /_mock{path}`` over HTTP with the control header (see ``mock_control``); the response."""
        return mock_control(self.url, method, path, **kwargs)

    def reset(self):
        """``POST /_mock/reset`` over HTTP, as any test client would."""
        self.control("POST", "/reset").raise_for_status()


@pytest.fixture(scope="session")
def controlhub_server():
    """The mock Control Hub + Context Service, on a free port, for the whole run (in-memory SQLite)."""
    from mock_controlhub import create_app

    from .servers import ServerThread

    app = create_app({"DATABASE": ":memory:"})
    thread = ServerThread(app).start()
    yield HarnessServer(thread, app)
    thread.stop()


CS_LATENCY_OPTION = "--cs-latency-ms"


def pytest_addoption(parser):
    """The kit's options: ``--cs-latency-ms N`` runs every test against a slow cloud (the real one answers an
    on-premises Finesse in 200-600 ms)."""
    parser.addoption(CS_LATENCY_OPTION, type=int, default=0, metavar="N",
                     help="mock Context Service latency for the whole run, in ms (0 - 10000); re-applied after "
                          "each reset through /_mock/faults")


def set_cs_faults(controlhub_server, **faults):
    """``POST /_mock/faults`` on the mock cloud (``latencyMs``, ``errorRate``, ``status``, …; none: cleared);
    the faults in force."""
    response = mock_control(controlhub_server.url, "POST", "/faults", json=faults)
    assert response.ok, f"/_mock/faults {faults}: HTTP {response.status_code}: {response.text}"
    return response.json()


@pytest.fixture(scope="session")
def cs_latency_ms(pytestconfig):
    """The slow-cloud profile of the run (``--cs-latency-ms``; 0: no added latency)."""
    value = pytestconfig.getoption(CS_LATENCY_OPTION)
    if not 0 <= value <= 10000:
        raise pytest.UsageError(f"{CS_LATENCY_OPTION} must be between 0 and 10000 ms, got {value}")
    return value


@pytest.fixture()
def controlhub(controlhub_server, cs_latency_ms):
    """The mock cloud, reset before the test, with the run's slow-cloud latency (``--cs-latency-ms``) applied."""
    controlhub_server.reset()
    if cs_latency_ms:
        set_cs_faults(controlhub_server, latencyMs=cs_latency_ms)
    return controlhub_server


@pytest.fixture(scope="session")
def finesse_server(tmp_path_factory):
    """The mock Finesse, on a free port, for the whole run; ``.gadget_dir`` is its /3rdpartygadget/files/ folder."""
    from mock_finesse import create_app, xmpp

    from .servers import ServerThread

    gadget_dir = tmp_path_factory.mktemp("3rdpartygadget")
    app = create_app({"GADGET_FILES_DIR": str(gadget_dir), "LAYOUTS_DIR": "",
                      **notification_settings(tmp_path_factory)})
    thread = ServerThread(app).start()
    server = HarnessServer(thread, app)
    server.gadget_dir = gadget_dir
    yield server
    thread.stop()
    xmpp.stop(app)


def notification_settings(tmp_path_factory):
    """The kit's notification transport: XMPP (Prosody, folder in tmp) whenever Prosody is installed, else
    Server-Sent Events; ``MOCK_FINESSE_XMPP_SERVER=off`` forces SSE, ``=prosody`` demands XMPP."""
    return {"XMPP_SERVER": os.environ.get("MOCK_FINESSE_XMPP_SERVER", "auto"),
            "XMPP_DIR": str(tmp_path_factory.mktemp("xmpp"))}


@pytest.fixture()
def finesse(finesse_server):
    """The mock Finesse, reset before the test (agents signed out, no dialogs, default layouts)."""
    finesse_server.reset()
    return finesse_server


# --- gadget side of mock Finesse: the test gadget's web server -----------------------------------------------


def allow_make_request(finesse_server, base_url):
    """Put ``base_url``'s ``host:port`` on the mock Finesse's makeRequest allow-list (MAKEREQUEST_ALLOWLIST)."""
    _allow(finesse_server, "MAKEREQUEST_ALLOWLIST", base_url)


def allow_gadget_source(finesse_server, base_url):
    """Let the mock Finesse render gadget specs from ``base_url``'s ``host:port`` that are in no layout
    (GADGET_SOURCE_ALLOWLIST; gadgets in a team's layout are allowed without it)."""
    _allow(finesse_server, "GADGET_SOURCE_ALLOWLIST", base_url)


def _allow(finesse_server, setting, base_url):
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    origin = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    allowlist = finesse_server.app.config[setting]
    if origin not in allowlist:
        allowlist.append(origin)


@pytest.fixture(scope="session")
def test_gadget_server(finesse_server):
    """The test gadget (e2e/test_gadget/) on its own web server, allow-listed for makeRequest and as a gadget
    source; ``.spec_url``."""
    from .servers import ServerThread
    from .test_gadget.server import SPEC_PATH, create_app

    thread = ServerThread(create_app()).start()
    thread.spec_url = thread.url + SPEC_PATH
    allow_make_request(finesse_server, thread.url)
    allow_gadget_source(finesse_server, thread.url)
    yield thread
    thread.stop()


class GadgetServer(HarnessServer):
    """The gadget server (``gadget_plugin``), registered with the mock cloud, allowed by the mock Finesse."""

    def __init__(self, thread, app, controlhub_server):
        super().__init__(thread, app)
        self.controlhub_server = controlhub_server

    def register_through_control_hub(self):
        """Register through the real flow (admin sign-in and consent pages, then the machine account set up
        with an admin token) and store the connection data with the machine account."""
        from gadget_plugin import get_backend

        from .registration_kit import register

        hub = self.controlhub_server
        register(hub.url, hub.app.config, self.url + "/registered", self.app.config["INSTANCE_PATH"])
        get_backend(self.app).reset()

    def register(self):
        """Register with the mock cloud's identity functions (what Accept on the consent page and the admin's
        machine-account setup do; ~1000x faster than driving the pages, for the per-test fixture) and store
        the connection data with the machine account."""
        import secrets

        from gadget_plugin import connection, get_backend
        from mock_controlhub import get_backend as hub_backend
        from mock_controlhub.identity import machines, models as identity
        from mock_controlhub.identity.registration import encode_connection_data

        hub = hub_backend(self.controlhub_server.app)
        reg = identity.register_component(hub, "127.0.0.1", "custom", self.url + "/registered")
        org_id = identity.get_org(hub)["id"]
        account = connection.MachineAccount(f"harness-{secrets.token_hex(4)}", secrets.token_urlsafe(16))
        created = machines.create_machine_account(hub, org_id, {"name": account.name, "password": account.password})
        machines.authorize_for_context_service(hub, {"orgId": org_id, "userId": created["id"], "type": "machine",
                                                     "workgroup": "lab"})
        connection.store(self.app.config["INSTANCE_PATH"], encode_connection_data(identity.connection_data(hub, reg)),
                         account)
        get_backend(self.app).reset()

    def reset(self):
        """Drop the gadget server's caches (tokens, verified agents, dictionary, status)."""
        from gadget_plugin import get_backend

        get_backend(self.app).reset()


@pytest.fixture(scope="session")
def gadget_server(controlhub_server, finesse_server, tmp_path_factory):
    """The gadget server on a free port, against the mock cloud and mock Finesse, makeRequest-allowed, registered
    once through Control Hub's sign-in and consent pages."""
    from .servers import start_gadget_server

    thread = start_gadget_server({
        "FINESSE_URLS": [finesse_server.url], "CONTEXT_SERVICE_URL": controlhub_server.url,
        "INSTANCE_PATH": str(tmp_path_factory.mktemp("gadget-instance")), "CS_TIMEOUT_SECONDS": 2,
        "CS_RETRIES": 1, "CS_BACKOFF_SECONDS": 0.05, "LOG_LEVEL": "WARNING"})
    server = GadgetServer(thread, thread.app, controlhub_server)
    allow_make_request(finesse_server, thread.url)
    server.register_through_control_hub()
    yield server
    thread.stop()


@pytest.fixture()
def gadget(gadget_server, controlhub, finesse):
    """The gadget server with a freshly reset mock cloud and Finesse, registered again (the reset wipes
    registrations) with the mock's identity functions."""
    gadget_server.register()
    return gadget_server


# --- desktop kit: signed-in mock Finesse desktops, gadget frames, team layouts, browser errors ---------------

ALLOW_CONSOLE_ERRORS = "allow_console_errors"


SLOW_CLOUD = "slow_cloud"


def pytest_configure(config):
    """Register the kit's markers; under pytest-xdist, give each worker its own artifact folder (pytest-playwright
    empties ``--output`` when a worker's session starts, which would delete the other worker's traces)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and getattr(config.option, "output", None):
        config.option.output = os.path.join(config.option.output, worker)
    config.addinivalue_line(
        "markers", f"{SLOW_CLOUD}: a flow CI runs again against a slow cloud (-m {SLOW_CLOUD} {CS_LATENCY_OPTION} 250)")
    config.addinivalue_line(
        "markers", f"{ALLOW_CONSOLE_ERRORS}(*patterns): do not fail the test on browser console/page errors "
        "(only those matching one of the regex patterns, when given)")


class BrowserErrors:
    """Console errors and uncaught page errors of every page a test opens."""

    def __init__(self):
        self.errors = []

    def watch(self, page):
        """Collect ``page``'s (and its frames') console errors and uncaught exceptions."""
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        return page

    def _on_console(self, msg):
        url = msg.location.get("url", "?")
        # The browser's own favicon probe is not the application's error.
        if msg.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"console error: {msg.text} (at {url})")

    def unexpected(self, marker):
        """The errors the test's ``allow_console_errors`` marker does not excuse."""
        import re

        if marker is None:
            return list(self.errors)
        if not marker.args:
            return []
        return [e for e in self.errors if not any(re.search(p, e) for p in marker.args)]


@pytest.fixture(autouse=True)
def browser_errors(request):
    """Fail any browser test on a console error or uncaught page error (opt out: ``@pytest.mark.allow_console_errors``)."""
    errors = BrowserErrors()
    if "page" in request.fixturenames:
        errors.watch(request.getfixturevalue("page"))
    request.node.browser_errors = errors
    return errors


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Turn collected browser errors into a test failure once the test body has passed."""
    outcome = yield
    errors = getattr(item, "browser_errors", None)
    if errors is None or outcome.excinfo is not None:
        return
    unexpected = errors.unexpected(item.get_closest_marker(ALLOW_CONSOLE_ERRORS))
    if unexpected:
        outcome.force_exception(AssertionError("browser errors during the test:\n" + "\n".join(unexpected)))


class Desktop:
    """A signed-in mock Finesse desktop in one browser page, plus the control API for that agent."""

    def __init__(self, page, server, agent_id):
        self.page = page
        self.server = server
        self.agent_id = agent_id
        agent = next(a for a in server.app.config["AGENTS"] if a["id"] == agent_id)
        self.password = agent["password"]
        self.extension = agent["extension"]

    def sign_in(self, locale=None):
        """Fill Finesse's sign-in form (ID, password, extension[, language]) and wait for the desktop."""
        import re

        from playwright.sync_api import expect

        self.page.goto(self.server.url + "/desktop/signin" + (f"?locale={locale}" if locale else ""))
        self.page.fill("#username", self.agent_id)
        self.page.fill("#password", self.password)
        self.page.fill("#extension", self.extension)
        self.page.locator("#password").press("Enter")
        expect(self.page).to_have_url(re.compile(r"/desktop/$"))
        return self.wait_connected()

    def wait_connected(self):
        """Wait until the desktop's notification stream is connected (no update sent later is missed)."""
        self.page.wait_for_function(
            "() => window.finesseContainer && finesseContainer.connection().status === 'connected'")
        return self

    def reload(self):
        """Reload the desktop page (gadgets are rendered again, with saved prefs) and wait for notifications."""
        self.page.reload()
        return self.wait_connected()

    def gadget_iframe(self, name_or_spec):
        """The ``<iframe>`` Locator of a gadget, by its spec URL (absolute or /relative) or its title."""
        from urllib.parse import urlencode, urljoin

        if "/" in name_or_spec:
            spec = urlencode({"url": urljoin(self.server.url + "/", name_or_spec)})
            return self.page.locator(f'iframe.gadget-frame[src*="{spec}"]')
        title = self.page.locator(".gadget-title", has_text=name_or_spec)
        return self.page.locator("section.gadget", has=title).locator("iframe.gadget-frame")

    def gadget_frame(self, name_or_spec):
        """The FrameLocator of a gadget (see ``gadget_iframe``)."""
        return self.gadget_iframe(name_or_spec).content_frame

    def gadget_window(self, name_or_spec):
        """The gadget's Playwright ``Frame`` (to ``evaluate`` JavaScript inside it)."""
        return self.gadget_iframe(name_or_spec).element_handle().content_frame()

    def activate_tab(self, tab_id):
        """Click a desktop tab."""
        self.page.click(f"#tab_{tab_id}")

    def control(self, method, path, body=None):
        """Call the mock's control API (``/_mock/…``); the JSON answer, or an error naming the problem."""
        response = mock_control(self.server.url, method, path, json=body)
        assert response.ok, f"{method} /_mock{path}: HTTP {response.status_code}: {response.text}"
        return response.json()

    def offer_call(self, from_address="+385911234567", **fields):
        """Ring this agent (``POST /_mock/calls``); the dialog summary."""
        return self.control("POST", "/calls", {"agentId": self.agent_id, "fromAddress": from_address, **fields})

    def offer_chat(self, customer_name="Iva Kos", customer_email="iva.kos@example.com", **fields):
        """Offer this agent a chat (``POST /_mock/chats``)."""
        return self.control("POST", "/chats", {"agentId": self.agent_id, "customerName": customer_name,
                                               "customerEmail": customer_email, **fields})

    def offer_email(self, from_address="petar@example.com", subject="Invoice question", **fields):
        """Offer this agent an email (``POST /_mock/emails``)."""
        return self.control("POST", "/emails", {"agentId": self.agent_id, "fromAddress": from_address,
                                                "subject": subject, **fields})

    def dialog_action(self, dialog_id, action, **fields):
        """Advance a dialog (ANSWER, DROP, ACCEPT, CLOSE, CALLER_HANGUP, …) through the control API."""
        return self.control("POST", f"/dialogs/{dialog_id}/actions", {"action": action, **fields})

    def rest(self, method, path, xml=None):
        """A Finesse REST call as this agent (Basic auth); the ``requests`` response."""
        import requests

        response = requests.request(method, self.server.url + "/finesse/api" + path, data=xml, timeout=10,
                                    auth=(self.agent_id, self.password),
                                    headers={"Content-Type": "application/xml"} if xml else {})
        assert response.status_code < 300, f"{method} {path}: HTTP {response.status_code}: {response.text}"
        return response

    def sign_in_to_media(self, mrd_id, ready=True):
        """Sign this agent in to a chat/email MRD over REST (LOGIN, then READY)."""
        self.rest("PUT", f"/User/{self.agent_id}/Media/{mrd_id}", "<Media><state>LOGIN</state></Media>")
        if ready:
            self.rest("PUT", f"/User/{self.agent_id}/Media/{mrd_id}", "<Media><state>READY</state></Media>")


def tab_label(role, tab_id):
    """Finesse's own label key for a stock tab id (``manageCustomer`` → its resource key), else the id as text."""
    from mock_finesse.messages import messages_for

    key = f"finesse.container.tabs.{role.lower()}.{tab_id}Label"
    return key if key in messages_for("en_US") else tab_id


def layout_xml(tabs, page_gadgets=()):
    """A ``<finesseLayout>`` for Agent and Supervisor roles: ``tabs`` maps tab id → gadget URLs."""
    from lxml import etree

    root = etree.Element("finesseLayout", nsmap={None: "http://www.cisco.com/vtg/finesse"})
    etree.SubElement(root, "version").text = "1250.03"
    for role in ("Agent", "Supervisor"):
        layout = etree.SubElement(root, "layout")
        etree.SubElement(layout, "role").text = role
        page = etree.SubElement(layout, "page")
        for url in ("/desktop/scripts/js/callcontrol.js", *page_gadgets):
            etree.SubElement(page, "gadget").text = url
        tabs_element = etree.SubElement(layout, "tabs")
        for tab_id, urls in tabs.items():
            tab = etree.SubElement(tabs_element, "tab")
            etree.SubElement(tab, "id").text = tab_id
            etree.SubElement(tab, "label").text = tab_label(role, tab_id)
            gadgets = etree.SubElement(etree.SubElement(etree.SubElement(tab, "columns"), "column"), "gadgets")
            for url in urls:
                etree.SubElement(gadgets, "gadget").text = url
    return etree.tostring(root, encoding="unicode")


def set_team_layout(finesse_server, team_id, tabs, page_gadgets=()):
    """Give a team a layout (``PUT /_mock/layouts/<teamId>``): ``tabs`` maps tab id → gadget URLs."""
    response = mock_control(finesse_server.url, "PUT", f"/layouts/{team_id}", data=layout_xml(tabs, page_gadgets),
                            headers={"Content-Type": "application/xml"})
    assert response.ok, f"layout for team {team_id}: HTTP {response.status_code}: {response.text}"
    return response.json()


@pytest.fixture()
def desktop(finesse, page, new_context, browser_errors):
    """Factory: ``desktop("1001")`` signs an agent in and returns a Desktop; the first uses ``page``, others
    get their own browser context (two agents at once)."""
    used = []

    def open_desktop(agent_id="1001", locale=None):
        target = page if not used else browser_errors.watch(new_context().new_page())
        used.append(agent_id)
        return Desktop(target, finesse, agent_id).sign_in(locale)

    return open_desktop


@pytest.fixture()
def gadget_frame():
    """``gadget_frame(desktop, name_or_spec)`` → the FrameLocator of a gadget on that desktop."""
    return lambda desktop, name_or_spec: desktop.gadget_frame(name_or_spec)
