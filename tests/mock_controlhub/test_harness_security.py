"""Mock Control Hub as a local dev server next to a real browser (issue #10 item 6): a random secret key per
instance, sessions rotated at sign-in and ended server-side at sign-out, frame protection, no Referer, and no
tokens in the access log."""
import logging
import os
import re

import pytest
import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from mock_controlhub.config import ConfigError, load_config

OLD_DEFAULT_KEY = "mock-controlhub-dev-key"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def forged_cookie(secret_key, **values):
    """A Flask session cookie with ``values`` signed with ``secret_key`` (what an attacker can make)."""
    app = Flask("forger")
    app.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(values)


def test_a_session_signed_with_the_old_default_key_is_no_admin(controlhub):
    """No fixed SECRET_KEY: a cookie forged with the old default ``mock-controlhub-dev-key`` opens no admin page."""
    cookie = forged_cookie(OLD_DEFAULT_KEY, admin_email=controlhub.app.config["ADMIN_EMAIL"])
    page = requests.get(controlhub.url + "/services", cookies={"session": cookie}, allow_redirects=False, timeout=10)
    assert page.status_code == 302
    assert "/signin" in page.headers["Location"]


def test_secret_key_is_random_per_instance_and_kept_owner_only_in_the_instance_folder(tmp_path):
    """Without INSTANCE_PATH every start has its own key; with it, the key is created once (mode 0600) and the
    next start uses it again."""
    assert load_config(environ={})["SECRET_KEY"] != load_config(environ={})["SECRET_KEY"]
    first = load_config({"INSTANCE_PATH": str(tmp_path)}, environ={})["SECRET_KEY"]
    key_file = tmp_path / "mock_controlhub.secret_key"
    assert first == load_config({"INSTANCE_PATH": str(tmp_path)}, environ={})["SECRET_KEY"] == key_file.read_text()
    assert os.stat(key_file).st_mode & 0o777 == 0o600


def test_a_short_secret_key_stops_start_up_naming_the_setting():
    """MOCK_CONTROLHUB_SECRET_KEY under 32 characters is a ConfigError naming SECRET_KEY and the limit."""
    with pytest.raises(ConfigError, match="SECRET_KEY must be at least 32 characters"):
        load_config(environ={"MOCK_CONTROLHUB_SECRET_KEY": OLD_DEFAULT_KEY})


def test_sign_in_gives_a_new_csrf_token(controlhub, page_client):
    """The form token of the session before sign-in is not the signed-in admin's."""
    before = page_client.csrf("/signin")
    cfg = controlhub.app.config
    page_client.post("/signin", data={"csrf_token": before, "email": cfg["ADMIN_EMAIL"],
                                      "password": cfg["ADMIN_PASSWORD"]})
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


def test_access_log_shows_no_tokens_from_query_strings(controlhub, caplog):
    """Werkzeug's access line keeps the parameter names but not token or password values."""
    caplog.set_level(logging.INFO, logger="werkzeug")
    requests.get(controlhub.url + "/signin", timeout=10,
                 params={"access_token": "tok-123", "client_secret": "s3cr3t", "code": "auth-code-9", "next": "/x"})
    lines = "\n".join(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert "/signin" in lines and "next=" in lines
    for secret in ("tok-123", "s3cr3t", "auth-code-9"):
        assert secret not in lines
