"""Calls over HTTP: offer, answer, hold, drop, wrap-up, make call, transfers, consult, conference; the
participant rules; the exact <Update> XML (finesse.md §3.3, §4.3)."""

import requests
from lxml import etree


def act(finesse, headers, dialog_id, action, request_id=None, extra=""):
    """PUT a requestedAction on a dialog as agent 1001 (device 3001)."""
    body = (
        f"<Dialog><targetMediaAddress>3001</targetMediaAddress><requestedAction>{action}</requestedAction>"
        f"{extra}</Dialog>"
    )
    headers = {**headers, **({"requestId": request_id} if request_id else {})}
    return requests.put(f"{finesse.url}/finesse/api/Dialog/{dialog_id}", data=body, headers=headers, timeout=5)


def user_state(finesse, headers):
    """Agent 1001's state from GET User."""
    user = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/1001", headers=headers, timeout=5).content)
    return user.findtext("state")


def offer(control, **extra):
    """Offer a call from +38591555123 to agent 1001 through the simulator."""
    return control(
        "/calls", {"agentId": "1001", "fromAddress": "+38591555123", "dnis": "8000", "dialedNumber": "8000", **extra}
    )


def test_offered_call_is_posted_as_alerting_with_call_variables_ecc_and_pod_id(
    control, call_variables, notifications, login
):
    """The offer → POST on User/1001/Dialogs with <dialogs><Dialog> ALERTING, ANSWER only, call data; RESERVED."""
    login()
    stream = notifications()
    dialog_id = offer(
        control,
        callVariables={"callVariable1": "Ann Lee", "callVariable3": "ann@example.com"},
        ecc={"customerId": "C-42"},
        podId="a1b2c3",
    )["id"]
    node, update = stream.next()
    assert node == "/finesse/api/User/1001/Dialogs"
    assert update.findtext("event") == "POST"
    assert update.findtext("source") == "/finesse/api/User/1001/Dialogs"
    dialog = update.find("data/dialogs/Dialog")
    assert dialog.findtext("id") == dialog_id and dialog_id.isdigit()
    assert dialog.findtext("state") == "ALERTING"
    assert dialog.findtext("mediaType") == "Voice"
    assert (dialog.findtext("fromAddress"), dialog.findtext("toAddress")) == ("+38591555123", "3001")
    assert dialog.findtext("mediaProperties/DNIS") == "8000"
    assert dialog.findtext("mediaProperties/callType") == "ACD_IN"
    assert call_variables(dialog) == {
        "callVariable1": "Ann Lee",
        "callVariable3": "ann@example.com",
        "user.customerId": "C-42",
        "POD.ID": "a1b2c3",
    }
    agent, caller = dialog.findall("participants/Participant")
    assert (agent.findtext("mediaAddress"), agent.findtext("state")) == ("3001", "ALERTING")
    assert agent.findtext("mediaAddressType") == "AGENT_DEVICE"
    assert [a.text for a in agent.find("actions")] == ["ANSWER"]
    assert caller.findtext("state") == "INITIATED"
    node, update = stream.next()
    assert (node, update.findtext("data/user/state")) == ("/finesse/api/User/1001", "RESERVED")


def test_answer_puts_the_dialog_active_with_the_request_id_and_the_agent_talking(
    finesse, agent_1001, control, notifications, login
):
    """ANSWER → 202; PUT from /finesse/api/Dialog/{id} with lower-case <dialog> ACTIVE and requestId; User TALKING."""
    login()
    dialog_id = offer(control)["id"]
    stream = notifications()
    assert act(finesse, agent_1001, dialog_id, "ANSWER", "req-answer").status_code == 202
    node, update = stream.next()
    assert node == "/finesse/api/User/1001/Dialogs"
    assert (update.findtext("event"), update.findtext("source")) == ("PUT", f"/finesse/api/Dialog/{dialog_id}")
    assert update.findtext("requestId") == "req-answer"
    dialog = update.find("data/dialog")
    assert dialog.findtext("state") == "ACTIVE"
    actions = [a.text for a in dialog.find("participants/Participant/actions")]
    assert actions == ["TRANSFER_SST", "CONSULT_CALL", "HOLD", "UPDATE_CALL_DATA", "SEND_DTMF", "DROP"]
    assert stream.next()[1].findtext("data/user/state") == "TALKING"


