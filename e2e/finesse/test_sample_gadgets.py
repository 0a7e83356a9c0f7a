"""Gadgets of our own written the way Cisco's samples are (CiscoDevNet/finesse-sample-code), each driven by a
call in the browser: phone book + click-to-call, hub topics between two gadgets."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import Desktop, set_team_layout


def sample(test_gadget_server, name):
    """The URL of a sample gadget spec served by the test gadget's web server."""
    return f"{test_gadget_server.url}/samples/{name}.xml"


@pytest.fixture()
def phonebook(desktop, finesse, test_gadget_server):
    """Agent 1001 with the phone book sample; ``.gadget`` is its FrameLocator."""
    set_team_layout(finesse, "10", {"home": [sample(test_gadget_server, "PhoneBook")]})
    Desktop(None, finesse, "1001").control(
        "PUT",
        "/phonebooks/2",
        {
            "name": "Customer Care Escalations",
            "type": "TEAM",
            "teamIds": ["10"],
            "contacts": [{"firstName": "Escalation", "lastName": "Desk", "phoneNumber": "3999"}],
        },
    )
    agent = desktop("1001")
    agent.gadget = agent.gadget_frame(sample(test_gadget_server, "PhoneBook"))
    return agent


def test_phone_book_sample_lists_the_agents_books_and_their_contacts(phonebook):
    """User.getPhoneBooks → GLOBAL and TEAM books; PhoneBook.getContacts → the contacts with their numbers."""
    books = phonebook.gadget.locator("li.phonebook")
    expect(books).to_have_count(2)
    expect(books.nth(0)).to_have_attribute("data-type", "GLOBAL")
    expect(books.nth(1).locator("button.contact")).to_have_text(["Escalation Desk (3999)"])
    expect(books.nth(0).locator("button.contact").first).to_have_attribute("title", "IT help desk")


def test_clicking_a_contact_calls_it(phonebook):
    """Click-to-call: a contact's button makes the call (MAKE_CALL); the new dialog dials that number."""
    phonebook.gadget.get_by_role("button", name="Help Desk (3900)").click()
    expect(phonebook.gadget.locator("#call-state")).to_have_text("3900 INITIATED")
    dialogs = phonebook.control("GET", "/state")["dialogs"]
    assert [(d["agentId"], d["toAddress"], d["state"]) for d in dialogs] == [("1001", "3900", "INITIATED")]


def test_a_phone_book_changed_through_the_control_api_shows_after_the_gadget_reloads(phonebook):
    """PUT /_mock/phonebooks/2 with new contacts: the reloaded desktop's gadget lists them."""
    phonebook.control(
        "PUT",
        "/phonebooks/2",
        {
            "name": "Escalations",
            "type": "TEAM",
            "teamIds": ["10"],
            "contacts": [{"firstName": "Night", "lastName": "Shift", "phoneNumber": "3777"}],
        },
    )
    phonebook.reload()
    expect(phonebook.gadget.locator("li.phonebook").nth(1).locator("button.contact")).to_have_text(
        ["Night Shift (3777)"]
    )


def test_hub_topics_carry_a_new_calls_caller_from_one_gadget_to_another(desktop, finesse, test_gadget_server):
    """HubTopic-style pair: the publisher publishes each new call's caller on sampleGadget.info, the
    subscriber (another iframe) shows it; both tiles carry their <ModulePrefs title>."""
    publisher, subscriber = sample(test_gadget_server, "HubPublisher"), sample(test_gadget_server, "HubSubscriber")
    set_team_layout(finesse, "10", {"home": [publisher, subscriber]})
    agent = desktop("1001")
    expect(agent.page.locator(".gadget-title")).to_have_text(["Hub Publisher Sample", "Hub Subscriber Sample"])
    expect(agent.gadget_frame(subscriber).locator("#caller")).to_have_text("waiting")
    call = agent.offer_call("+385917778888")
    expect(agent.gadget_frame(publisher).locator("#published")).to_have_text("+385917778888")
    expect(agent.gadget_frame(subscriber).locator("#caller")).to_have_text(f"+385917778888 ({call['id']})")


