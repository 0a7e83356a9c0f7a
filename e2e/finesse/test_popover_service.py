"""finesse.containerservices.PopoverService (Finesse 12.x) in a sample-style gadget, driven by chat offers:
the desktop draws each popover outside the gadget's iframe from the data objects of
developer.cisco.com/docs/finesse/popover-service (and the 12.6.1 typings), and the agent's answer reaches the
gadget's action handler."""

import re

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


def sample(test_gadget_server, name):
    """The URL of a sample gadget spec served by the test gadget's web server."""
    return f"{test_gadget_server.url}/samples/{name}.xml"


@pytest.fixture()
def popovers(desktop, finesse, test_gadget_server):
    """Agent 1001, READY in the chat MRD, with the chat popover sample; ``.gadget`` is its FrameLocator and
    ``.popover`` the desktop's popover area."""
    spec = sample(test_gadget_server, "ChatPopover")
    set_team_layout(finesse, "10", {"home": [spec]})
    agent = desktop("1001")
    agent.sign_in_to_media("5000")
    agent.gadget = agent.gadget_frame(spec)
    expect(agent.gadget.locator("#media-state")).to_have_text("READY")
    agent.popover = agent.page.locator("#popovers .popover")
    return agent


def seconds(clock):
    """ "01:00" → 60."""
    minutes, secs = clock.split(":")
    return int(minutes) * 60 + int(secs)


def expect_answered(agent, chat, note, state):
    """The popover is gone, the gadget noted the outcome, and the chat is in ``state`` on the server."""
    expect(agent.popover).to_have_count(0)
    expect(agent.gadget.locator(f"#offer-{chat['id']}")).to_have_text(note)
    dialog = next(d for d in agent.control("GET", "/state")["dialogs"] if d["id"] == chat["id"])
    assert dialog["state"] == state


def test_an_offered_chat_shows_a_popover_drawn_by_the_desktop(popovers):
    """bannerData → header title, icon and name/value rows; actionData → the required action text and two
    buttons with their type and hover text; timerData COUNT_DOWN → a countdown from 01:00 that runs."""
    chat = popovers.offer_chat(customer_name="Iva Kos", customer_email="iva.kos@example.com")
    popover = popovers.popover
    expect(popover).to_have_count(1)
    expect(popover).to_have_attribute("data-client-identifier", f"chat-{chat['id']}")
    expect(popover.locator(".popover-title")).to_have_text("Incoming chat")
    expect(popover.locator(".popover-icon")).to_have_attribute("data-icon-type", "collab-icon")
    expect(popover.locator("dt")).to_have_text(["Customer", "Email"])
    expect(popover.locator("dd")).to_have_text(["Iva Kos", "iva.kos@example.com"])
    expect(popover.locator(".popover-required-action")).to_have_text("Accept the chat from Iva Kos")
    buttons = popover.locator(".popover-actions button")
    expect(buttons).to_have_text(["Accept", "Decline"])
    expect(buttons.first).to_have_attribute("data-type", "Affirm")
    expect(buttons.first).to_have_attribute("title", "Accept the chat")
    timer = popover.locator(".popover-timer")
    expect(timer).to_have_text(re.compile(r"^(01:00|00:[0-5]\d)$"))
    first = timer.text_content()
    expect(timer).not_to_have_text(first, timeout=3000)
    assert seconds(timer.text_content()) < seconds(first)
    # Outside the gadget: the popover is the desktop's element, not the iframe's.
    assert popovers.gadget.locator(".popover").count() == 0


@pytest.mark.parametrize("answered", [False, True], ids=["request-held", "answer-held"])
def test_a_chat_offered_while_the_gadget_loads_its_dialogs_gets_one_popover(
    desktop, finesse, test_gadget_server, page, hold_first_gadget_get, answered
):
    """The chat is offered while the gadget's first GET of the MRD's dialogs is on its way: that answer lists it
    and the first load is silent (no onCollectionAdd), so the sample shows the dialogs its load finds as well.
    It showed none, and a chat offered as the fixture saw READY could miss its popover (the test flaked). With
    the answer read before the chat (answer-held), finesse.js adds the chat just before the load reports it:
    still one popover (CI once saw two)."""
    spec = sample(test_gadget_server, "ChatPopover")
    set_team_layout(finesse, "10", {"home": [spec]})
    held = hold_first_gadget_get("%2FMedia%2F5000%2FDialogs", answered=answered)
    agent = desktop("1001")
    agent.sign_in_to_media("5000")
    while not held:
        page.wait_for_timeout(20)
    gadget = agent.gadget_window(spec)
    gadget.evaluate("""() => {
        window.dialogUpdates = 0;
        gadgets.Hub.subscribe("finesse.api.User.1001.Dialogs.Media", () => { window.dialogUpdates += 1; });
    }""")
    chat = agent.offer_chat(customer_name="Iva Kos")
    gadget.wait_for_function("() => window.dialogUpdates > 0")
    held[0].continue_()
    expect(agent.page.locator("#popovers .popover")).to_have_count(1)
    expect(agent.gadget_frame(spec).locator(f"#offer-{chat['id']}")).to_have_text("offered")


def test_accept_in_the_popover_runs_the_gadgets_handler_which_accepts_the_chat(popovers):
    """Accept → actionHandler(popoverId, "accept") → MediaDialog ACCEPT; the gadget dismisses the popover."""
    chat = popovers.offer_chat()
    popovers.popover.get_by_role("button", name="Accept").click()
    expect_answered(popovers, chat, "accepted", "ACCEPTED")


