"""The desktop kit: a signed-in mock Finesse desktop in a Playwright page (gadget frames, the simulator's calls,
chats and emails, Finesse REST as the agent), team layouts, and the browser-error guard of every page."""

import re
from collections.abc import Iterable, Mapping
from typing import Any, Self
from urllib.parse import urlencode, urljoin

import pytest
import requests
from lxml import etree, html
from playwright.sync_api import ConsoleMessage, Frame, FrameLocator, Locator, Page, expect

from mock_finesse.messages import messages_for

from finesse_harness.errors import HarnessError, checked
from finesse_harness.handles import HarnessServer
from finesse_harness.mock_control import mock_control


class BrowserErrors:
    """Console errors and uncaught page errors of every page a test opens."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        """Collect ``page``'s (and its frames') console errors and uncaught exceptions."""
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        return page

    def _on_console(self, msg: ConsoleMessage) -> None:
        url = msg.location.get("url", "?")
        # The browser's own favicon probe is not the application's error.
        if msg.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"console error: {msg.text} (at {url})")

    def unexpected(self, marker: pytest.Mark | None) -> list[str]:
        """The errors the test's ``allow_console_errors`` marker does not excuse."""
        if marker is None:
            return list(self.errors)
        if not marker.args:
            return []
        return [e for e in self.errors if not any(re.search(p, e) for p in marker.args)]


class Desktop:
    """A signed-in mock Finesse desktop in one browser page, plus the control API for that agent."""

    def __init__(self, page: Page, server: HarnessServer, agent_id: str) -> None:
        self.page = page
        self.server = server
        self.agent_id = agent_id
        agent = next(a for a in server.app.config["AGENTS"] if a["id"] == agent_id)
        self.password = agent["password"]
        self.extension = agent["extension"]

    def sign_in(self, locale: str | None = None) -> Self:
        """Fill Finesse's sign-in form (ID, password, extension[, language]) and wait for the desktop."""
        self.page.goto(self._signin_url(locale))
        self.page.fill("#username", self.agent_id)
        self.page.fill("#password", self.password)
        self.page.fill("#extension", self.extension)
        self.page.locator("#password").press("Enter")
        expect(self.page).to_have_url(re.compile(r"/desktop/$"))
        return self.wait_connected()

    def open_signed_in(self, locale: str | None = None) -> Self:
        """Sign in as the form does without drawing it, then open the desktop and wait for its notifications.

        The form's GET (for where it posts and its hidden fields: the CSRF token, the picked language) and its
        POST go through the page's own context (``page.request`` shares the context's cookies both ways), so the
        server runs the same sign-in and the page gets the very session cookie the form would set; only the
        sign-in page's rendering and its redirect are not paid (bench/bench_suite.py ``--sign-ins``)."""
        request, url = self.page.request, self._signin_url(locale)
        form = request.get(url, max_redirects=0)  # a redirect: this context's agent is signed in already
        if form.status != 200:
            came = form.headers.get("location", form.text())
            raise HarnessError(f"GET {url}: expected HTTP 200 (the sign-in form), got HTTP {form.status} {came}")
        action, hidden = signin_form(form.text())
        target = urljoin(url, action)
        fields = {**hidden, "username": self.agent_id, "password": self.password, "extension": self.extension}
        answer = request.post(target, form=fields, max_redirects=0)
        if answer.status != 302:
            raise HarnessError(
                f"POST {target} as {self.agent_id}: expected HTTP 302 (to the desktop), "
                f"got HTTP {answer.status}: {answer.text()}"
            )
        self.page.goto(urljoin(target, answer.headers["location"]))
        expect(self.page).to_have_url(re.compile(r"/desktop/$"))
        return self.wait_connected()

    def _signin_url(self, locale: str | None) -> str:
        return self.server.url + "/desktop/signin" + (f"?{urlencode({'locale': locale})}" if locale else "")

    def wait_connected(self) -> Self:
        """Wait until the desktop's notification stream is connected (no update sent later is missed)."""
        self.page.wait_for_function(
            "() => window.finesseContainer && finesseContainer.connection().status === 'connected'"
        )
        return self

    def reload(self) -> Self:
        """Reload the desktop page (gadgets are rendered again, with saved prefs) and wait for notifications."""
        self.page.reload()
        return self.wait_connected()

    def gadget_iframe(self, name_or_spec: str) -> Locator:
        """The ``<iframe>`` Locator of a gadget, by its spec URL (absolute or /relative) or its title."""
        if "/" in name_or_spec:
            spec = urlencode({"url": urljoin(self.server.url + "/", name_or_spec)})
            return self.page.locator(f'iframe.gadget-frame[src*="{spec}"]')
        title = self.page.locator(".gadget-title", has_text=name_or_spec)
        return self.page.locator("section.gadget", has=title).locator("iframe.gadget-frame")

    def gadget_frame(self, name_or_spec: str) -> FrameLocator:
        """The FrameLocator of a gadget (see ``gadget_iframe``)."""
        return self.gadget_iframe(name_or_spec).content_frame

    def gadget_window(self, name_or_spec: str) -> Frame:
        """The gadget's Playwright ``Frame`` (to ``evaluate`` JavaScript inside it)."""
        frame = self.gadget_iframe(name_or_spec).element_handle().content_frame()
        if frame is None:
            raise HarnessError(f"the gadget {name_or_spec}: expected its iframe to hold a frame, got none")
        return frame

    def activate_tab(self, tab_id: str) -> None:
        """Click a desktop tab."""
        self.page.click(f"#tab_{tab_id}")

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the mock's control API (``/_mock/…``); the JSON answer, or an error naming the problem."""
        return checked(mock_control(self.server.url, method, path, json=body), f"{method} /_mock{path}").json()

    def offer_call(self, from_address: str = "+385911234567", **fields: Any) -> dict[str, Any]:
        """Ring this agent (``POST /_mock/calls``); the dialog summary."""
        return self.control("POST", "/calls", {"agentId": self.agent_id, "fromAddress": from_address, **fields})

    def offer_chat(
        self, customer_name: str = "Iva Kos", customer_email: str = "iva.kos@example.com", **fields: Any
    ) -> dict[str, Any]:
        """Offer this agent a chat (``POST /_mock/chats``)."""
        return self.control(
            "POST",
            "/chats",
            {"agentId": self.agent_id, "customerName": customer_name, "customerEmail": customer_email, **fields},
        )

    def offer_email(
        self, from_address: str = "petar@example.com", subject: str = "Invoice question", **fields: Any
    ) -> dict[str, Any]:
        """Offer this agent an email (``POST /_mock/emails``)."""
        return self.control(
            "POST", "/emails", {"agentId": self.agent_id, "fromAddress": from_address, "subject": subject, **fields}
        )

    def dialog_action(self, dialog_id: str, action: str, **fields: Any) -> dict[str, Any]:
        """Advance a dialog (ANSWER, DROP, ACCEPT, CLOSE, CALLER_HANGUP, …) through the control API."""
        return self.control("POST", f"/dialogs/{dialog_id}/actions", {"action": action, **fields})

    def rest(self, method: str, path: str, xml: str | None = None) -> requests.Response:
        """A Finesse REST call as this agent (Basic auth); the ``requests`` response."""
        response = requests.request(
            method,
            self.server.url + "/finesse/api" + path,
            data=xml,
            timeout=10,
            auth=(self.agent_id, self.password),
            headers={"Content-Type": "application/xml"} if xml else {},
        )
        return checked(response, f"{method} {path}", below=300)

    def sign_in_to_media(self, mrd_id: str, ready: bool = True) -> None:
        """Sign this agent in to a chat/email MRD over REST (LOGIN, then READY)."""
        self.rest("PUT", f"/User/{self.agent_id}/Media/{mrd_id}", "<Media><state>LOGIN</state></Media>")
        if ready:
            self.rest("PUT", f"/User/{self.agent_id}/Media/{mrd_id}", "<Media><state>READY</state></Media>")


