"""The User resource over HTTP: shape, Basic auth, state changes (finesse.md §3.2)."""

import requests
from lxml import etree


def test_user_get_returns_the_finesse_user_shape(finesse, agent_1001):
    """GET User answers 200 XML with the agent's identity, team and state."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/xml")
    user = etree.fromstring(response.content)
    assert user.tag == "User"
    assert user.findtext("uri") == "/finesse/api/User/1001"
    assert user.findtext("loginId") == "1001"
    assert (user.findtext("firstName"), user.findtext("lastName")) == ("Ana", "Horvat")
    assert user.findtext("extension") == "3001"
    assert (user.findtext("teamId"), user.findtext("teamName")) == ("10", "Customer Care")
    assert user.findtext("state") == "LOGOUT"
    assert [r.text for r in user.find("roles")] == ["Agent"]
    assert user.findtext("dialogs") == "/finesse/api/User/1001/Dialogs"


def test_user_get_without_credentials_is_refused_with_401(finesse, api_error):
    """No Authorization header → 401 Authorization Failure."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001", timeout=5)
    assert response.status_code == 401
    error_type, message, _ = api_error(response)
    assert error_type == "Authorization Failure"
    assert "Basic" in message


def test_user_get_with_a_wrong_password_is_refused_with_401(finesse, basic, api_error):
    """A wrong password → 401 naming the user id, never the password."""
    response = requests.get(
        f"{finesse.url}/finesse/api/User/1001", headers={"Authorization": basic("1001", "wrong")}, timeout=5
    )
    assert response.status_code == 401
    assert api_error(response) == ("Authorization Failure", "Invalid user ID or password.", "1001")


def test_agent_cannot_read_another_agents_user(finesse, agent_1001, api_error):
    """Agent 1001 reading 1002 → 401 Invalid Authorization User Specified."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1002", headers=agent_1001, timeout=5)
    assert response.status_code == 401
    assert api_error(response)[0] == "Invalid Authorization User Specified"


def test_supervisor_reads_a_supervised_agent_and_lists_teams(finesse, basic):
    """Supervisor 2001 may read 1003 (team 20) and sees both supervised teams in their own User."""
    headers = {"Authorization": basic("2001", "demo2001")}
    assert requests.get(f"{finesse.url}/finesse/api/User/1003", headers=headers, timeout=5).status_code == 200
    me = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/2001", headers=headers, timeout=5).content)
    assert [r.text for r in me.find("roles")] == ["Agent", "Supervisor"]
    assert [t.findtext("name") for t in me.find("teams")] == ["Customer Care", "Billing"]


def test_unknown_user_is_404(finesse, basic, api_error):
    """A supervisor asking for a user that does not exist gets 404 Not Found naming the id."""
    response = requests.get(
        f"{finesse.url}/finesse/api/User/9999", headers={"Authorization": basic("2001", "demo2001")}, timeout=5
    )
    assert response.status_code == 404
    assert api_error(response)[0] == "Not Found"
    assert api_error(response)[2] == "9999"


def put_user(finesse, headers, body, request_id=None):
    """PUT /finesse/api/User/1001 with an XML body (and a requestId header when given)."""
    extra = {"requestId": request_id} if request_id else {}
    return requests.put(f"{finesse.url}/finesse/api/User/1001", data=body, headers={**headers, **extra}, timeout=5)


def test_login_answers_202_and_notifies_not_ready_with_the_request_id(finesse, agent_1001, notifications):
    """PUT LOGIN → 202; the User PUT update carries NOT_READY, the requestId, source and lower-case <user>."""
    stream = notifications()
    response = put_user(
        finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>", "req-login-1"
    )
    assert response.status_code == 202
    node, update = stream.next()
    assert node == "/finesse/api/User/1001"
    assert [child.tag for child in update] == ["data", "event", "requestId", "source"]
    assert update.findtext("event") == "PUT"
    assert update.findtext("requestId") == "req-login-1"
    assert update.findtext("source") == "/finesse/api/User/1001"
    user = update.find("data/user")
    assert user is not None and update.find("data/User") is None
    assert user.findtext("state") == "NOT_READY"
    assert user.findtext("extension") == "3001"


def test_not_ready_with_a_reason_code_carries_the_reason_in_user(finesse, agent_1001, notifications):
    """NOT_READY with reasonCodeId 2 → the update's user has reasonCodeId 2 and the Lunch ReasonCode."""
    put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>")
    stream = notifications()
    put_user(finesse, agent_1001, "<User><state>READY</state></User>")
    assert stream.next()[1].findtext("data/user/state") == "READY"
    assert (
        put_user(finesse, agent_1001, "<User><state>NOT_READY</state><reasonCodeId>2</reasonCodeId></User>").status_code
        == 202
    )
    user = stream.next()[1].find("data/user")
    assert (user.findtext("state"), user.findtext("reasonCodeId")) == ("NOT_READY", "2")
    assert user.findtext("ReasonCode/label") == "Lunch"
    assert user.findtext("ReasonCode/category") == "NOT_READY"


def test_login_with_a_wrong_extension_is_refused_naming_extension(finesse, agent_1001, api_error):
    """LOGIN on someone else's extension → 400 Invalid Input, ErrorData extension."""
    response = put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3002</extension></User>")
    assert response.status_code == 400
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Invalid Input", "extension")
    assert "3002" in message


def test_agents_cannot_set_states_that_follow_calls(finesse, agent_1001, api_error):
    """TALKING, RESERVED, HOLD and WORK are refused with a message saying they follow calls."""
    put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>")
    for state in ("TALKING", "RESERVED", "HOLD", "WORK"):
        response = put_user(finesse, agent_1001, f"<User><state>{state}</state></User>")
        assert response.status_code == 400
        assert api_error(response) == (
            "Invalid Input",
            f"Agents cannot set state {state}; it follows their calls.",
            "state",
        )


