"""Finesse 12.x ContainerServices tile helpers in a sample-style gadget, driven by a call in Chromium:
hideMyGadget / showMyGadget, collapseMyGadget / expandMyGadget (collapsible gadgets), and
showMyGadgetNotification / hideMyGadgetNotification (developer.cisco.com/docs/finesse/container-services;
messageDetails as in Cisco's ECE integration guide)."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


@pytest.fixture()
def notifier(desktop, finesse, test_gadget_server):
    """Agent 1001 with the call notifier sample in its own "calls" tab (the home tab has another gadget);
    ``.tile`` is the notifier's tile in the desktop."""
    spec = f"{test_gadget_server.url}/samples/CallNotifier.xml"
    other = f"{test_gadget_server.url}/samples/HubSubscriber.xml"
    set_team_layout(finesse, "10", {"home": [other], "calls": [spec]})
    agent = desktop("1001")
    agent.gadget = agent.gadget_frame(spec)
    agent.tile = agent.page.locator("section.gadget", has=agent.page.locator('iframe[src*="CallNotifier"]'))
    agent.calls_tab = agent.page.locator("#tab_calls")
    expect(agent.tile).to_have_attribute("hidden", "")
    return agent


def test_a_gadget_hides_its_tile_until_a_call_rings_and_again_when_it_ends(notifier):
    """hideMyGadget at load (no calls) hides the whole tile; showMyGadget on a new call shows it; the
    caller hanging up hides it again."""
    notifier.activate_tab("calls")
    expect(notifier.tile).to_be_hidden()
    call = notifier.offer_call("+385915550101")
    expect(notifier.tile).to_be_visible()
    expect(notifier.gadget.locator("#caller")).to_have_text("+385915550101")
    notifier.dialog_action(call["id"], "CALLER_HANGUP")
    expect(notifier.tile).to_be_hidden()


def test_a_gadget_notification_marks_its_tab_and_shows_the_message_details(notifier):
    """showMyGadgetNotification(messageDetails) while the agent is on another tab: a dot on the gadget's tab
    and a dismissable notification with messageFrom, message and the icon's colour; opening the tab clears
    the dot, Dismiss removes the notification."""
    notifier.offer_call("+385915550102")
    expect(notifier.calls_tab).to_have_attribute("data-notification", "true")
    toast = notifier.page.locator("#gadget-notifications .gadget-notification")
    expect(toast.locator(".gadget-notification-from")).to_have_text("Incoming call")
    expect(toast.locator(".gadget-notification-message")).to_have_text("+385915550102")
    assert toast.locator(".gadget-notification-icon").evaluate("e => getComputedStyle(e).color") == "rgb(255, 0, 0)"
    notifier.activate_tab("calls")
    expect(notifier.calls_tab).not_to_have_attribute("data-notification", "true")
    toast.get_by_role("button", name="Dismiss").click()
    expect(toast).to_have_count(0)


def test_hide_my_gadget_notification_takes_the_dot_and_the_notification_away(notifier):
    """The call ends before the agent looks: hideMyGadgetNotification clears both."""
    call = notifier.offer_call("+385915550103")
    expect(notifier.calls_tab).to_have_attribute("data-notification", "true")
    notifier.dialog_action(call["id"], "CALLER_HANGUP")
    expect(notifier.calls_tab).not_to_have_attribute("data-notification", "true")
    expect(notifier.page.locator("#gadget-notifications .gadget-notification")).to_have_count(0)


def test_a_tabs_dot_stays_while_another_gadget_in_the_tab_still_notifies(desktop, finesse, test_gadget_server):
    """Two gadgets in one tab both call showMyGadgetNotification; the call notifier's call ends and it calls
    hideMyGadgetNotification: the tab's dot and the other gadget's notification stay (review finding: the first
    hide took the dot away); once the other gadget hides its notification too, the dot goes."""
    notifier_spec = f"{test_gadget_server.url}/samples/CallNotifier.xml"
    other_spec = f"{test_gadget_server.url}/samples/HubPublisher.xml"
    set_team_layout(
        finesse,
        "10",
        {"home": [f"{test_gadget_server.url}/samples/HubSubscriber.xml"], "calls": [notifier_spec, other_spec]},
    )
    agent = desktop("1001")
    calls_tab = agent.page.locator("#tab_calls")
    toasts = agent.page.locator("#gadget-notifications .gadget-notification")
    other = agent.gadget_window(other_spec)
    other.wait_for_function("() => window.finesse && finesse.containerservices")
    other.evaluate(
        """() => finesse.containerservices.ContainerServices.showMyGadgetNotification(
            {messageFrom: "Tasks", message: "A task waits", isDismissable: true, timeout: 0})"""
    )
    expect(calls_tab).to_have_attribute("data-notification", "true")
    call = agent.offer_call("+385915550105")
    expect(toasts).to_have_count(2)

    agent.dialog_action(call["id"], "CALLER_HANGUP")

    expect(toasts).to_have_count(1)
    expect(toasts.locator(".gadget-notification-from")).to_have_text("Tasks")
    expect(calls_tab).to_have_attribute("data-notification", "true")
    other.evaluate("() => finesse.containerservices.ContainerServices.hideMyGadgetNotification()")
    expect(calls_tab).not_to_have_attribute("data-notification", "true")
    expect(toasts).to_have_count(0)