def test_action_not_allowed_in_the_participant_state_is_refused_listing_allowed_ones(
    finesse, agent_1001, control, api_error, login
):
    """HOLD on a ringing call → 400 Invalid State naming requestedAction and the allowed ANSWER."""
    login()
    dialog_id = offer(control)["id"]
    response = act(finesse, agent_1001, dialog_id, "HOLD")
    assert response.status_code == 400
    assert api_error(response) == (
        "Invalid State",
        "HOLD is not allowed while the participant is ALERTING; allowed: ANSWER.",
        "requestedAction",
    )


def test_hold_and_retrieve_follow_the_participant_rules(finesse, agent_1001, control, login):
    """ACTIVE → HOLD → HELD (agent HOLD, RETRIEVE allowed) → RETRIEVE → ACTIVE (agent TALKING)."""
    login()
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    assert act(finesse, agent_1001, dialog_id, "HOLD").status_code == 202
    dialog = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/Dialog/{dialog_id}", headers=agent_1001, timeout=5).content
    )
    agent = dialog.find("participants/Participant")
    assert agent.findtext("state") == "HELD"
    assert [a.text for a in agent.find("actions")] == ["RETRIEVE", "DROP", "UPDATE_CALL_DATA"]
    assert user_state(finesse, agent_1001) == "HOLD"
    assert act(finesse, agent_1001, dialog_id, "RETRIEVE").status_code == 202
    assert user_state(finesse, agent_1001) == "TALKING"


def test_drop_of_an_answered_call_goes_to_wrap_up_then_ready_deletes_it(
    finesse, agent_1001, control, notifications, login
):
    """DROP → dialog DROPPED with the agent WRAP_UP, agent WORK; READY → DELETE <dialogs><Dialog> and READY."""
    login()
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    stream = notifications()
    assert act(finesse, agent_1001, dialog_id, "DROP", "req-drop").status_code == 202
    node, update = stream.next()
    assert update.findtext("event") == "PUT" and update.findtext("requestId") == "req-drop"
    assert update.findtext("data/dialog/participants/Participant/state") == "WRAP_UP"
    assert stream.next()[1].findtext("data/user/state") == "WORK"
    requests.put(
        f"{finesse.url}/finesse/api/User/1001", data="<User><state>READY</state></User>", headers=agent_1001, timeout=5
    )
    node, update = stream.next()
    assert (node, update.findtext("event")) == ("/finesse/api/User/1001/Dialogs", "DELETE")
    assert update.findtext("source") == "/finesse/api/User/1001/Dialogs"
    assert update.findtext("data/dialogs/Dialog/id") == dialog_id
    assert update.findtext("data/dialogs/Dialog/state") == "DROPPED"
    assert stream.next()[1].findtext("data/user/state") == "READY"


def test_caller_hanging_up_a_ringing_call_deletes_it_and_the_agent_is_ready_again(
    finesse, agent_1001, control, notifications, login
):
    """CALLER_HANGUP on ALERTING → DELETE, agent back to READY."""
    login()
    dialog_id = offer(control)["id"]
    stream = notifications()
    assert control(f"/dialogs/{dialog_id}/actions", {"action": "CALLER_HANGUP"})["state"] == "DROPPED"
    assert stream.next()[1].findtext("event") == "DELETE"
    assert stream.next()[1].findtext("data/user/state") == "READY"
    listing = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/User/1001/Dialogs", headers=agent_1001, timeout=5).content
    )
    assert listing.tag == "Dialogs" and len(listing) == 0


