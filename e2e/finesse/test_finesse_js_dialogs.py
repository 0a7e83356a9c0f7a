"""finesse.js in a gadget: User, Dialogs and MediaDialogs follow the simulator's calls, chats and emails."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout

CHAT_MRD, EMAIL_MRD = "5000", "5001"


@pytest.fixture()
def agent(desktop, finesse, test_gadget_server):
    """Agent 1001 signed in with the test gadget loaded; ``agent.gadget`` is its FrameLocator."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    signed_in = desktop("1001")
    signed_in.gadget = signed_in.gadget_frame(test_gadget_server.spec_url)
    expect(signed_in.gadget.locator("#agent-name")).to_have_text("Ana Horvat")
    return signed_in


def test_call_shows_alerting_then_active_then_dropped(agent):
    """onCollectionAdd shows the ALERTING call with its variable; change → ACTIVE → DROPPED; after wrap-up
    onCollectionDelete removes it."""
    call = agent.offer_call("+385911112222", callVariables={"callVariable1": "Order 42"})
    row = agent.gadget.locator(f"#dialog-{call['id']}")
    expect(row).to_have_text(f"+385911112222 → {call['toAddress']} ALERTING (Order 42)")
    agent.dialog_action(call["id"], "ANSWER")
    expect(row).to_have_attribute("data-state", "ACTIVE")
    expect(agent.gadget.locator("#agent-state")).to_have_text("TALKING")
    agent.dialog_action(call["id"], "DROP")
    expect(row).to_have_text(f"+385911112222 → {call['toAddress']} DROPPED (Order 42)")
    agent.dialog_action(call["id"], "END_WRAP_UP")
    expect(row).to_have_attribute("data-removed", "true")


def test_agent_state_change_reaches_user_onchange(agent):
    """A User PUT notification runs the gadget's onChange with the new state."""
    agent.rest("PUT", "/User/1001", "<User><state>READY</state></User>")
    expect(agent.gadget.locator("#agent-state")).to_have_text("READY")


def test_chat_shows_offered_then_accepted_then_closed(agent):
    """MediaList → Media → MediaDialogs: a chat is OFFERED, ACCEPTED (task action), then CLOSED."""
    agent.sign_in_to_media(CHAT_MRD)
    chat = agent.offer_chat(customer_email="iva.kos@example.com")
    row = agent.gadget.locator(f"#task-{chat['id']}")
    expect(row).to_have_text("Cisco_Chat_MRD: iva.kos@example.com OFFERED")
    agent.dialog_action(chat["id"], "ACCEPT")
    expect(row).to_have_text("Cisco_Chat_MRD: iva.kos@example.com ACCEPTED")
    agent.dialog_action(chat["id"], "CLOSE")
    expect(row).to_have_text("Cisco_Chat_MRD: iva.kos@example.com CLOSED")


def test_email_lands_only_in_the_email_media_dialogs(agent):
    """An email appears under Cisco_Email_MRD (MediaDialogs keep their own MRD's dialogs only)."""
    agent.sign_in_to_media(CHAT_MRD)
    agent.sign_in_to_media(EMAIL_MRD)
    email = agent.offer_email(from_address="petar@example.com")
    expect(agent.gadget.locator(f"#task-{email['id']}")).to_have_text("Cisco_Email_MRD: petar@example.com OFFERED")
    expect(agent.gadget.locator("#tasks li")).to_have_count(1)


def added_ids(agent):
    """Ids the test gadget's onCollectionAdd handlers saw since its page loaded."""
    return agent.gadget.locator("body").evaluate("() => window.testGadget.adds.map(a => a.id)")


def test_dialogs_already_there_come_with_on_load_not_on_collection_add(agent):
    """A call offered before the desktop reloads is in the collection onLoad reports, and onCollectionAdd does
    not fire for it: Cisco's 10.5.1 builds the collection silently."""
    call = agent.offer_call("+385913334444")
    expect(agent.gadget.locator(f"#dialog-{call['id']}")).to_have_attribute("data-state", "ALERTING")
    agent.reload()
    expect(agent.gadget.locator(f"#dialog-{call['id']}")).to_have_attribute("data-state", "ALERTING")
    assert call["id"] not in added_ids(agent)


def test_chats_already_there_come_with_on_load_not_on_collection_add(agent):
    """MediaDialogs loaded over REST hold the chats already offered; onCollectionAdd stays silent for them."""
    agent.sign_in_to_media(CHAT_MRD)
    chat = agent.offer_chat(customer_email="mia@example.com")
    agent.reload()
    expect(agent.gadget.locator(f"#task-{chat['id']}")).to_have_text("Cisco_Chat_MRD: mia@example.com OFFERED")
    assert chat["id"] not in added_ids(agent)


def test_two_agents_see_only_their_own_calls(agent, desktop, test_gadget_server):
    """Two desktops at once (two browser contexts): a call to 1002 reaches only 1002's gadget."""
    other = desktop("1002")
    other_gadget = other.gadget_frame(test_gadget_server.spec_url)
    expect(other_gadget.locator("#agent-name")).to_have_text("Marko Kovač")
    call = other.offer_call("+385915556666")
    expect(other_gadget.locator(f"#dialog-{call['id']}")).to_have_attribute("data-state", "ALERTING")
    expect(agent.gadget.locator("#dialogs li")).to_have_count(0)
