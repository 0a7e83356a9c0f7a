"""Finesse administration → Context Service Management: deregister Finesse, then register it again through
Control Hub's sign-in and consent pages, in a real browser. The connection data lands where the gadget server
reads it, as the demo wires them, so the Customer Context gadget works again after the new registration."""

import stat

import pytest
import requests
from playwright.sync_api import expect

from e2e.controlhub.test_controlhub_pages import serious_axe_violations
from e2e.gadget.conftest import basic
from gadget_plugin import connection, get_backend


@pytest.fixture()
def finesse_uses_the_gadget_registration(finesse, gadget, controlhub, monkeypatch):
    """Point the mock Finesse's Context Service settings at the mock Control Hub and at the connection file of
    the (registered) gadget server; returns that file's path."""
    path = connection.path_in(gadget.app.config["INSTANCE_PATH"])
    monkeypatch.setitem(finesse.app.config, "CONTEXT_SERVICE_REGISTRATION_URL", controlhub.url)
    monkeypatch.setitem(finesse.app.config, "CONTEXT_SERVICE_CONNECTION_FILE", str(path))
    return path


def gadget_status(gadget):
    """The gadget server's ``/api/v1/status`` for agent 1001, its caches dropped first."""
    get_backend(gadget.app).reset()
    return requests.get(gadget.url + "/api/v1/status", headers={"Authorization": basic("1001")}, timeout=10).json()


def sign_in_to_administration(page, finesse):
    """The Finesse administration sign-in, then the Context Service Management page."""
    page.goto(finesse.url + "/cfadmin/")
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill("demoadmin")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Context Service Management").click()
    expect(page.get_by_role("heading", name="Context Service Management")).to_be_visible()


def test_admin_deregisters_finesse_and_registers_it_again_through_control_hub(
    page, finesse, gadget, controlhub, finesse_uses_the_gadget_registration
):
    """Registered → Deregister: Not registered, the file is gone, the gadget says not registered; Register →
    Control Hub sign-in and consent → back on the page: Registered, the file is owner-only, the gadget works."""
    sign_in_to_administration(page, finesse)
    expect(page.locator("#cs-state")).to_have_text("Registered")

    page.get_by_role("button", name="Deregister").click()
    expect(page.get_by_role("status")).to_have_text("Finesse is deregistered from Context Service.")
    expect(page.locator("#cs-state")).to_have_text("Not registered")
    assert connection.load(gadget.app.config["INSTANCE_PATH"]) is None
    assert gadget_status(gadget)["reason"] == "NOT_REGISTERED"

    page.get_by_role("button", name="Register").click()
    hub = controlhub.app.config
    page.get_by_label("Email address").fill(hub["ADMIN_EMAIL"])
    page.get_by_label("Password").fill(hub["ADMIN_PASSWORD"])
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("button", name="Accept").click()

    expect(page.get_by_role("status")).to_have_text("Finesse is registered with Context Service.")
    expect(page.locator("#cs-state")).to_have_text("Registered")
    assert stat.S_IMODE(finesse_uses_the_gadget_registration.stat().st_mode) == 0o600
    assert gadget_status(gadget)["available"] is True


def test_both_administration_pages_have_no_serious_axe_violations(page, finesse, finesse_uses_the_gadget_registration):
    """axe-core finds no serious or critical violation on Context Service Management and Desktop Layout."""
    sign_in_to_administration(page, finesse)
    assert serious_axe_violations(page) == []
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Desktop Layout").click()
    expect(page.get_by_role("heading", name="Desktop Layout")).to_be_visible()
    assert serious_axe_violations(page) == []


def test_the_page_needs_the_administration_sign_in(finesse):
    """Without the sign-in the page sends the browser to the administration sign-in."""
    response = requests.get(finesse.url + "/cfadmin/contextservice/", allow_redirects=False, timeout=10)
    assert response.status_code == 302 and response.headers["Location"].endswith("/cfadmin/")