def test_not_ready_during_a_call_becomes_the_pending_state_applied_after_it(finesse, agent_1001, control, login):
    """NOT_READY (Break) while TALKING → pendingState NOT_READY; when wrap-up ends → NOT_READY with Break."""
    login()
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    requests.put(
        f"{finesse.url}/finesse/api/User/1001",
        data="<User><state>NOT_READY</state><reasonCodeId>1</reasonCodeId></User>",
        headers=agent_1001,
        timeout=5,
    )
    user = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5).content)
    assert (user.findtext("state"), user.findtext("pendingState")) == ("TALKING", "NOT_READY")
    control(f"/dialogs/{dialog_id}/actions", {"action": "CALLER_HANGUP"})
    control(f"/dialogs/{dialog_id}/actions", {"action": "END_WRAP_UP"})
    user = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5).content)
    assert (user.findtext("state"), user.findtext("reasonCodeId")) == ("NOT_READY", "1")
    assert user.findtext("pendingState") == ""


def test_update_call_data_changes_variables_and_enforces_the_40_character_limit(
    finesse, agent_1001, control, api_error, login
):
    """UPDATE_CALL_DATA stores callVariable2; a 41-character value → 400 naming callVariable2 and the limit."""
    login()
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    body = (
        "<mediaProperties><wrapUpReason>Billing</wrapUpReason><callvariables><CallVariable><name>callVariable2"
        "</name><value>{}</value></CallVariable></callvariables></mediaProperties>"
    )
    assert act(finesse, agent_1001, dialog_id, "UPDATE_CALL_DATA", extra=body.format("VIP")).status_code == 202
    dialog = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/Dialog/{dialog_id}", headers=agent_1001, timeout=5).content
    )
    assert dialog.findtext("mediaProperties/callvariables/CallVariable/value") == "VIP"
    assert dialog.findtext("mediaProperties/wrapUpReason") == "Billing"
    response = act(finesse, agent_1001, dialog_id, "UPDATE_CALL_DATA", extra=body.format("x" * 41))
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "callVariable2 is longer than 40 characters.", "callVariable2")


def test_make_call_from_not_ready_dials_and_the_far_end_answers(finesse, agent_1001, control, notifications, login):
    """MAKE_CALL → POST INITIATED dialog (requestId), agent TALKING; FAR_END_ANSWER → ACTIVE."""
    login(state="NOT_READY")
    stream = notifications()
    response = requests.post(
        f"{finesse.url}/finesse/api/User/1001/Dialogs",
        headers={**agent_1001, "requestId": "mc"},
        data="<Dialog><requestedAction>MAKE_CALL</requestedAction><fromAddress>3001</fromAddress>"
        "<toAddress>0916000111</toAddress></Dialog>",
        timeout=5,
    )
    assert response.status_code == 202
    node, update = stream.next()
    assert (update.findtext("event"), update.findtext("requestId")) == ("POST", "mc")
    dialog = update.find("data/dialogs/Dialog")
    assert (dialog.findtext("state"), dialog.findtext("toAddress")) == ("INITIATED", "0916000111")
    assert dialog.findtext("mediaProperties/callType") == "OUT"
    assert stream.next()[1].findtext("data/user/state") == "TALKING"
    control(f"/dialogs/{dialog.findtext('id')}/actions", {"action": "FAR_END_ANSWER"})
    assert stream.next()[1].findtext("data/dialog/state") == "ACTIVE"


def test_make_call_while_ready_is_refused(finesse, agent_1001, api_error, login):
    """MAKE_CALL in READY → 400 Invalid State naming state."""
    login()
    response = requests.post(
        f"{finesse.url}/finesse/api/User/1001/Dialogs",
        headers=agent_1001,
        timeout=5,
        data="<Dialog><requestedAction>MAKE_CALL</requestedAction><toAddress>6100</toAddress></Dialog>",
    )
    assert response.status_code == 400
    assert api_error(response) == ("Invalid State", "Make a call from NOT_READY (state is READY).", "state")