def test_unknown_reason_code_is_refused_naming_reason_code_id(finesse, agent_1001, api_error):
    """NOT_READY with a reason code that is not a NOT_READY code → 400 naming reasonCodeId."""
    put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>")
    response = put_user(finesse, agent_1001, "<User><state>NOT_READY</state><reasonCodeId>11</reasonCodeId></User>")
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "reasonCodeId 11 is not a NOT_READY reason code.", "reasonCodeId")


def test_logout_is_allowed_only_from_not_ready(finesse, agent_1001, api_error):
    """LOGOUT while READY → 400 Invalid State; from NOT_READY → 202 and state LOGOUT."""
    put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>")
    put_user(finesse, agent_1001, "<User><state>READY</state></User>")
    response = put_user(finesse, agent_1001, "<User><state>LOGOUT</state></User>")
    assert response.status_code == 400
    assert api_error(response)[0] == "Invalid State"
    put_user(finesse, agent_1001, "<User><state>NOT_READY</state></User>")
    assert put_user(finesse, agent_1001, "<User><state>LOGOUT</state></User>").status_code == 202
    user = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/1001", headers=agent_1001, timeout=5).content)
    assert user.findtext("state") == "LOGOUT"


def test_malformed_xml_body_is_refused_with_the_parser_line(finesse, agent_1001, api_error):
    """A body that is not well-formed XML → 400 Invalid Input naming the body and the line."""
    response = put_user(finesse, agent_1001, "<User><state>READY</state>\n</Usr>")
    assert response.status_code == 400
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Invalid Input", "body")
    assert "line 2" in message


def test_agent_cannot_change_another_agents_state(finesse, agent_1001, api_error):
    """PUT on User 1002 with 1001's credentials → 401 Invalid Authorization User Specified."""
    response = requests.put(
        f"{finesse.url}/finesse/api/User/1002", data="<User><state>READY</state></User>", headers=agent_1001, timeout=5
    )
    assert response.status_code == 401
    assert api_error(response)[0] == "Invalid Authorization User Specified"


def test_reason_codes_list_the_not_ready_codes(finesse, agent_1001, api_error):
    """GET ReasonCodes?category=NOT_READY → the configured codes; a bad category → 400 naming category."""
    response = requests.get(
        f"{finesse.url}/finesse/api/User/1001/ReasonCodes?category=NOT_READY", headers=agent_1001, timeout=5
    )
    codes = etree.fromstring(response.content)
    assert codes.tag == "ReasonCodes"
    assert [c.findtext("label") for c in codes] == ["Break", "Lunch", "Team Meeting", "Training"]
    assert codes[0].findtext("uri") == "/finesse/api/ReasonCode/1"
    bad = requests.get(f"{finesse.url}/finesse/api/ReasonCodes?category=LUNCH", headers=agent_1001, timeout=5)
    assert bad.status_code == 400
    assert api_error(bad)[2] == "category"


def test_system_info_reports_the_service_state(finesse):
    """GET SystemInfo → IN_SERVICE, NON_SSO, xmppDomain."""
    info = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/SystemInfo", timeout=5).content)
    assert info.tag == "SystemInfo"
    assert info.findtext("status") == "IN_SERVICE"
    assert info.findtext("systemAuthMode") == "NON_SSO"
    assert info.findtext("xmppDomain") == "finesse.mock.local"
    assert info.findtext("uri") == "/finesse/api/SystemInfo"


def test_supervisor_is_notified_of_team_member_state_on_the_team_node(finesse, agent_1001, notifications):
    """1001's LOGIN reaches supervisor 2001 on /finesse/api/Team/10/Users as a summary <user>."""
    stream = notifications("2001", "demo2001")
    put_user(finesse, agent_1001, "<User><state>LOGIN</state><extension>3001</extension></User>")
    node, update = stream.next()
    assert node == "/finesse/api/Team/10/Users"
    assert update.findtext("source") == "/finesse/api/User/1001"
    assert update.findtext("data/user/state") == "NOT_READY"


def test_wrap_up_reasons_list_the_configured_labels(finesse, agent_1001):
    """GET User/1001/WrapUpReasons → <WrapUpReasons> with uri, id, label, forAll per reason."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001/WrapUpReasons", headers=agent_1001, timeout=5)
    reasons = etree.fromstring(response.content)
    assert reasons.tag == "WrapUpReasons"
    assert [r.findtext("label") for r in reasons] == [
        "Sales Call",
        "Support Request",
        "Billing Question",
        "Wrong Number",
    ]
    assert (reasons[0].findtext("uri"), reasons[0].findtext("forAll")) == ("/finesse/api/WrapUpReason/1", "true")


def test_control_api_sets_agent_state_and_names_a_missing_state(finesse, api_error):
    """PUT /_mock/agents/1001/state LOGIN then NOT_READY with reason 3 → summary; {} → 400 naming state."""
    path = "/agents/1001/state"
    assert finesse.control("PUT", path, json={"state": "LOGIN"}).json()["state"] == "NOT_READY"
    summary = finesse.control("PUT", path, json={"state": "NOT_READY", "reasonCodeId": 3}).json()
    assert (summary["state"], summary["reasonCodeId"], summary["media"]) == (
        "NOT_READY",
        "3",
        {"5000": "NOT_READY", "5001": "NOT_READY"},
    )
    response = finesse.control("PUT", path, json={})
    assert response.status_code == 400
    assert api_error(response) == ("Invalid Input", "state is required (LOGIN, READY, NOT_READY or LOGOUT).", "state")
