"""The makeRequest transport: the gadget's calls relayed by mock Finesse's /gadgets/makeRequest (Shindig)."""

import json
from urllib.parse import urlencode

import requests

SHINDIG_CRUFT = "throw 1; < don't be evil' >"


def _make_request(finesse, url, method="GET", headers=None, body=None):
    """One call through Finesse's Shindig proxy; returns Shindig's ``{rc, body}`` for the URL."""
    form = {"url": url, "httpMethod": method, "headers": urlencode(headers or {}), "getFullHeaders": "true"}
    if body is not None:
        form["postData"] = json.dumps(body)
    answer = requests.post(finesse.url + "/gadgets/makeRequest", data=form, timeout=15)
    assert answer.status_code == 200, answer.text
    assert answer.text.startswith(SHINDIG_CRUFT)
    return json.loads(answer.text[len(SHINDIG_CRUFT) :])[url]


def test_api_call_through_make_request_reaches_the_proxy_with_the_agent_credentials(gadget, finesse, basic):
    """GET /api/v1/status via Shindig: the Authorization header is relayed and verified."""
    result = _make_request(finesse, gadget.url + "/api/v1/status", headers={"Authorization": basic()})
    assert result["rc"] == 200
    assert json.loads(result["body"])["available"] is True


def test_write_through_make_request_creates_the_customer(gadget, finesse, basic, api):
    """POST /api/v1/customers via Shindig creates the customer (no Origin: CORS does not apply)."""
    result = _make_request(
        finesse,
        gadget.url + "/api/v1/customers",
        "POST",
        {"Authorization": basic(), "Content-Type": "application/json"},
        {"fields": {"Context_First_Name": "Relay"}},
    )
    assert result["rc"] == 201
    created = json.loads(result["body"])
    assert api.ok("GET", f"/customers/{created['id']}")["displayName"] == "Relay"


def test_make_request_without_credentials_is_refused_by_the_proxy(gadget, finesse):
    """Relayed without Authorization: the proxy answers 401 inside Shindig's envelope."""
    result = _make_request(finesse, gadget.url + "/api/v1/status")
    assert result["rc"] == 401
    assert json.loads(result["body"])["error"]["code"] == "UNAUTHORIZED"