def test_single_step_transfer_rings_the_other_agent(finesse, agent_1001, control, login):
    """TRANSFER_SST to 3002 → 1001's call ends (wrap-up) and 1002 gets an ALERTING TRANSFER call."""
    login()
    marko = login("1002", "NOT_READY")
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    assert act(finesse, agent_1001, dialog_id, "TRANSFER_SST", extra="<toAddress>3002</toAddress>").status_code == 202
    listing = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/User/1002/Dialogs", headers=marko, timeout=5).content
    )
    transferred = listing.find("Dialog")
    assert transferred.findtext("state") == "ALERTING"
    assert transferred.findtext("mediaProperties/callType") == "TRANSFER"
    assert transferred.findtext("fromAddress") == "+38591555123"
    assert user_state(finesse, agent_1001) == "WORK"


def test_offer_to_a_signed_out_agent_is_refused(finesse, api_error):
    """The simulator cannot ring a signed-out agent: 400 Invalid State naming agentId."""
    response = finesse.control("POST", "/calls", json={"agentId": "1001", "fromAddress": "123"})
    assert response.status_code == 400
    assert api_error(response) == ("Invalid State", "User 1001 is signed out; a call cannot be offered.", "agentId")


def test_offer_with_an_overlong_call_variable_names_it_and_the_limit(finesse, api_error, login):
    """callVariable1 of 41 characters → 400 naming callVariable1 and 40."""
    login()
    response = finesse.control(
        "POST", "/calls", json={"agentId": "1001", "fromAddress": "123", "callVariables": {"callVariable1": "x" * 41}}
    )
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "callVariable1 is longer than 40 characters.", "callVariable1")


def test_send_dtmf_accepts_digits_and_refuses_letters(finesse, agent_1001, control, notifications, api_error, login):
    """SEND_DTMF 12*# → 202 and a dialog PUT with the requestId; 'abc' → 400 naming dtmfString."""
    login()
    dialog_id = offer(control)["id"]
    act(finesse, agent_1001, dialog_id, "ANSWER")
    stream = notifications()
    params = "<actionParams><ActionParam><name>dtmfString</name><value>{}</value></ActionParam></actionParams>"
    assert act(finesse, agent_1001, dialog_id, "SEND_DTMF", "dtmf-1", params.format("12*#")).status_code == 202
    assert stream.next()[1].findtext("requestId") == "dtmf-1"
    response = act(finesse, agent_1001, dialog_id, "SEND_DTMF", extra=params.format("abc"))
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "dtmfString must be 1-32 of 0-9, * and #.", "dtmfString")


def test_dialog_action_needs_the_agents_own_device_as_target(finesse, agent_1001, control, api_error, login):
    """ANSWER without targetMediaAddress → 400 Parameter Missing; with 3002 → 400 naming targetMediaAddress."""
    login()
    dialog_id = offer(control)["id"]
    url = f"{finesse.url}/finesse/api/Dialog/{dialog_id}"
    missing = requests.put(
        url, data="<Dialog><requestedAction>ANSWER</requestedAction></Dialog>", headers=agent_1001, timeout=5
    )
    assert missing.status_code == 400
    assert api_error(missing) == ("Parameter Missing", "targetMediaAddress is required.", "targetMediaAddress")
    wrong = requests.put(
        url,
        headers=agent_1001,
        timeout=5,
        data="<Dialog><targetMediaAddress>3002</targetMediaAddress><requestedAction>ANSWER</requestedAction></Dialog>",
    )
    assert wrong.status_code == 400
    assert api_error(wrong)[2] == "targetMediaAddress"