def test_a_call_offered_while_the_notifier_loads_its_dialogs_notifies_once(
    desktop, finesse, test_gadget_server, page, hold_first_gadget_get
):
    """The notifier's first GET of its dialogs was answered before the call rang, and the call's notification
    reaches the gadget before that answer: finesse.js adds the dialog (onCollectionAdd) just before the load
    reports it (onLoad): one notification for the call, not two. A notification the gadget shows after, delivered in order, proves the count is final."""
    spec = f"{test_gadget_server.url}/samples/CallNotifier.xml"
    set_team_layout(finesse, "10", {"home": [f"{test_gadget_server.url}/samples/HubSubscriber.xml"], "calls": [spec]})
    held = hold_first_gadget_get("%2FUser%2F1001%2FDialogs", answered=True)
    agent = desktop("1001")
    while not held:
        page.wait_for_timeout(20)
    window = agent.gadget_window(spec)
    window.wait_for_function("() => window.gadgets && gadgets.Hub && gadgets.Hub.isConnected()")
    window.evaluate("""() => {
        window.dialogUpdates = 0;
        gadgets.Hub.subscribe("finesse.api.User.1001.Dialogs", () => { window.dialogUpdates += 1; });
    }""")
    agent.offer_call("+385915550106")
    window.wait_for_function("() => window.dialogUpdates > 0")
    held[0].continue_()
    toasts = agent.page.locator("#gadget-notifications .gadget-notification-message")
    expect(toasts.first).to_have_text("+385915550106")
    window.evaluate("""() => finesse.containerservices.ContainerServices.showMyGadgetNotification(
        {messageFrom: "Test", message: "sentinel", isDismissable: true, timeout: 0})""")
    expect(toasts.last).to_have_text("sentinel")
    expect(toasts).to_have_text(["+385915550106", "sentinel"])


def test_a_collapsible_gadget_collapses_to_its_title_bar_and_the_agent_expands_it(notifier):
    """collapseMyGadget (the spec has <Optional feature="collapsible"/>): only the title bar stays; the title
    bar's Expand button shows the gadget again."""
    notifier.activate_tab("calls")
    notifier.offer_call("+385915550104")
    notifier.gadget.get_by_role("button", name="Collapse").click()
    expect(notifier.tile).to_have_attribute("data-collapsed", "true")
    expect(notifier.tile.locator("iframe")).to_be_hidden()
    expect(notifier.tile.locator(".gadget-title")).to_be_visible()
    notifier.tile.get_by_role("button", name="Expand").click()
    expect(notifier.tile.locator("iframe")).to_be_visible()
    expect(notifier.gadget.locator("#caller")).to_have_text("+385915550104")


def test_a_gadget_without_the_collapsible_feature_does_not_collapse(desktop, finesse, test_gadget_server):
    """collapseMyGadget in a gadget whose spec lacks collapsible changes nothing, and it has no collapse button."""
    spec = f"{test_gadget_server.url}/samples/HubSubscriber.xml"
    set_team_layout(finesse, "10", {"home": [spec]})
    agent = desktop("1001")
    expect(agent.gadget_frame(spec).locator("#caller")).to_have_text("waiting")
    called = agent.gadget_window(spec).evaluate("""() => new Promise((resolve) => {
        const s = document.createElement("script");
        s.src = "/desktop/assets/js/finesse.js";
        s.onload = () => {
            try { finesse.containerservices.ContainerServices.init().collapseMyGadget(); resolve("called"); }
            catch (e) { resolve(e.message); }
        };
        s.onerror = () => resolve("finesse.js did not load");
        document.head.appendChild(s);
    })""")
    assert called == "called"
    tile = agent.page.locator("section.gadget").first
    expect(tile.locator("iframe")).to_be_visible()
    assert tile.get_attribute("data-collapsed") is None
    expect(tile.locator(".gadget-collapse")).to_have_count(0)
