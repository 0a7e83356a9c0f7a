"""Gadgets of our own written the way Cisco's samples are (CiscoDevNet/finesse-sample-code), each driven by a
call in the browser: phone book + click-to-call, hub topics between two gadgets."""
import pytest
from playwright.sync_api import expect

from e2e.fixtures import Desktop, set_team_layout


def sample(test_gadget_server, name):
    """The URL of a sample gadget spec served by the test gadget's web server."""
    return f"{test_gadget_server.url}/samples/{name}.xml"


@pytest.fixture()
def phonebook(desktop, finesse, test_gadget_server):
    """Agent 1001 with the phone book sample; ``.gadget`` is its FrameLocator."""
    set_team_layout(finesse, "10", {"home": [sample(test_gadget_server, "PhoneBook")]})
    Desktop(None, finesse, "1001").control("PUT", "/phonebooks/2", {
        "name": "Customer Care Escalations", "type": "TEAM", "teamIds": ["10"],
        "contacts": [{"firstName": "Escalation", "lastName": "Desk", "phoneNumber": "3999"}]})
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
    phonebook.control("PUT", "/phonebooks/2", {"name": "Escalations", "type": "TEAM", "teamIds": ["10"],
                                               "contacts": [{"firstName": "Night", "lastName": "Shift",
                                                             "phoneNumber": "3777"}]})
    phonebook.reload()
    expect(phonebook.gadget.locator("li.phonebook").nth(1).locator("button.contact")).to_have_text(
        ["Night Shift (3777)"])


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


@pytest.fixture()
def tasks(desktop, finesse, test_gadget_server):
    """Agent 1001 with the task management sample for the chat MRD (``?mrdid=5000`` on the layout URL)."""
    spec = sample(test_gadget_server, "TaskManagement") + "?mrdid=5000&mrdname=Cisco_Chat_MRD"
    set_team_layout(finesse, "10", {"home": [spec]})
    agent = desktop("1001")
    agent.gadget = agent.gadget_frame(spec)
    expect(agent.gadget.locator("#media-state")).to_have_text("Signed in to Cisco_Chat_MRD: READY")
    return agent


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


def test_a_refused_task_action_shows_finesses_error_code(tasks):
    """Close on an OFFERED chat is refused (400): Utilities.getErrCode gives the ApiError's type."""
    chat = tasks.offer_chat(customer_name="Iva Kos")
    tasks.gadget.locator(f"#task-{chat['id']} button.close").click()
    expect(tasks.gadget.locator("#error")).to_have_text("Invalid State")