def test_a_call_offered_while_the_publisher_loads_its_dialogs_is_published_once(
    desktop, finesse, test_gadget_server, page, hold_first_gadget_get
):
    """The call rings while the publisher's first GET of its dialogs is on its way: that answer lists it and the
    first load is silent (onLoad, no onCollectionAdd), so the sample publishes the dialogs its load finds too.
    It published none, and a call offered right after the desktop came up could go unpublished (CI flake). When
    the answer was read before the call rang and its notification comes first, finesse.js adds the dialog just
    before the load reports it: it is published once, not twice (the
    subscriber counts; a message the publisher sends after, delivered in order, proves the count is final)."""
    publisher, subscriber = sample(test_gadget_server, "HubPublisher"), sample(test_gadget_server, "HubSubscriber")
    set_team_layout(finesse, "10", {"home": [publisher, subscriber]})
    held = hold_first_gadget_get("%2FUser%2F1001%2FDialogs", answered=True)
    agent = desktop("1001")
    while not held:
        page.wait_for_timeout(20)
    expect(agent.gadget_frame(subscriber).locator("#caller")).to_have_text("waiting")
    agent.gadget_window(subscriber).evaluate("""() => {
        window.received = {};
        gadgets.Hub.subscribe("sampleGadget.info", (topic, data) => {
            window.received[data.dialogId] = (window.received[data.dialogId] || 0) + 1;
        });
    }""")
    window = agent.gadget_window(publisher)
    window.evaluate("""() => {
        window.dialogUpdates = 0;
        gadgets.Hub.subscribe("finesse.api.User.1001.Dialogs", () => { window.dialogUpdates += 1; });
    }""")
    call = agent.offer_call("+385917778889")
    window.wait_for_function("() => window.dialogUpdates > 0")
    held[0].continue_()
    expect(agent.gadget_frame(publisher).locator("#published")).to_have_text("+385917778889")
    expect(agent.gadget_frame(subscriber).locator("#caller")).to_have_text(f"+385917778889 ({call['id']})")
    window.evaluate("""() => gadgets.Hub.publish("sampleGadget.info", {caller: "sentinel", dialogId: "sentinel"})""")
    agent.gadget_window(subscriber).wait_for_function("() => window.received.sentinel === 1")
    assert agent.gadget_window(subscriber).evaluate("window.received") == {call["id"]: 1, "sentinel": 1}


@pytest.fixture()
def tasks(desktop, finesse, test_gadget_server):
    """Agent 1001 with the task management sample for the chat MRD (``?mrdid=5000`` on the layout URL)."""
    spec = sample(test_gadget_server, "TaskManagement") + "?mrdid=5000&mrdname=Cisco_Chat_MRD"
    set_team_layout(finesse, "10", {"home": [spec]})
    agent = desktop("1001")
    agent.gadget = agent.gadget_frame(spec)
    expect(agent.gadget.locator("#media-state")).to_have_text("Signed in to Cisco_Chat_MRD: READY")
    return agent


def test_a_gadget_starts_once_the_desktop_listens_for_notifications(
    desktop, finesse, test_gadget_server, page, monkeypatch
):
    """The desktop's XMPP session is held back at sign-in: the task sample's document loads but it does not start
    (the hub is not connected yet), so the READY its first PUT causes cannot be published before the desktop
    listens; once the session is up it starts and shows READY. It used to start at once, and when its PUT beat the
    desktop's BOSH session the READY notification was lost: the MRD stayed NOT_READY (CI flake)."""
    held = []
    page.route("**/http-bind*", lambda route: route.continue_() if held else held.append(route))
    spec = sample(test_gadget_server, "TaskManagement") + "?mrdid=5000&mrdname=Cisco_Chat_MRD"
    set_team_layout(finesse, "10", {"home": [spec]})
    monkeypatch.setattr(Desktop, "wait_connected", lambda self: self)  # signed in, notifications not up yet
    agent = desktop("1001")
    while not held:
        page.wait_for_timeout(20)
    frame = agent.gadget_window(spec)
    frame.wait_for_load_state()
    assert frame.evaluate("gadgets.Hub.isConnected()") is False
    held[0].continue_()
    expect(agent.gadget_frame(spec).locator("#media-state")).to_have_text("Signed in to Cisco_Chat_MRD: READY")


