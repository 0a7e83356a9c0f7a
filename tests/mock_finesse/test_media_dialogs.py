"""Chat and email (non-voice) over HTTP: Media sign-in and state, offered dialogs, task actions, notifications."""

import requests
from lxml import etree


def task(finesse, headers, dialog_id, action, request_id=None):
    """PUT a task action on a non-voice dialog."""
    headers = {**headers, **({"requestId": request_id} if request_id else {})}
    return requests.put(
        f"{finesse.url}/finesse/api/Dialog/{dialog_id}",
        headers=headers,
        timeout=5,
        data=f"<Dialog><requestedAction>{action}</requestedAction></Dialog>",
    )


def offer_chat(control):
    """Offer agent 1001 a chat from Ann Lee."""
    return control(
        "/chats",
        {
            "agentId": "1001",
            "customerName": "Ann Lee",
            "customerEmail": "ann.lee@example.com",
            "message": "Where is my parcel?",
        },
    )


def test_media_list_shows_chat_and_email_mrds(finesse, agent_1001, login):
    """GET Media → MediaList with Cisco_Chat_MRD (5000) and Cisco_Email_MRD (5001), NOT_READY after LOGIN."""
    login(state="NOT_READY")
    media_list = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/User/1001/Media", headers=agent_1001, timeout=5).content
    )
    assert media_list.tag == "MediaList"
    assert [(m.findtext("id"), m.findtext("name"), m.findtext("state")) for m in media_list] == [
        ("5000", "Cisco_Chat_MRD", "NOT_READY"),
        ("5001", "Cisco_Email_MRD", "NOT_READY"),
    ]
    assert media_list[0].findtext("uri") == "/finesse/api/User/1001/Media/5000"


def test_offered_chat_is_posted_on_the_media_dialogs_node(control, notifications, call_variables, login):
    """A chat offer → POST on /finesse/api/User/1001/Dialogs/Media from …/Media/5000/Dialogs, OFFERED + ACCEPT."""
    login(state="NOT_READY")
    stream = notifications()
    dialog_id = offer_chat(control)["id"]
    node, update = stream.next()
    assert node == "/finesse/api/User/1001/Dialogs/Media"
    assert update.findtext("event") == "POST"
    assert update.findtext("source") == "/finesse/api/User/1001/Media/5000/Dialogs"
    dialog = update.find("data/dialogs/Dialog")
    assert dialog.findtext("id") == dialog_id and "_" in dialog_id
    assert (dialog.findtext("mediaType"), dialog.findtext("state")) == ("Cisco_Chat_MRD", "OFFERED")
    assert dialog.findtext("mediaProperties/mediaId") == "5000"
    assert dialog.findtext("fromAddress") == "ann.lee@example.com"
    assert call_variables(dialog) == {
        "callVariable1": "Ann Lee",
        "callVariable2": "ann.lee@example.com",
        "callVariable3": "Where is my parcel?",
    }
    assert [a.text for a in dialog.find("participants/Participant/actions")] == ["ACCEPT"]


def test_chat_moves_accept_start_pause_resume_wrap_up_close(finesse, agent_1001, control, notifications, login):
    """Each task action → 202 and a PUT <dialog> in the next state with the requestId; CLOSE → DELETE."""
    login(state="NOT_READY")
    dialog_id = offer_chat(control)["id"]
    stream = notifications()
    for action, state in (
        ("ACCEPT", "ACCEPTED"),
        ("START", "ACTIVE"),
        ("PAUSE", "PAUSED"),
        ("RESUME", "ACTIVE"),
        ("WRAP_UP", "WRAPPING_UP"),
    ):
        assert task(finesse, agent_1001, dialog_id, action, f"req-{action}").status_code == 202
        node, update = stream.next()
        assert (node, update.findtext("event")) == ("/finesse/api/User/1001/Dialogs/Media", "PUT")
        assert update.findtext("source") == f"/finesse/api/Dialog/{dialog_id}"
        assert update.findtext("requestId") == f"req-{action}"
        assert update.findtext("data/dialog/state") == state
    assert task(finesse, agent_1001, dialog_id, "CLOSE").status_code == 202
    node, update = stream.next()
    assert update.findtext("event") == "DELETE"
    assert update.findtext("data/dialogs/Dialog/state") == "CLOSED"
    listing = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/User/1001/Media/5000/Dialogs", headers=agent_1001, timeout=5).content
    )
    assert len(listing) == 0


def test_task_action_out_of_order_is_refused(finesse, agent_1001, control, api_error, login):
    """PAUSE on an OFFERED chat → 400 Invalid State naming requestedAction."""
    login(state="NOT_READY")
    dialog_id = offer_chat(control)["id"]
    response = task(finesse, agent_1001, dialog_id, "PAUSE")
    assert response.status_code == 400
    assert api_error(response) == (
        "Invalid State",
        "PAUSE is not allowed while the dialog is OFFERED; allowed: ACCEPT.",
        "requestedAction",
    )


