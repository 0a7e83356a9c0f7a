"""Mock Control Hub as a local dev server next to a real browser (issue #10 item 6): sessions rotated at sign-in
and ended server-side at sign-out, frame protection, no Referer, and no tokens in the access log (that test and
the secret key: tests/mock_core)."""

import re

import pytest
import requests

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_sign_in_gives_a_new_csrf_token(controlhub, page_client):
    """The form token of the session before sign-in is not the signed-in admin's."""
    before = page_client.csrf("/signin")
    cfg = controlhub.app.config
    page_client.post(
        "/signin", data={"csrf_token": before, "email": cfg["ADMIN_EMAIL"], "password": cfg["ADMIN_PASSWORD"]}
    )
    assert CSRF.search(page_client.get("/services").text).group(1) != before


def test_sign_out_ends_the_session_on_the_server(controlhub, admin_client):
    """A copy of the admin cookie taken before sign-out no longer opens Control Hub."""
    stolen = admin_client.cookies.get("session")
    assert admin_client.submit("/signout", {}, token_from="/services").status_code == 302
    page = requests.get(controlhub.url + "/services", cookies={"session": stolen}, allow_redirects=False, timeout=10)
    assert page.status_code == 302
    assert "/signin" in page.headers["Location"]


@pytest.mark.parametrize("path", ["/signin", "/services", "/context/v1/customer"])
def test_pages_refuse_framing_and_send_no_referrer(controlhub, admin_client, path):
    """Control Hub pages and the API: X-Frame-Options DENY, frame-ancestors 'none', Referrer-Policy no-referrer."""
    headers = admin_client.get(path).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
