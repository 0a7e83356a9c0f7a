"""Registration in a real browser: a component's admin page → /v1/authorize → consent → the callback, and
deregistration from Control Hub's Resources tab or through /v1/unauthorize."""

import base64
import json
from urllib.parse import urlencode

import pytest
from flask import Flask, request
from markupsafe import escape
from playwright.sync_api import expect

from finesse_harness.servers import ServerThread


def callback_app(controlhub_url):
    """A stand-in for a component's admin page that receives the registration result."""
    app = Flask("registration_callback")

    @app.route("/callback")
    def callback():
        if "connectionData" in request.args:
            raw = request.args["connectionData"]
            data = json.loads(base64.b64decode(raw))
            unauthorize = (
                controlhub_url
                + "/v1/unauthorize?"
                + urlencode({"callbackUrl": request.base_url, "connectionData": raw})
            )
            return (
                f'<p id="result">registered for org {escape(data["credentials"]["orgId"])}</p>'
                f'<a href="{escape(unauthorize)}">Deregister</a>'
            )
        return f'<p id="result">{escape(request.query_string.decode())}</p>'

    return app


@pytest.fixture(scope="module")
def component(controlhub_server):
    """The component's callback server, on its own free port."""
    server = ServerThread(callback_app(controlhub_server.url)).start()
    yield server
    server.stop()


def start_registration(page, controlhub, component):
    """Open /v1/authorize for the component and sign in as the admin on the way."""
    cfg = controlhub.app.config
    page.goto(
        controlhub.url + "/v1/authorize?" + urlencode({"callbackUrl": component.url + "/callback", "appType": "custom"})
    )
    page.get_by_label("Email address").fill(cfg["ADMIN_EMAIL"])
    page.get_by_label("Password").fill(cfg["ADMIN_PASSWORD"])
    page.get_by_role("button", name="Sign In").click()


def test_registration_runs_from_authorize_to_the_callback_with_connection_data(page, controlhub, component):
    """Sign in, accept on the consent page, land on the callback with the org's connection data."""
    start_registration(page, controlhub, component)
    expect(page.get_by_role("heading", name="Register 127.0.0.1 with Context Service?")).to_be_visible()
    expect(page.locator("#consent-org")).to_have_text(controlhub.app.config["ORG_NAME"])
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#result")).to_have_text(f"registered for org {controlhub.app.config['ORG_ID']}")
    page.goto(controlhub.url + "/services/context/resources")
    expect(page.locator('#resources-table tr[data-resource="127.0.0.1"]')).to_contain_text("REGISTERED")


def test_declined_registration_returns_access_denied_to_the_callback(page, controlhub, component):
    """Decline takes the admin back to the component with error=access_denied."""
    start_registration(page, controlhub, component)
    page.get_by_role("button", name="Decline").click()
    expect(page.locator("#result")).to_have_text("error=access_denied")


def test_component_is_deregistered_from_the_resources_tab(page, controlhub, component):
    """Resources → the component → Deregister → confirm: its state becomes UNREGISTERED."""
    start_registration(page, controlhub, component)
    page.get_by_role("button", name="Accept").click()
    expect(page.locator("#result")).to_contain_text("registered for org")
    page.goto(controlhub.url + "/services/context/resources")
    page.get_by_role("link", name="127.0.0.1").click()
    page.get_by_role("link", name="Deregister").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Deregister 127.0.0.1?")
    dialog.get_by_role("button", name="Deregister").click()
    expect(page.get_by_role("status")).to_have_text("127.0.0.1 is deregistered from Context Service.")
    expect(page.locator('#resources-table tr[data-resource="127.0.0.1"]')).to_contain_text("UNREGISTERED")


def test_component_deregisters_itself_through_unauthorize(page, controlhub, component):
    """The component's Deregister link (/v1/unauthorize with its connection data) returns deregistered=true."""
    start_registration(page, controlhub, component)
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("link", name="Deregister").click()
    expect(page.locator("#result")).to_have_text("deregistered=true")
    page.goto(controlhub.url + "/services/context/resources")
    expect(page.locator('#resources-table tr[data-resource="127.0.0.1"]')).to_contain_text("UNREGISTERED")
