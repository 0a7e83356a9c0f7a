"""Mock Finesse as a local dev server next to a real browser (issue #10 item 6): sessions rotated at sign-in and
ended server-side at sign-out, frame protection, no Referer, and no credentials in the access log (that test
and the secret key: tests/mock_core)."""

import re

import pytest
import requests

from mock_finesse import create_app

COOKIE = "finesse_desktop_session"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def desktop_sign_in(finesse, http=None):
    """Sign agent 1001 in through the desktop form; the requests session."""
    http = http or requests.Session()
    token = CSRF.search(http.get(finesse.url + "/desktop/signin", timeout=5).text).group(1)
    answer = http.post(
        finesse.url + "/desktop/signin",
        allow_redirects=False,
        timeout=5,
        data={"csrf": token, "username": "1001", "password": "demo1001", "extension": "3001"},
    )
    assert answer.status_code == 302, answer.text
    return http


def desktop_sign_out(finesse, http):
    """Post the desktop's sign-out form."""
    token = CSRF.search(http.get(finesse.url + "/desktop/", timeout=5).text).group(1)
    assert (
        http.post(finesse.url + "/desktop/signout", data={"csrf": token}, allow_redirects=False, timeout=5).status_code
        == 302
    )


def admin_form_token(finesse, http):
    """The CSRF token of the /cfadmin/ sign-in form (the session's token before sign-in)."""
    return CSRF.search(http.get(finesse.url + "/cfadmin/", timeout=5).text).group(1)


def admin_sign_in(finesse, http, token):
    """Post the /cfadmin/ sign-in form with ``token``."""
    answer = http.post(
        finesse.url + "/cfadmin/signin",
        allow_redirects=False,
        timeout=5,
        data={"csrf": token, "username": "admin", "password": "demoadmin"},
    )
    assert answer.status_code == 302, answer.text


def test_desktop_sign_out_ends_the_session_on_the_server(finesse):
    """A copy of the desktop cookie taken before sign-out opens nothing, even once the agent signs in again."""
    http = desktop_sign_in(finesse)
    stolen = http.cookies.get(COOKIE)
    desktop_sign_out(finesse, http)
    desktop_sign_in(finesse)  # the agent is back, in another browser
    page = requests.get(finesse.url + "/desktop/", cookies={COOKIE: stolen}, allow_redirects=False, timeout=5)
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/desktop/signin")


def test_desktop_sign_in_gives_a_new_csrf_token(finesse):
    """The form token of the session before sign-in is not the signed-in desktop's."""
    http = requests.Session()
    before = CSRF.search(http.get(finesse.url + "/desktop/signin", timeout=5).text).group(1)
    desktop_sign_in(finesse, http)
    assert CSRF.search(http.get(finesse.url + "/desktop/", timeout=5).text).group(1) != before


def test_cfadmin_sign_in_rotates_the_csrf_token_so_a_planted_one_saves_nothing(finesse):
    """Session fixation: a token known before sign-in (planted by another site) cannot save a layout after it."""
    http = requests.Session()
    planted = admin_form_token(finesse, http)
    admin_sign_in(finesse, http, planted)
    answer = http.post(
        finesse.url + "/cfadmin/layouts",
        allow_redirects=False,
        timeout=5,
        data={"csrf": planted, "team": "10", "action": "revert"},
    )
    assert answer.status_code == 400
    editor = http.get(finesse.url + "/cfadmin/layouts?team=10", timeout=5).text
    assert CSRF.search(editor).group(1) != planted


def test_cfadmin_sign_out_ends_the_session_on_the_server(finesse):
    """A copy of the administrator's cookie taken before sign-out no longer opens the layout editor."""
    http = requests.Session()
    admin_sign_in(finesse, http, admin_form_token(finesse, http))
    stolen = http.cookies.get(COOKIE)
    token = CSRF.search(http.get(finesse.url + "/cfadmin/layouts", timeout=5).text).group(1)
    http.post(finesse.url + "/cfadmin/signout", data={"csrf": token}, timeout=5)
    page = requests.get(finesse.url + "/cfadmin/layouts", cookies={COOKIE: stolen}, allow_redirects=False, timeout=5)
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/cfadmin/")


@pytest.mark.parametrize("path", ["/desktop/signin", "/cfadmin/", "/finesse/api/SystemInfo"])
def test_pages_refuse_framing_and_send_no_referrer(finesse, path):
    """Desktop, /cfadmin/ and the API: X-Frame-Options DENY, frame-ancestors 'none', Referrer-Policy no-referrer."""
    headers = requests.get(finesse.url + path, timeout=5).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"


def test_gadget_frames_may_be_framed_by_the_desktop_only(finesse, test_gadget_server):
    """/gadgets/ifr is framed by the desktop (same origin) and sends no Referer onwards (its URL carries prefs)."""
    headers = requests.get(
        finesse.url + "/gadgets/ifr", params={"url": test_gadget_server.spec_url}, timeout=10
    ).headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"


def test_apps_built_without_settings_do_not_share_a_key():
    """Two mock Finesse apps built with no settings sign with different keys."""
    assert create_app({"LAYOUTS_DIR": ""}).secret_key != create_app({"LAYOUTS_DIR": ""}).secret_key
