"""Both mocks sign their sessions with a random key of their own instance (issue #10: the fixed default
``SECRET_KEY``s let anyone forge a Control Hub admin or an agent session and read the agent's password)."""

import os

import pytest
import requests
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from mock_controlhub import config as controlhub_config
from mock_finesse import config as finesse_config

MOCKS = {
    "finesse": (finesse_config, "MOCK_FINESSE_", "mock_finesse.secret_key"),
    "controlhub": (controlhub_config, "MOCK_CONTROLHUB_", "mock_controlhub.secret_key"),
}


def forged_cookie(secret_key, **values):
    """A Flask session cookie with ``values`` signed with ``secret_key`` (what an attacker can make)."""
    app = Flask("forger")
    app.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(values)


def test_a_desktop_session_signed_with_the_old_default_key_opens_no_desktop(finesse):
    """A cookie forged with the old default ``mock-finesse-dev-key`` for a signed-in agent does not show their
    desktop (which carries the agent's credentials)."""
    finesse.control("PUT", "/agents/1001/state", json={"state": "LOGIN"}).raise_for_status()
    cookie = forged_cookie("mock-finesse-dev-key", agent_id="1001", locale="en_US")
    page = requests.get(
        finesse.url + "/desktop/", cookies={"finesse_desktop_session": cookie}, allow_redirects=False, timeout=5
    )
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/desktop/signin")


def test_an_admin_session_signed_with_the_old_default_key_opens_no_control_hub_page(controlhub):
    """A cookie forged with the old default ``mock-controlhub-dev-key`` opens no admin page."""
    cookie = forged_cookie("mock-controlhub-dev-key", admin_email=controlhub.app.config["ADMIN_EMAIL"])
    page = requests.get(controlhub.url + "/services", cookies={"session": cookie}, allow_redirects=False, timeout=10)
    assert page.status_code == 302
    assert "/signin" in page.headers["Location"]


@pytest.mark.parametrize("mock", MOCKS)
def test_secret_key_is_random_per_instance_and_kept_owner_only_in_the_instance_folder(mock, tmp_path):
    """Without INSTANCE_PATH every start has its own key; with it, the key is created once (mode 0600) and the
    next start uses it again."""
    config, _, file_name = MOCKS[mock]
    assert config.load_config(environ={})["SECRET_KEY"] != config.load_config(environ={})["SECRET_KEY"]
    first = config.load_config({"INSTANCE_PATH": str(tmp_path)}, environ={})["SECRET_KEY"]
    again = config.load_config({"INSTANCE_PATH": str(tmp_path)}, environ={})["SECRET_KEY"]
    assert first == again == (tmp_path / file_name).read_text()
    assert len(first) >= 32
    assert os.stat(tmp_path / file_name).st_mode & 0o777 == 0o600


@pytest.mark.parametrize("mock", MOCKS)
def test_a_short_secret_key_stops_start_up_naming_the_setting(mock):
    """``MOCK_*_SECRET_KEY`` under 32 characters is a ConfigError naming SECRET_KEY and the limit."""
    config, prefix, _ = MOCKS[mock]
    with pytest.raises(config.ConfigError, match="SECRET_KEY must be at least 32 characters"):
        config.load_config(environ={prefix + "SECRET_KEY": "dev-key"})
