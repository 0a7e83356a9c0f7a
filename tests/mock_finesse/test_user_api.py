"""The User resource over HTTP: shape, Basic auth, state changes (finesse.md §3.2)."""
import base64

import requests
from lxml import etree


def basic(agent_id, password):
    """An ``Authorization`` header value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{agent_id}:{password}".encode()).decode()


AGENT_1001 = {"Authorization": basic("1001", "demo1001")}


def api_error(response):
    """(ErrorType, ErrorMessage, ErrorData) of an ``<ApiErrors>`` answer."""
    root = etree.fromstring(response.content)
    assert root.tag == "ApiErrors"
    error = root.find("ApiError")
    return error.findtext("ErrorType"), error.findtext("ErrorMessage"), error.findtext("ErrorData")


def test_user_get_returns_the_finesse_user_shape(finesse):
    """GET User answers 200 XML with the agent's identity, team and state."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001", headers=AGENT_1001, timeout=5)
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


def test_user_get_without_credentials_is_refused_with_401(finesse):
    """No Authorization header → 401 Authorization Failure."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001", timeout=5)
    assert response.status_code == 401
    error_type, message, _ = api_error(response)
    assert error_type == "Authorization Failure"
    assert "Basic" in message


def test_user_get_with_a_wrong_password_is_refused_with_401(finesse):
    """A wrong password → 401 naming the user id, never the password."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1001",
                            headers={"Authorization": basic("1001", "wrong")}, timeout=5)
    assert response.status_code == 401
    assert api_error(response) == ("Authorization Failure", "Invalid user ID or password.", "1001")


def test_agent_cannot_read_another_agents_user(finesse):
    """Agent 1001 reading 1002 → 401 Invalid Authorization User Specified."""
    response = requests.get(f"{finesse.url}/finesse/api/User/1002", headers=AGENT_1001, timeout=5)
    assert response.status_code == 401
    assert api_error(response)[0] == "Invalid Authorization User Specified"


def test_supervisor_reads_a_supervised_agent_and_lists_teams(finesse):
    """Supervisor 2001 may read 1003 (team 20) and sees both supervised teams in their own User."""
    headers = {"Authorization": basic("2001", "demo2001")}
    assert requests.get(f"{finesse.url}/finesse/api/User/1003", headers=headers, timeout=5).status_code == 200
    me = etree.fromstring(requests.get(f"{finesse.url}/finesse/api/User/2001", headers=headers, timeout=5).content)
    assert [r.text for r in me.find("roles")] == ["Agent", "Supervisor"]
    assert [t.findtext("name") for t in me.find("teams")] == ["Customer Care", "Billing"]


def test_unknown_user_is_404(finesse):
    """A supervisor asking for a user that does not exist gets 404 Not Found naming the id."""
    response = requests.get(f"{finesse.url}/finesse/api/User/9999",
                            headers={"Authorization": basic("2001", "demo2001")}, timeout=5)
    assert response.status_code == 404
    assert api_error(response)[0] == "Not Found"
    assert api_error(response)[2] == "9999"