def test_task_sample_signs_in_to_its_mrd_and_labels_a_chat_from_the_media_properties_layout(tasks):
    """Media.login + READY for the MRD of the layout URL; a chat shows under the layout's header label."""
    chat = tasks.offer_chat(customer_name="Iva Kos")
    row = tasks.gadget.locator(f"#task-{chat['id']}")
    expect(row.locator(".customer")).to_have_text("Customer Name: Iva Kos")
    expect(row).to_have_attribute("data-state", "OFFERED")
    expect(row.locator("button")).to_have_text(["Accept", "Transfer", "Close"])  # finesse.utilities.I18n


def test_task_sample_accepts_then_transfers_a_chat_to_a_script_selector(tasks):
    """MediaDialog.accept → ACCEPTED; MediaDialog.transfer(scriptSelector) → the chat leaves the agent."""
    chat = tasks.offer_chat(customer_name="Iva Kos")
    row = tasks.gadget.locator(f"#task-{chat['id']}")
    row.locator("button.accept").click()
    expect(row).to_have_attribute("data-state", "ACCEPTED")
    row.locator("button.transfer").click()
    expect(row).to_have_attribute("data-removed", "true")
    assert tasks.control("GET", "/state")["dialogs"] == []


def test_a_refused_task_action_shows_finesses_error_code_in_the_message_banner(tasks):
    """Close on an OFFERED chat is refused (400): Utilities.getErrCode gives the ApiError's type, shown by the
    desktop-served /desktop/js/utilities/MessageDisplay.js (showBannerError); the next action hides it."""
    chat = tasks.offer_chat(customer_name="Iva Kos")
    row = tasks.gadget.locator(f"#task-{chat['id']}")
    row.locator("button.close").click()
    banner = tasks.gadget.get_by_role("alert")
    expect(banner).to_have_text("Invalid State")
    row.locator("button.accept").click()
    expect(row).to_have_attribute("data-state", "ACCEPTED")
    expect(banner).to_be_hidden()


@pytest.fixture()
def channel(desktop, finesse, test_gadget_server):
    """Agent 1001, signed in to the chat MRD (NOT_READY), with the digital channel sample; ``.header`` is the
    channel's element in the desktop header."""
    set_team_layout(finesse, "10", {"home": [sample(test_gadget_server, "DigitalChannel")]})
    agent = desktop("1001")
    agent.sign_in_to_media("5000", ready=False)
    expect(agent.gadget_frame(sample(test_gadget_server, "DigitalChannel")).locator("#channel")).to_have_text("added")
    agent.header = agent.page.locator('#digital-channels .channel[data-channel-id="SampleChatChannel"]')
    return agent


def test_a_channel_added_with_channel_service_shows_in_the_desktop_header(channel):
    """ChannelService.addChannel puts the channel in the header: label, current state, its menu items."""
    expect(channel.header.locator(".channel-button")).to_have_text("Sample Chat: Not Ready")
    channel.header.locator(".channel-button").click()
    expect(channel.header.get_by_role("menuitem")).to_have_text(["Ready", "Not Ready", "Break"])


def test_picking_a_state_in_the_header_runs_the_gadgets_menu_handler(channel):
    """Ready in the header's menu → the gadget's menu handler sets the Media READY; the channel follows it,
    and an offered chat raises the channel's badge."""
    channel.header.locator(".channel-button").click()
    channel.header.get_by_role("menuitem", name="Ready", exact=True).click()
    expect(channel.header.locator(".channel-button")).to_have_text("Sample Chat: Ready")
    agent = next(a for a in channel.control("GET", "/state")["agents"] if a["id"] == "1001")
    assert agent["media"]["5000"] == "READY"
    channel.offer_chat()
    expect(channel.header).to_have_attribute("data-icon-badge", "info")
    expect(channel.header.locator(".channel-button")).to_have_attribute("title", "1 chat(s) offered")


def test_a_refused_state_change_shows_the_handlers_error_in_the_header(channel):
    """The menu handler's onError({error: {errorCode, errorDesc}}) is shown by the channel."""
    channel.header.locator(".channel-button").click()
    channel.header.get_by_role("menuitem", name="Break").click()
    expect(channel.header.locator(".channel-status")).to_have_text(
        "Could not change the state: Breaks are taken on the voice channel (567)"
    )