def test_non_xml_bodies_and_unknown_methods_get_api_errors(finesse, agent_1001, api_error):
    """JSON body → 415 naming Content-Type; DELETE on User → 405; > 1 MB → 413; unknown path → 404."""
    response = requests.put(
        f"{finesse.url}/finesse/api/User/1001",
        json={"state": "READY"},
        headers={"Authorization": agent_1001["Authorization"]},
        timeout=5,
    )
    assert response.status_code == 415
    assert api_error(response) == (
        "Unsupported Media Type",
        "Send Content-Type: application/xml, not application/json.",
        "Content-Type",
    )
    assert requests.delete(f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5).status_code == 405
    huge = finesse.control(
        "POST", "/calls", data=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    assert huge.status_code == 413
    assert api_error(huge)[0] == "Request Entity Too Large"
    missing = requests.get(f"{finesse.url}/finesse/api/Queue/1", headers=agent_1001, timeout=5)
    assert missing.status_code == 404
    assert api_error(missing)[0] == "Not Found"


def test_dialog_ids_do_not_repeat_after_a_reset(finesse, control, login):
    """A call offered after POST /_mock/reset gets a new id (gadgets remember dialog ids they handled)."""
    login()
    first = offer(control)["id"]
    finesse.reset()
    login()
    second = offer(control)["id"]
    assert int(second) > int(first) and len(second) == 9


def dialogs_of(finesse, agent_id, headers):
    """The agent's voice Dialog elements."""
    return etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/User/{agent_id}/Dialogs", headers=headers, timeout=5).content
    ).findall("Dialog")


def make_call(finesse, headers, to_address):
    """MAKE_CALL from agent 1001 to ``to_address``."""
    return requests.post(
        f"{finesse.url}/finesse/api/User/1001/Dialogs",
        headers=headers,
        timeout=5,
        data=f"<Dialog><requestedAction>MAKE_CALL</requestedAction><toAddress>{to_address}</toAddress></Dialog>",
    )


def test_calling_another_agents_extension_rings_them_and_answer_connects_both(finesse, agent_1001, login):
    """1001 dials 3002 → 1002 gets an ALERTING AGENT_INSIDE call from 3001; ANSWER → both legs ACTIVE."""
    login(state="NOT_READY")
    marko = login("1002")
    assert make_call(finesse, agent_1001, "3002").status_code == 202
    (ringing,) = dialogs_of(finesse, "1002", marko)
    assert (ringing.findtext("state"), ringing.findtext("fromAddress")) == ("ALERTING", "3001")
    legs = {d["agentId"]: d for d in finesse.control("GET", "/state").json()["dialogs"]}
    assert legs["1002"]["peerDialogId"] == legs["1001"]["id"] and legs["1001"]["peerDialogId"] == legs["1002"]["id"]
    assert ringing.findtext("mediaProperties/callType") == "AGENT_INSIDE"
    body = "<Dialog><targetMediaAddress>3002</targetMediaAddress><requestedAction>ANSWER</requestedAction></Dialog>"
    assert (
        requests.put(
            f"{finesse.url}/finesse/api/Dialog/{ringing.findtext('id')}", data=body, headers=marko, timeout=5
        ).status_code
        == 202
    )
    (caller_leg,) = dialogs_of(finesse, "1001", agent_1001)
    assert caller_leg.findtext("state") == "ACTIVE"
    assert [p.findtext("state") for p in caller_leg.iterfind("participants/Participant")] == ["ACTIVE", "ACTIVE"]
    assert user_state(finesse, agent_1001) == "TALKING"


def test_hanging_up_an_agent_to_agent_call_ends_the_other_leg(finesse, agent_1001, login):
    """The caller ends a ringing internal call → the callee's call is gone and they are READY again."""
    login(state="NOT_READY")
    marko = login("1002")
    make_call(finesse, agent_1001, "3002")
    (caller_leg,) = dialogs_of(finesse, "1001", agent_1001)
    assert act(finesse, agent_1001, caller_leg.findtext("id"), "DROP").status_code == 202
    assert dialogs_of(finesse, "1002", marko) == []
    states = {a["id"]: a["state"] for a in finesse.control("GET", "/state").json()["agents"]}
    assert (states["1001"], states["1002"]) == ("NOT_READY", "READY")


