"""The mock desktop's own chrome in a browser: sign-in, voice state menu, call control and the simulator panel."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from finesse_harness.waiting import eventually


@pytest.mark.allow_console_errors(r"status of 401 .*/desktop/signin")
def test_sign_in_error_then_sign_in_shows_the_agent_not_ready(finesse, page):
    """A wrong password shows the error on the form; the right one opens the desktop with name and Not Ready."""
    page.goto(finesse.url + "/desktop/")
    page.get_by_label("ID").fill("1001")
    page.get_by_label("Password").fill("nope")
    page.get_by_label("Extension").fill("3001")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_have_text("Invalid ID or password.")
    page.get_by_label("Password").fill("demo1001")
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#agent-name")).to_have_text("Ana Horvat")
    expect(page.locator("#voice-state-label")).to_have_text("Not Ready")
    expect(page.locator("#voice-state-timer")).to_have_text(re.compile(r"^0:[0-5]\d$"))
    expect(page.locator("#no-dialogs")).to_be_visible()


def test_state_menu_sets_ready_and_not_ready_with_a_reason(desktop):
    """Ready from the state menu, then Not Ready - Lunch by keyboard; the header follows the User notifications."""
    agent = desktop("1001")
    page = agent.page
    page.locator("#voice-state-button").click()
    page.get_by_role("menuitem", name="Ready", exact=True).click()
    expect(page.locator("#voice-state-label")).to_have_text("Ready")
    expect(page.locator("#voice-state-button")).to_have_attribute("data-state", "READY")
    page.locator("#voice-state-button").click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("menuitem", name="Not Ready - Lunch")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#voice-state-label")).to_have_text("Not Ready - Lunch")
    assert agent.control("GET", "/state")["agents"][0]["reasonCodeId"] == "2"


def test_simulator_offers_a_call_that_answer_and_end_handle(desktop):
    """Mock simulator → Offer call rings; Answer → Talking; End → wrap-up with a reason; Ready ends the wrap-up."""
    agent = desktop("1001")
    page = agent.page
    page.get_by_text("Mock simulator").click()
    page.get_by_label("Caller number (ANI)").fill("+385917654321")
    page.get_by_label("callVariable1").fill("Order 77")
    page.get_by_label("ECC variables").fill("customerId=C-17")
    page.locator("#sim-call").get_by_label("POD.ID").fill("pod-42")
    page.get_by_role("button", name="Offer call").click()
    call = page.locator(".dialog-call")
    expect(call).to_contain_text("+385917654321")
    expect(call.locator(".dialog-variables")).to_have_text(
        "callVariable1: Order 77 · user.customerId: C-17 · POD.ID: pod-42"
    )
    expect(call).to_have_attribute("data-state", "ALERTING")
    expect(page.locator("#voice-state-label")).to_have_text("Reserved")
    call.get_by_role("button", name="Answer").click()
    expect(call).to_have_attribute("data-state", "ACTIVE")
    expect(page.locator("#voice-state-label")).to_have_text("Talking")
    call.get_by_role("button", name="End").click()
    expect(call).to_have_attribute("data-state", "WRAP_UP")
    expect(page.locator("#voice-state-label")).to_have_text("Wrap-Up")
    call.get_by_label("Wrap-up reason").select_option("Billing Question")
    dialog_id = agent.control("GET", "/state")["dialogs"][0]["id"]
    # The choice is sent as UPDATE_CALL_DATA (a PUT the desktop makes on its own): stored once Finesse has it.
    eventually(
        lambda: agent.rest("GET", f"/Dialog/{dialog_id}").text,
        lambda xml: "<wrapUpReason>Billing Question</wrapUpReason>" in xml,
        page=page,
    )
    expect(call.get_by_label("Wrap-up reason")).to_have_value("Billing Question")
    page.locator("#voice-state-button").click()
    page.get_by_role("menuitem", name="Ready", exact=True).click()
    expect(call).to_have_count(0)
    expect(page.locator("#voice-state-label")).to_have_text("Ready")


def test_chat_is_accepted_and_closed_and_the_agent_signs_out(desktop):
    """A simulated chat shows Accept; Accept starts it (ACTIVE); Close removes it; Sign Out returns to sign-in."""
    agent = desktop("1001")
    page = agent.page
    page.get_by_text("Mock simulator").click()
    page.get_by_label("Customer name").fill("Iva Kos")
    page.get_by_label("Customer email").fill("iva.kos@example.com")
    page.get_by_role("button", name="Offer chat").click()
    chat = page.locator(".dialog-chat")
    expect(chat).to_contain_text("Iva Kos <iva.kos@example.com>")
    chat.get_by_role("button", name="Accept").click()
    expect(chat).to_have_attribute("data-state", "ACTIVE")
    chat.get_by_role("button", name="Close").click()
    expect(chat).to_have_count(0)
    page.get_by_role("button", name="Sign Out").click()
    expect(page).to_have_url(re.compile(r"/desktop/signin$"))
    assert agent.control("GET", "/state")["agents"][0]["state"] == "LOGOUT"


def test_croatian_desktop_labels_follow_the_language_picker(desktop):
    """Signing in with Hrvatski shows the chrome, and Finesse's tab-label keys, in Croatian."""
    agent = desktop("1001", locale="hr_HR")
    expect(agent.page.locator("#voice-state-label")).to_have_text("Nije spreman")
    expect(agent.page.get_by_role("button", name="Odjava")).to_be_visible()
    expect(agent.page.get_by_role("tab", name="Početna")).to_have_attribute("aria-selected", "true")