def signin_form(page_html: str) -> tuple[str, dict[str, str]]:
    """The sign-in page's form: where it posts, and its hidden fields (``csrf``; ``locale`` when a language was
    picked)."""
    form = html.fromstring(page_html).find(".//form[@class='signin-form']")
    if form is None:
        raise HarnessError("the sign-in page: expected a form.signin-form, got a page without one")
    hidden = {i.get("name"): i.get("value", "") for i in form.iterfind(".//input[@type='hidden']") if i.get("name")}
    return form.get("action", ""), hidden


def tab_label(role: str, tab_id: str) -> str:
    """Finesse's own label key for a stock tab id (``manageCustomer`` → its resource key), else the id as text."""
    key = f"finesse.container.tabs.{role.lower()}.{tab_id}Label"
    return key if key in messages_for("en_US") else tab_id


def layout_xml(tabs: Mapping[str, Iterable[str]], page_gadgets: Iterable[str] = ()) -> str:
    """A ``<finesseLayout>`` for Agent and Supervisor roles: ``tabs`` maps tab id → gadget URLs."""
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


def set_team_layout(
    finesse_server: HarnessServer, team_id: str, tabs: Mapping[str, Iterable[str]], page_gadgets: Iterable[str] = ()
) -> Any:
    """Give a team a layout (``PUT /_mock/layouts/<teamId>``): ``tabs`` maps tab id → gadget URLs."""
    response = mock_control(
        finesse_server.url,
        "PUT",
        f"/layouts/{team_id}",
        data=layout_xml(tabs, page_gadgets),
        headers={"Content-Type": "application/xml"},
    )
    return checked(response, f"layout for team {team_id}").json()