def test_a_button_with_confirm_buttons_asks_again_before_answering(popovers):
    """Decline carries confirmButtons: pressing it shows them instead; "Keep it" restores the popover
    (updatePopover, same id), "Decline the chat" reaches the handler and the chat stays offered."""
    chat = popovers.offer_chat()
    popover_id = popovers.popover.get_attribute("data-popover-id")
    popovers.popover.get_by_role("button", name="Decline").click()
    expect(popovers.popover.locator(".popover-actions button")).to_have_text(["Decline the chat", "Keep it"])
    popovers.popover.get_by_role("button", name="Keep it").click()
    expect(popovers.popover.locator(".popover-actions button")).to_have_text(["Accept", "Decline"])
    expect(popovers.popover).to_have_attribute("data-popover-id", popover_id)
    popovers.popover.get_by_role("button", name="Decline").click()
    popovers.popover.get_by_role("button", name="Decline the chat").click()
    expect_answered(popovers, chat, "declined", "OFFERED")


def test_a_chat_accepted_in_the_call_control_takes_its_popover_with_it(popovers):
    """The agent accepts in the desktop's call control instead: the dialog's change handler dismisses it."""
    chat = popovers.offer_chat()
    expect(popovers.popover).to_have_count(1)
    popovers.page.locator(f"#dialog_{chat['id']}").get_by_role("button", name="Accept").click()
    expect(popovers.popover).to_have_count(0)
    expect(popovers.gadget.locator(f"#offer-{chat['id']}")).to_have_text("answered elsewhere")


def test_a_popover_not_kept_maximised_can_be_minimised_to_its_short_title(popovers):
    """keepMaximised false: the header's toggle minimises it to minHeaderTitle, hiding its body (inferred)."""
    popovers.offer_chat()
    popovers.popover.locator(".popover-minimise").click()
    expect(popovers.popover.locator(".popover-title")).to_have_text("Chat")
    expect(popovers.popover.locator(".popover-body")).to_be_hidden()
    popovers.popover.locator(".popover-minimise").click()
    expect(popovers.popover.get_by_role("button", name="Accept")).to_be_visible()


def test_a_dismissible_popover_goes_when_its_timer_ends(popovers):
    """dismissible true and a 1 s COUNT_DOWN: the desktop removes it and tells the handler "timeout"."""
    result = popovers.gadget_window("Chat Popover Sample").evaluate("""() => new Promise((resolve) => {
        setTimeout(() => resolve("no answer within 10 s"), 10000);
        const service = finesse.containerservices.PopoverService.init();
        service.showPopover(
            {icon: {type: "collab-icon", value: "chat"}, headerContent: {maxHeaderTitle: "Soon gone",
             minHeaderTitle: "Gone"}},
            {displayTimeoutInSecs: 1, display: true, counterType: "COUNT_DOWN"},
            {dismissible: true, keepMaximised: true, clientIdentifier: "short"},
            (popoverId, source) => resolve(source));
    })""")
    assert result == "timeout"
    expect(popovers.popover).to_have_count(0)


def test_a_gadget_that_reloads_takes_its_popovers_with_it(popovers):
    """reloadMyGadget: the old page's popover (whose handler died with it) leaves the desktop; the new page draws
    its own for the chat still offered."""
    chat = popovers.offer_chat()
    expect(popovers.popover).to_have_count(1)
    old_id = popovers.popover.get_attribute("data-popover-id")
    popovers.gadget_window("Chat Popover Sample").evaluate(
        "() => finesse.containerservices.ContainerServices.init().reloadMyGadget()"
    )
    expect(popovers.page.locator(f'#popovers .popover[data-popover-id="{old_id}"]')).to_have_count(0)
    expect(popovers.gadget.locator("#media-state")).to_have_text("RESERVED")  # the new page, the chat offered
    expect(popovers.popover).to_have_count(1)
    expect(popovers.gadget.locator(f"#offer-{chat['id']}")).to_have_text("offered")


@pytest.mark.parametrize(
    "call, message",
    [
        (
            "[{icon: {type: 't', value: 'v'}, headerContent: {maxHeaderTitle: 'a', minHeaderTitle: 'b'}},"
            " {displayTimeoutInSecs: 5, display: true, counterType: 'COUNT_DOWN'},"
            " {dismissible: false, keepMaximised: true, clientIdentifier: 'x', buttons: [{id: 'a', label: 'A', type: 'Affirm'},"
            " {id: 'b', label: 'B', type: 'Affirm'}, {id: 'c', label: 'C', type: 'Decline'}]}]",
            "PopoverService.showPopover: actionData.buttons holds at most 2 items (got 3)",
        ),
        (
            "[{icon: {type: 't', value: 'v'}, headerContent: {maxHeaderTitle: 'a', minHeaderTitle: 'b'}},"
            " {displayTimeoutInSecs: 5, display: true, counterType: 'SIDEWAYS'},"
            " {dismissible: false, keepMaximised: true, clientIdentifier: 'x'}]",
            "PopoverService.showPopover: timerData.counterType must be one of COUNT_UP, COUNT_DOWN",
        ),
        (
            "[{icon: {type: 't', value: 'v'}}, {displayTimeoutInSecs: 5, display: true, counterType: 'COUNT_UP'},"
            " {dismissible: false, keepMaximised: true, clientIdentifier: 'x'}]",
            "PopoverService.showPopover: bannerData.headerContent is required",
        ),
    ],
)
def test_popover_data_that_breaks_the_schema_is_refused_naming_the_field(popovers, call, message):
    """Each data object is checked against PopoverSchema before the desktop draws anything."""
    error = popovers.gadget_window("Chat Popover Sample").evaluate(f"""() => {{
        try {{
            finesse.containerservices.PopoverService.showPopover(...{call}, () => {{}});
            return "drawn";
        }} catch (e) {{ return e.message; }}
    }}""")
    assert error == message
    expect(popovers.popover).to_have_count(0)
