"""Flow helpers for the Customer Context gadget's browser tests: the gadget in the agent's desktop, the
simulator (calls, chats, emails) and the proxy API for seeding, all over real HTTP against the three servers."""

import base64
import re
import uuid
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout
from finesse_harness.handles import set_cs_faults
from finesse_harness.waiting import eventually

AGENTS = {"1001": "demo1001", "1002": "demo1002"}
MEDIA_IDS = {"chat": "5000", "email": "5001"}
TEAM_ID = "10"
TIMEOUT = 10
KEYSTROKE_MS = 60  # a quick typist; the reports were at 60-120 ms per keystroke


def basic(agent_id):
    """The Basic Authorization header finesse.js sends for an agent."""
    return "Basic " + base64.b64encode(f"{agent_id}:{AGENTS[agent_id]}".encode()).decode()


class ProxyApi:
    """The gadget server's /api/v1 as an agent (what a second agent's gadget would send), for seeding and checks."""

    def __init__(self, base_url, agent_id="1001"):
        self.base_url = base_url + "/api/v1"
        self.agent_id = agent_id

    def call(self, method, path, body=None, expected=(200, 201)):
        """One call; asserts the status and returns the JSON body."""
        response = requests.request(
            method,
            self.base_url + path,
            json=body,
            timeout=TIMEOUT,
            headers={"Authorization": basic(self.agent_id), "X-Finesse-Agent-Id": self.agent_id},
        )
        assert response.status_code in expected, response.text
        return response.json()

    def customer(self, **fields):
        """Store a customer with the given Context_* fields."""
        return self.call("POST", "/customers", {"fields": fields})

    def activity(self, customer_id, media_type="voice", request_id=None, **source):
        """Store an activity for a customer (in their newest open request, a new one, or request_id)."""
        # The proxy records one activity per dialog, so every seeded activity gets its own dialog id.
        body = {
            "customerId": customer_id,
            "mediaType": media_type,
            "source": source,
            "dialogId": f"seed-{uuid.uuid4().hex[:12]}",
        }
        if request_id:
            body["requestId"] = request_id
        return self.call("POST", "/activities", body)

    def journey(self, customer_id):
        """The customer's requests with their activities, newest first."""
        return self.call("GET", f"/customers/{customer_id}/journey")

    def activities(self, customer_id):
        """The customer's activities: those of their requests (newest request first), then unassigned ones."""
        journey = self.journey(customer_id)
        return [a for r in journey["requests"] for a in r["activities"]] + journey["unassigned"]

    def activity_ids(self, customer_id):
        """Ids of the customer's activities, in the order of ``activities``."""
        return [activity["id"] for activity in self.activities(customer_id)]

    def search(self, query):
        """Customers matching the query (Context Service search semantics)."""
        return self.call("GET", "/customers/search?q=" + quote(query))["customers"]


