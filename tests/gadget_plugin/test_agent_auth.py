"""Every /api call is made by a Finesse agent whose credentials the configured Finesse accepts."""

import base64
import hashlib

import requests

from gadget_plugin import get_backend


def test_call_without_credentials_is_refused(gadget):
    """No Authorization header: 401 UNAUTHORIZED saying what to send."""
    response = requests.get(gadget.url + "/api/v1/status", timeout=10)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "UNAUTHORIZED"
    assert "Authorization" in error["message"]


def test_wrong_finesse_password_is_refused(gadget, client_for, basic):
    """Finesse refuses the password, so the proxy does too."""
    error = client_for(basic("1001", "wrong")).error("GET", "/status", 401, "UNAUTHORIZED")
    assert "Finesse did not accept" in error["message"]


def test_basic_credentials_that_are_not_base64_are_refused(gadget, client_for):
    """Garbage after Basic: 401 naming the expected form."""
    error = client_for("Basic %%%").error("GET", "/status", 401, "UNAUTHORIZED")
    assert "id:password" in error["message"]


def test_bearer_token_needs_the_agent_id_header(gadget, client_for):
    """Bearer without X-Finesse-Agent-Id cannot name the agent: 401."""
    error = client_for("Bearer abc").error("GET", "/status", 401, "UNAUTHORIZED")
    assert "X-Finesse-Agent-Id" in error["message"]


def test_bearer_token_finesse_does_not_know_is_refused(gadget, client_for):
    """An SSO token Finesse does not accept for that agent: 401."""
    client = client_for("Bearer not-a-finesse-token")
    client.session.headers["X-Finesse-Agent-Id"] = "1001"
    client.error("GET", "/status", 401, "UNAUTHORIZED")


def test_agent_id_header_must_match_basic_credentials(gadget, client_for, basic):
    """Claiming another agent's id next to one's own credentials is refused."""
    client = client_for(basic())
    client.session.headers["X-Finesse-Agent-Id"] = "1002"
    error = client.error("GET", "/status", 401, "UNAUTHORIZED")
    assert "does not match" in error["message"]


def test_verified_agent_is_cached_under_a_hash_never_the_secret(gadget, api, basic):
    """After one success the cache holds a SHA-256 key; neither password nor header appears in it."""
    api.ok("GET", "/status")
    cache = get_backend(gadget.app).agents._cache
    header = basic()
    assert list(cache) == [hashlib.sha256(f"{header}\n1001".encode()).hexdigest()]
    flat = repr(cache)
    assert "demo1001" not in flat and header.split()[1] not in flat


def test_cached_success_survives_finesse_being_unreachable(gadget, api, client_for, basic):
    """Within the cache time a verified agent is not re-checked, so a Finesse blip does not log agents out."""
    api.ok("GET", "/status")
    verifier = get_backend(gadget.app).agents
    saved = verifier.finesse_urls
    verifier.finesse_urls = ["http://127.0.0.1:9"]
    try:
        api.ok("GET", "/status")
        client_for(basic("1002", "demo1002")).error("GET", "/status", 503, "UPSTREAM_UNAVAILABLE")
    finally:
        verifier.finesse_urls = saved


def test_other_agents_are_verified_separately(gadget, api, client_for, basic):
    """Agent 1002 with agent 1002's password is accepted on its own credentials."""
    api.ok("GET", "/status")
    client_for(basic("1002", "demo1002")).ok("GET", "/status")
    client_for("Basic " + base64.b64encode(b"1002:demo1001").decode()).error("GET", "/status", 401, "UNAUTHORIZED")