def test_email_offer_carries_sender_and_subject(control, login):
    """An email offer → Cisco_Email_MRD dialog with the from address and the subject in callVariable3."""
    login(state="NOT_READY")
    dialog = control(
        "/emails",
        {"agentId": "1001", "fromAddress": "bob.ray@example.com", "fromName": "Bob Ray", "subject": "Invoice 42"},
    )
    assert (dialog["mediaType"], dialog["fromAddress"]) == ("Cisco_Email_MRD", "bob.ray@example.com")
    assert dialog["callVariables"] == {
        "callVariable1": "Bob Ray",
        "callVariable2": "bob.ray@example.com",
        "callVariable3": "Invoice 42",
    }


def test_chat_offer_with_a_bad_email_names_the_field(finesse, api_error, login):
    """customerEmail without @ → 400 Invalid Input naming customerEmail."""
    login(state="NOT_READY")
    response = finesse.control(
        "POST", "/chats", json={"agentId": "1001", "customerName": "Ann", "customerEmail": "ann.example.com"}
    )
    assert response.status_code == 400
    assert api_error(response) == (
        "Invalid Input",
        "customerEmail must be an email address, got 'ann.example.com'.",
        "customerEmail",
    )


def test_media_ready_notifies_media_and_the_limit_refuses_extra_offers(
    finesse, agent_1001, control, notifications, api_error, login
):
    """PUT Media LOGIN maxDialogLimit 1 → Media update on /Media; a second chat offer → 400 naming the limit."""
    login(state="NOT_READY")
    stream = notifications()
    response = requests.put(
        f"{finesse.url}/finesse/api/User/1001/Media/5000",
        headers=agent_1001,
        timeout=5,
        data="<Media><state>LOGIN</state><maxDialogLimit>1</maxDialogLimit></Media>",
    )
    assert response.status_code == 202
    node, update = stream.next()
    assert (node, update.findtext("source")) == ("/finesse/api/User/1001/Media", "/finesse/api/User/1001/Media/5000")
    assert update.findtext("data/Media/maxDialogLimit") == "1"
    requests.put(
        f"{finesse.url}/finesse/api/User/1001/Media/5000",
        headers=agent_1001,
        timeout=5,
        data="<Media><state>READY</state></Media>",
    )
    assert stream.next()[1].findtext("data/Media/state") == "READY"
    offer_chat(control)
    assert stream.next()[1].findtext("event") == "POST"
    assert stream.next()[1].findtext("data/Media/state") == "RESERVED"
    response = finesse.control(
        "POST", "/chats", json={"agentId": "1001", "customerName": "Bo", "customerEmail": "bo@example.com"}
    )
    assert response.status_code == 400
    assert api_error(response) == (
        "Invalid State",
        "User 1001 already has 1 Chat dialogs (maxDialogLimit 1).",
        "agentId",
    )


def test_media_limit_outside_1_to_10_is_refused(finesse, agent_1001, api_error, login):
    """maxDialogLimit 11 → 400 naming maxDialogLimit and the range."""
    login(state="NOT_READY")
    response = requests.put(
        f"{finesse.url}/finesse/api/User/1001/Media/5001",
        headers=agent_1001,
        timeout=5,
        data="<Media><state>LOGIN</state><maxDialogLimit>11</maxDialogLimit></Media>",
    )
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "maxDialogLimit must be 1-10, got '11'.", "maxDialogLimit")


def test_signing_out_closes_open_chats(finesse, agent_1001, control, notifications, login):
    """LOGOUT closes the agent's chats (dialogLogoutAction CLOSE): DELETE on the media node."""
    login(state="NOT_READY")
    offer_chat(control)
    stream = notifications()
    requests.put(
        f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5, data="<User><state>LOGOUT</state></User>"
    )
    node, update = stream.next()
    assert (node, update.findtext("event")) == ("/finesse/api/User/1001/Dialogs/Media", "DELETE")
    assert stream.next()[1].findtext("data/user/state") == "LOGOUT"


def test_signing_in_publishes_each_mrd_as_not_ready(notifications, login):
    """LOGIN → the User update, then a Media PUT per MRD (5000, 5001) with state NOT_READY."""
    stream = notifications()
    login(state="NOT_READY")
    assert stream.next()[0] == "/finesse/api/User/1001"
    media = [stream.next() for _ in range(2)]
    assert [(node, update.findtext("source"), update.findtext("data/Media/state")) for node, update in media] == [
        ("/finesse/api/User/1001/Media", "/finesse/api/User/1001/Media/5000", "NOT_READY"),
        ("/finesse/api/User/1001/Media", "/finesse/api/User/1001/Media/5001", "NOT_READY"),
    ]