def test_sign_in_page_and_desktop_have_no_serious_axe_violations(finesse, page, desktop):
    """axe-core finds no serious or critical violation on the sign-in page and on the desktop with a call."""

    def serious(results):
        return [
            f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")
        ]

    page.goto(finesse.url + "/desktop/signin")
    assert serious(Axe().run(page)) == []
    agent = desktop("1001")
    expect(page.locator("body")).to_have_attribute("data-connection", "connected")
    agent.control("PUT", "/agents/1001/state", {"state": "READY"})
    agent.offer_call("+385911112222")
    page.get_by_text("Mock simulator").click()
    expect(page.get_by_role("button", name="Answer")).to_be_visible()
    assert serious(Axe().run(page)) == []


def test_offer_made_while_the_desktop_connects_is_not_missed(desktop):
    """A call offered right after sign-in (before the notification stream is up) still shows, once connected."""
    agent = desktop("1001")
    agent.control("PUT", "/agents/1001/state", {"state": "READY"})
    agent.offer_call("+385915550000")
    expect(agent.page.locator("body")).to_have_attribute("data-connection", "connected")
    expect(agent.page.locator(".dialog-call")).to_contain_text("+385915550000")
    expect(agent.page.locator("#voice-state-label")).to_have_text("Reserved")


def test_two_agents_call_each_other_from_their_desktops(desktop):
    """Ana dials Marko's extension from Make a New Call; Marko's desktop rings, Answer connects both."""
    ana, marko = desktop("1001"), desktop("1002")
    marko.page.locator("#voice-state-button").click()
    marko.page.get_by_role("menuitem", name="Ready", exact=True).click()
    expect(marko.page.locator("#voice-state-label")).to_have_text("Ready")
    ana.page.get_by_label("Number to call").fill("3002")
    ana.page.get_by_role("button", name="Call", exact=True).click()
    expect(ana.page.locator(".dialog-call")).to_have_attribute("data-state", "INITIATED")
    ringing = marko.page.locator(".dialog-call")
    expect(ringing).to_contain_text("3001")
    ringing.get_by_role("button", name="Answer").click()
    expect(ana.page.locator(".dialog-call")).to_have_attribute("data-state", "ACTIVE")
    expect(marko.page.locator("#voice-state-label")).to_have_text("Talking")
    ana.page.locator(".dialog-call").get_by_role("button", name="End").click()
    expect(ringing).to_have_attribute("data-state", "WRAP_UP")
    expect(ana.page.locator(".dialog-call")).to_have_count(0)


def test_consult_then_transfer_from_the_desktop(desktop):
    """Ana consults Marko (Number to call + Consult), Marko answers, Ana clicks Transfer: Marko has the caller."""
    ana, marko = desktop("1001"), desktop("1002")
    for agent in (ana, marko):
        agent.control("PUT", f"/agents/{agent.agent_id}/state", {"state": "READY"})
    ana.offer_call("+385914440000")
    call = ana.page.locator(".dialog-call").first
    call.get_by_role("button", name="Answer").click()
    call.get_by_role("button", name="Consult").click()
    expect(ana.page.locator("#call-control-error")).to_have_text('Enter the number in "Number to call" first.')
    ana.page.get_by_label("Number to call").fill("3002")
    call.get_by_role("button", name="Consult").click()
    expect(call).to_have_attribute("data-state", "HELD")
    marko.page.locator(".dialog-call").get_by_role("button", name="Answer").click()
    call.get_by_role("button", name="Transfer", exact=True).click()
    expect(marko.page.locator(".dialog-call")).to_contain_text("+385914440000")
    expect(call).to_have_attribute("data-state", "WRAP_UP")
    expect(ana.page.locator(".dialog-call")).to_have_count(1)