class Desk:
    """An agent at the mock Finesse desktop whose layout holds the Customer Context gadget (kit's Desktop inside)."""

    def __init__(self, open_desktop, gadget, controlhub, agent_id="1001"):
        self.open_desktop = open_desktop
        self.gadget_server = gadget
        self.controlhub = controlhub
        self.agent_id = agent_id
        self.api = ProxyApi(gadget.url, agent_id)
        self.desktop = None
        self.page = None
        self.frame = None

    def eventually(self, read, ok, timeout=5.0):
        """``eventually`` waiting with this desk's page once it is signed in (its event handlers keep running)."""
        return eventually(read, ok, timeout, self.page)

    # -- desktop ---------------------------------------------------------------------------------------------

    def sign_in(self, locale=None):
        """Sign in (the ``desktop`` fixture: signed in over HTTP, the desktop opened) and wait until the gadget has
        started."""
        self.desktop = self.open_desktop(self.agent_id, locale)
        self.page = self.desktop.page
        self.frame = self.desktop.gadget_frame(self.gadget_server.url + "/gadget.xml")
        expect(self.frame.locator("#cc-app:visible, #cc-unavailable:visible")).to_have_count(1)
        return self

    def other_agent(self, agent_id):
        """Another agent of the same team at their own desktop (own browser context)."""
        return Desk(self.open_desktop, self.gadget_server, self.controlhub, agent_id).sign_in()

    def api_as(self, agent_id):
        """The proxy API as another agent (what their gadget would send)."""
        return ProxyApi(self.gadget_server.url, agent_id)

    def reload(self):
        """Reload the desktop (the gadget starts again from its saved state)."""
        self.desktop.reload()
        expect(self.frame.locator("#cc-app")).to_be_visible()

    def call(self, from_address, **call_variables):
        """A call from `from_address` rings and the agent answers it; returns the dialog id."""
        dialog = self.desktop.offer_call(from_address, callVariables=call_variables)
        self.desktop.dialog_action(dialog["id"], "ANSWER")
        return dialog["id"]

    def chat(self, name, email):
        """A chat is offered and the agent accepts it; returns the dialog id."""
        self.desktop.sign_in_to_media(MEDIA_IDS["chat"])
        dialog = self.desktop.offer_chat(name, email)
        self.desktop.dialog_action(dialog["id"], "ACCEPT")
        return dialog["id"]

    def email(self, address, subject, name=""):
        """An email is offered and the agent opens (accepts) it; returns the dialog id."""
        self.desktop.sign_in_to_media(MEDIA_IDS["email"])
        dialog = self.desktop.offer_email(address, subject, fromName=name)
        self.desktop.dialog_action(dialog["id"], "ACCEPT")
        return dialog["id"]

    # -- the mock cloud --------------------------------------------------------------------------------------

    def cloud(self, method, path, body=None):
        """The mock Context Service's control API (clock, faults, state)."""
        response = self.controlhub.control(method, path, json=body, timeout=TIMEOUT)
        assert response.status_code in (200, 201), response.text
        return response.json()

    def latency(self, ms):
        """Make the mock Context Service answer every call ``ms`` milliseconds late (the real cloud: 200-600)."""
        set_cs_faults(self.controlhub, latencyMs=ms)

    # -- the gadget ------------------------------------------------------------------------------------------

    def type(self, target, text, delay=KEYSTROKE_MS):
        """Click a field and type into it key by key at human speed (no fill: every keystroke is an event)."""
        target.click()
        target.press_sequentially(text, delay=delay)

    def save_state(self, field_id, within="#cc-details"):
        """The save state line of a field (editing · saving · saved · not saved)."""
        return self.frame.locator(f"{within} [data-save-state='{field_id}']")

    def locator(self, selector, **options):
        """An element inside the gadget's iframe."""
        return self.frame.locator(selector, **options)

    def button(self, name):
        """A gadget button by its accessible name."""
        return self.frame.get_by_role("button", name=name, exact=True)

    def customer_header(self):
        """The open customer's name (the button that opens the customer form)."""
        return self.frame.locator("#cc-customer-name")

    def field(self, field_id, within="#cc-details"):
        """A field editor by Context Service field id."""
        return self.frame.locator(f"{within} [data-field='{field_id}']")

    def stored_comments(self):
        """The texts of the activity's comments that are stored (not the ones still on their way)."""
        return self.frame.locator(".cc-comment:not(.cc-comment--pending) .cc-comment__text")

    def activities(self):
        """The activity rows of the journey."""
        return self.frame.locator("#cc-journey .cc-activity")

    def requests(self):
        """The request blocks of the journey."""
        return self.frame.locator("#cc-journey .cc-request")

    def dialog(self):
        """The open in-gadget dialog."""
        return self.frame.get_by_role("dialog")

    def open_customer(self, name):
        """Open a customer through Search (types the query, presses Enter, picks the result)."""
        self.frame.get_by_role("tab", name=re.compile("Search")).click()
        box = self.frame.get_by_label("Search customers")
        box.fill(name)
        box.press("Enter")
        self.frame.locator("#cc-management-body .cc-customer-item", has_text=name).first.click()
        expect(self.customer_header()).to_contain_text(name)


@pytest.fixture()
def desk(gadget, controlhub, finesse, desktop):
    """Agent 1001's team has the Customer Context gadget in its layout; call ``desk.sign_in()`` once the test
    has seeded what it needs."""
    set_team_layout(finesse, TEAM_ID, {"manageCustomer": [gadget.url + "/gadget.xml"]})
    return Desk(desktop, gadget, controlhub)


@pytest.fixture()
def api(gadget):
    """The proxy API as agent 1001, for seeding and for checking what was stored."""
    return ProxyApi(gadget.url, "1001")
