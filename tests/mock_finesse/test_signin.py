"""Desktop sign-in, session and sign-out over HTTP (the form a Finesse agent uses)."""

import json
import re

import requests

from finesse_harness.servers import ServerThread
from mock_finesse import create_app


def signin_form(session, finesse, locale="en_US"):
    """GET the sign-in page; returns (html, csrf token)."""
    html = session.get(f"{finesse.url}/desktop/signin", params={"locale": locale}, timeout=5).text
    return html, re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def post_signin(session, finesse, csrf, **fields):
    """POST the sign-in form (no redirects followed)."""
    data = {"csrf": csrf, "username": "1001", "password": "demo1001", "extension": "3001", "locale": "en_US", **fields}
    return session.post(f"{finesse.url}/desktop/signin", data=data, allow_redirects=False, timeout=5)


def agent_state(finesse, agent_id="1001"):
    """The agent's state from the control API."""
    agents = finesse.control("GET", "/state").json()["agents"]
    return next(a for a in agents if a["id"] == agent_id)["state"]


def test_desktop_redirects_to_sign_in_without_a_session(finesse):
    """GET /desktop/ without signing in → 302 to /desktop/signin."""
    response = requests.get(f"{finesse.url}/desktop/", allow_redirects=False, timeout=5)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/desktop/signin")


def test_wrong_password_is_refused_and_the_agent_stays_signed_out(finesse):
    """Bad password → 401 page with 'Invalid ID or password.', the ID kept, agent still LOGOUT."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    response = post_signin(session, finesse, csrf, password="wrong")
    assert response.status_code == 401
    assert "Invalid ID or password." in response.text
    assert 'value="1001"' in response.text
    assert agent_state(finesse) == "LOGOUT"


def test_missing_fields_and_a_wrong_extension_are_named(finesse):
    """No extension → 'Enter your extension.'; someone else's extension → names it; both 400."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    response = post_signin(session, finesse, csrf, extension="")
    assert response.status_code == 400 and "Enter your extension." in response.text
    response = post_signin(session, finesse, csrf, extension="3002")
    assert response.status_code == 400 and "Extension 3002 is not valid for this agent." in response.text
    response = post_signin(session, finesse, csrf, username="")
    assert response.status_code == 400 and "Enter your ID." in response.text


def test_sign_in_puts_the_agent_not_ready_and_defines_finesse_desktop(finesse):
    """Good credentials → 302 to the desktop, agent NOT_READY, window.finesseDesktop as the contract says."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    response = post_signin(session, finesse, csrf)
    assert response.status_code == 302 and response.headers["Location"].endswith("/desktop/")
    assert agent_state(finesse) == "NOT_READY"
    page = session.get(f"{finesse.url}/desktop/", timeout=5).text
    config = json.loads(re.search(r"window\.finesseDesktop = (.*?);\n", page).group(1))
    assert config["agent"] == {
        "id": "1001",
        "firstName": "Ana",
        "lastName": "Horvat",
        "extension": "3001",
        "teamId": "10",
        "teamName": "Customer Care",
        "locale": "en_US",
    }
    assert config["authorization"] == "MTAwMTpkZW1vMTAwMQ=="
    assert config["notificationsUrl"] == "/desktop/notifications"
    assert re.search(r'<script src="/desktop/static/desktop.bundle.js\?v=[0-9a-f]{32}"></script>', page)


def test_language_picker_translates_the_sign_in_and_sets_the_agent_locale(finesse):
    """Hrvatski → Croatian labels; signing in with hr_HR gives the desktop locale hr_HR."""
    session = requests.Session()
    html, csrf = signin_form(session, finesse, "hr_HR")
    assert "Lozinka" in html and "Interni broj" in html and '<html lang="hr">' in html
    post_signin(session, finesse, csrf, locale="hr_HR")
    page = session.get(f"{finesse.url}/desktop/", timeout=5).text
    assert '"locale": "hr_HR"' in page and "Odjava" in page


def test_without_a_language_choice_the_agents_configured_locale_is_used():
    """An agent configured with sr_RS who does not pick a language gets a Serbian desktop."""
    agents = [
        {
            "id": "7001",
            "password": "pw",
            "firstName": "Ema",
            "lastName": "Zec",
            "extension": "7001",
            "teamId": "10",
            "locale": "sr_RS",
        }
    ]
    with ServerThread(create_app({"AGENTS": agents})) as server:
        session = requests.Session()
        html = session.get(f"{server.url}/desktop/signin", timeout=5).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
        session.post(
            f"{server.url}/desktop/signin",
            timeout=5,
            data={"csrf": csrf, "username": "7001", "password": "pw", "extension": "7001"},
        )
        page = session.get(f"{server.url}/desktop/", timeout=5).text
    assert '"locale": "sr_RS"' in page and "Odjavi se" in page


def test_sign_in_without_the_form_token_is_refused(finesse, api_error):
    """A sign-in post without the csrf field → 400 and the agent stays signed out."""
    response = requests.post(
        f"{finesse.url}/desktop/signin",
        timeout=5,
        data={"username": "1001", "password": "demo1001", "extension": "3001"},
    )
    assert response.status_code == 400
    assert "The form expired" in api_error(response)[1]
    assert agent_state(finesse) == "LOGOUT"


def test_sign_out_logs_the_agent_out_and_ends_the_session(finesse):
    """Sign Out → agent LOGOUT, the desktop redirects to sign-in again."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    post_signin(session, finesse, csrf)
    page = session.get(f"{finesse.url}/desktop/", timeout=5).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = session.post(f"{finesse.url}/desktop/signout", data={"csrf": csrf}, allow_redirects=False, timeout=5)
    assert response.status_code == 302 and response.headers["Location"].endswith("/desktop/signin")
    assert agent_state(finesse) == "LOGOUT"
    assert session.get(f"{finesse.url}/desktop/", allow_redirects=False, timeout=5).status_code == 302


def test_sign_out_during_a_call_is_refused_with_a_message(finesse):
    """Sign Out while a call rings → back to the desktop with 'End your call before signing out.'"""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    post_signin(session, finesse, csrf)
    finesse.control("PUT", "/agents/1001/state", json={"state": "READY"})
    finesse.control("POST", "/calls", json={"agentId": "1001", "fromAddress": "555"})
    page = session.get(f"{finesse.url}/desktop/", timeout=5).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    response = session.post(f"{finesse.url}/desktop/signout", data={"csrf": csrf}, timeout=5)
    assert "End your call before signing out." in response.text
    assert agent_state(finesse) == "RESERVED"


def test_notification_stream_accepts_the_desktop_session_cookie(finesse):
    """GET /desktop/notifications with the session cookie → text/event-stream; without credentials → 401."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    post_signin(session, finesse, csrf)
    with session.get(f"{finesse.url}/desktop/notifications", stream=True, timeout=5) as response:
        assert response.status_code == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        assert next(response.iter_lines(decode_unicode=True)) == "retry: 1000"
        finesse.reset()
    assert requests.get(f"{finesse.url}/desktop/notifications", timeout=5).status_code == 401


def test_desktop_session_cookie_has_its_own_name_and_is_http_only(finesse):
    """The session cookie is finesse_desktop_session (apart from other mocks on 127.0.0.1), HttpOnly, SameSite=Lax."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    response = post_signin(session, finesse, csrf)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("finesse_desktop_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
