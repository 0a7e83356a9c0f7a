"""The control API (``/_mock/…``) answers only calls carrying ``X-Mock-Control: 1`` (issue #10: a web page of
another site could ``POST /_mock/reset`` and wipe Context Service)."""

import requests


def test_control_call_without_the_control_header_is_refused_and_changes_nothing(controlhub, context_api, expect_error):
    """POST /_mock/reset without the header → 403 naming the header; the stored customer is still there."""
    context_api.customer(Context_First_Name="Ana")
    response = requests.post(controlhub.url + "/_mock/reset", timeout=10)
    expect_error(response, 403, "FORBIDDEN", "X-Mock-Control: 1", field="X-Mock-Control")
    assert controlhub.control("GET", "/state").json()["objects"]["production"]["customer"] == 1