def test_calling_a_busy_agent_is_refused_naming_to_address(finesse, agent_1001, control, api_error, login):
    """3002 already ringing with another call → MAKE_CALL 400 Invalid State naming toAddress; nothing created."""
    login(state="NOT_READY")
    login("1002")
    control("/calls", {"agentId": "1002", "fromAddress": "555"})
    response = make_call(finesse, agent_1001, "3002")
    assert response.status_code == 400
    assert api_error(response) == ("Invalid State", "3002 is busy: user 1002 is on a call.", "toAddress")
    assert dialogs_of(finesse, "1001", agent_1001) == []


def consult(finesse, headers, dialog_id, to_address):
    """CONSULT_CALL from agent 1001's call to ``to_address``."""
    return act(finesse, headers, dialog_id, "CONSULT_CALL", extra=f"<toAddress>{to_address}</toAddress>")


def agent_actions(finesse, headers, dialog_id):
    """The agent participant's actions on a dialog (GET Dialog)."""
    dialog = etree.fromstring(
        requests.get(f"{finesse.url}/finesse/api/Dialog/{dialog_id}", headers=headers, timeout=5).content
    )
    return [a.text for a in dialog.find("participants/Participant/actions")]


def test_consult_holds_the_call_and_a_connected_consult_enables_transfer_and_conference(
    finesse, agent_1001, control, login
):
    """CONSULT_CALL → call HELD + CONSULT dialog INITIATED pointing back with associatedDialogUri; connected →
    TRANSFER and CONFERENCE allowed on the held call."""
    login()
    call_id = offer(control)["id"]
    act(finesse, agent_1001, call_id, "ANSWER")
    assert consult(finesse, agent_1001, call_id, "0915550000").status_code == 202
    held, leg = dialogs_of(finesse, "1001", agent_1001)
    assert held.findtext("participants/Participant/state") == "HELD"
    assert leg.findtext("mediaProperties/callType") == "CONSULT"
    assert leg.findtext("associatedDialogUri") == f"/finesse/api/Dialog/{call_id}"
    assert leg.findtext("state") == "INITIATED"
    assert agent_actions(finesse, agent_1001, call_id) == ["RETRIEVE", "DROP", "UPDATE_CALL_DATA"]
    assert user_state(finesse, agent_1001) == "TALKING"
    control(f"/dialogs/{leg.findtext('id')}/actions", {"action": "FAR_END_ANSWER"})
    assert agent_actions(finesse, agent_1001, call_id) == [
        "RETRIEVE",
        "DROP",
        "UPDATE_CALL_DATA",
        "TRANSFER",
        "CONFERENCE",
    ]


def test_consult_transfer_hands_the_caller_to_the_consulted_agent(finesse, agent_1001, control, login):
    """Consult 3002, Marko answers, TRANSFER → Marko's call is from the caller with its variables; Ana wraps up."""
    login()
    marko = login("1002")
    call_id = offer(control, callVariables={"callVariable1": "Order 9"})["id"]
    act(finesse, agent_1001, call_id, "ANSWER")
    consult(finesse, agent_1001, call_id, "3002")
    (ringing,) = dialogs_of(finesse, "1002", marko)
    assert (ringing.findtext("fromAddress"), ringing.findtext("mediaProperties/callType")) == ("3001", "CONSULT")
    requests.put(
        f"{finesse.url}/finesse/api/Dialog/{ringing.findtext('id')}",
        headers=marko,
        timeout=5,
        data="<Dialog><targetMediaAddress>3002</targetMediaAddress><requestedAction>ANSWER</requestedAction></Dialog>",
    )
    assert act(finesse, agent_1001, call_id, "TRANSFER").status_code == 202
    (transferred,) = dialogs_of(finesse, "1002", marko)
    assert transferred.findtext("fromAddress") == "+38591555123"
    assert transferred.findtext("mediaProperties/callType") == "TRANSFER"
    assert transferred.findtext("mediaProperties/callvariables/CallVariable/value") == "Order 9"
    assert transferred.findtext("state") == "ACTIVE"
    (wrap_up,) = dialogs_of(finesse, "1001", agent_1001)
    assert wrap_up.findtext("participants/Participant/state") == "WRAP_UP"
    assert user_state(finesse, agent_1001) == "WORK"


