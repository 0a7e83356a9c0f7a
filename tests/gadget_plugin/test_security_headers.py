"""CORS only for the configured Finesse origins, CSP frame-ancestors for them, and never a cookie."""

import requests

from gadget_plugin import connection, get_backend


def test_preflight_from_finesse_origin_is_allowed(gadget, finesse):
    """An OPTIONS preflight from Finesse's origin gets the CORS answer, without credentials."""
    response = requests.options(
        gadget.url + "/api/v1/customers",
        timeout=10,
        headers={
            "Origin": finesse.url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, x-finesse-agent-id, idempotency-key",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == finesse.url
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "X-Finesse-Agent-Id" in response.headers["Access-Control-Allow-Headers"]
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert "PUT" in response.headers["Access-Control-Allow-Methods"]


def test_preflight_answer_may_be_kept_two_hours(gadget, finesse):
    """``Access-Control-Max-Age: 7200`` (Chromium's cap): the gadget's browser sends a preflight once per URL
    every two hours, so the screen pop (one URL, POST) is not held back by one before each call."""
    response = requests.options(
        gadget.url + "/api/v1/screen-pop",
        timeout=10,
        headers={"Origin": finesse.url, "Access-Control-Request-Method": "POST"},
    )
    assert response.headers["Access-Control-Max-Age"] == "7200"


def test_finesse_origin_may_read_retry_after(gadget, finesse):
    """Retry-After (sent with 503 OVERLOADED) is not a CORS-safelisted header: it is exposed, or the gadget in
    Finesse could not tell how long to wait."""
    response = requests.get(gadget.url + "/api/v1/status", timeout=10, headers={"Origin": finesse.url})
    assert "Retry-After" in [name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")]


def test_call_from_another_origin_is_refused(gadget, basic):
    """A browser call from an unknown origin: 403 ORIGIN_NOT_ALLOWED and no CORS grant."""
    response = requests.get(
        gadget.url + "/api/v1/status", timeout=10, headers={"Origin": "https://evil.example", "Authorization": basic()}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ORIGIN_NOT_ALLOWED"
    assert "https://evil.example" in response.json()["error"]["message"]
    assert "Access-Control-Allow-Origin" not in response.headers


def test_responses_carry_csp_frame_ancestors_of_finesse(gadget, finesse):
    """Every answer limits framing to this server and the configured Finesse."""
    response = requests.get(gadget.url + "/gadget.xml", timeout=10)
    csp = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors 'self' {finesse.url}" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_response_sets_a_cookie(gadget, api):
    """The API is stateless: no Set-Cookie, ever."""
    response = api.call("GET", "/status")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not api.session.cookies


def test_no_response_contains_the_context_service_secret(gadget, api, customer):
    """Status, fields, customers and the gadget spec never echo the client secret of the connection data."""
    creds = connection.decode(get_backend(gadget.app).connection_data())
    bodies = [api.call("GET", path).text for path in ("/status", "/fields", f"/customers/{customer['id']}")]
    bodies.append(requests.get(gadget.url + "/gadget.xml", timeout=10).text)
    for body in bodies:
        assert creds["prod"].client_secret not in body
        assert creds["lab"].client_secret not in body
