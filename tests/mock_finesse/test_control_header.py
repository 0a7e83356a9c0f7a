"""The control API (``/_mock/…``) answers only calls carrying ``X-Mock-Control: 1`` (issue #10: a web page of
another site could ``POST /_mock/reset`` and sign every agent out, or ring calls)."""

import requests

REFUSAL = ("Forbidden", "The control API needs the request header X-Mock-Control: 1.", "X-Mock-Control")


def test_control_call_without_the_control_header_is_refused_and_changes_nothing(finesse, login, api_error):
    """POST /_mock/reset and /_mock/calls without the header → 403 naming it; the agent stays signed in."""
    login("1001")
    for path in ("/reset", "/calls"):
        response = requests.post(finesse.url + "/_mock" + path, json={"agentId": "1001", "fromAddress": "5"}, timeout=5)
        assert response.status_code == 403, response.text
        assert api_error(response) == REFUSAL
    state = finesse.control("GET", "/state").json()
    assert next(a for a in state["agents"] if a["id"] == "1001")["state"] == "READY"
    assert state["dialogs"] == []


def test_control_header_must_be_exactly_1(finesse, api_error):
    """``X-Mock-Control: yes`` is not the header the control API asks for."""
    response = requests.get(finesse.url + "/_mock/state", headers={"X-Mock-Control": "yes"}, timeout=5)
    assert response.status_code == 403
    assert api_error(response) == REFUSAL