def test_conference_joins_the_consulted_party_to_the_call(finesse, agent_1001, control, login):
    """CONFERENCE → Ana's call has three participants (3001, caller, 3002) and Marko's leg adds the caller."""
    login()
    marko = login("1002")
    call_id = offer(control)["id"]
    act(finesse, agent_1001, call_id, "ANSWER")
    consult(finesse, agent_1001, call_id, "3002")
    (ringing,) = dialogs_of(finesse, "1002", marko)
    requests.put(
        f"{finesse.url}/finesse/api/Dialog/{ringing.findtext('id')}",
        headers=marko,
        timeout=5,
        data="<Dialog><targetMediaAddress>3002</targetMediaAddress><requestedAction>ANSWER</requestedAction></Dialog>",
    )
    assert act(finesse, agent_1001, call_id, "CONFERENCE").status_code == 202
    (conference,) = dialogs_of(finesse, "1001", agent_1001)
    members = conference.iterfind("participants/Participant")
    assert [(p.findtext("mediaAddress"), p.findtext("state")) for p in members] == [
        ("3001", "ACTIVE"),
        ("+38591555123", "ACTIVE"),
        ("3002", "ACTIVE"),
    ]
    assert conference.findtext("mediaProperties/callType") == "CONFERENCE"
    (leg,) = dialogs_of(finesse, "1002", marko)
    assert [p.findtext("mediaAddress") for p in leg.iterfind("participants/Participant")] == [
        "3002",
        "3001",
        "+38591555123",
    ]
    assert user_state(finesse, agent_1001) == "TALKING"


def test_consulted_party_hanging_up_leaves_the_call_on_hold(finesse, agent_1001, control, api_error, login):
    """The consult leg ends → the original call stays HELD (agent HOLD) and TRANSFER is refused again."""
    login()
    call_id = offer(control)["id"]
    act(finesse, agent_1001, call_id, "ANSWER")
    consult(finesse, agent_1001, call_id, "0915550000")
    leg_id = dialogs_of(finesse, "1001", agent_1001)[1].findtext("id")
    control(f"/dialogs/{leg_id}/actions", {"action": "FAR_END_ANSWER"})
    control(f"/dialogs/{leg_id}/actions", {"action": "CALLER_HANGUP"})
    (held,) = dialogs_of(finesse, "1001", agent_1001)
    assert held.findtext("participants/Participant/state") == "HELD"
    assert user_state(finesse, agent_1001) == "HOLD"
    response = act(finesse, agent_1001, call_id, "TRANSFER")
    assert response.status_code == 400
    assert api_error(response)[1] == (
        "TRANSFER is not allowed while the participant is HELD; allowed: RETRIEVE, DROP, UPDATE_CALL_DATA."
    )
    assert act(finesse, agent_1001, call_id, "RETRIEVE").status_code == 202
    assert user_state(finesse, agent_1001) == "TALKING"


def test_dropping_the_held_call_also_ends_its_consult_call(finesse, agent_1001, control, login):
    """DROP on the held call during a consult → the consult leg is deleted too; the agent wraps up the call."""
    login()
    call_id = offer(control)["id"]
    act(finesse, agent_1001, call_id, "ANSWER")
    consult(finesse, agent_1001, call_id, "0915550000")
    assert act(finesse, agent_1001, call_id, "DROP").status_code == 202
    (wrap_up,) = dialogs_of(finesse, "1001", agent_1001)
    assert wrap_up.findtext("id") == call_id
    assert wrap_up.findtext("participants/Participant/state") == "WRAP_UP"
    assert user_state(finesse, agent_1001) == "WORK"
