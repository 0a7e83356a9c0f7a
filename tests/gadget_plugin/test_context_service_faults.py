"""Context Service faults (injected through the mock's /_mock/faults) become clear errors, with no partial writes."""

import requests

from gadget_plugin import get_backend


def test_context_service_500s_answer_502_upstream_error(api, customer, faults):
    """Every call failing with 500 (after the retries): 502 UPSTREAM_ERROR."""
    faults(errorRate=1.0, status=500)
    error = api.error("GET", f"/customers/{customer['id']}", 502, "UPSTREAM_ERROR")
    assert "Context Service failed" in error["message"]


def test_context_service_503_answers_503_upstream_unavailable(api, customer, faults):
    """Context Service unavailable: 503 UPSTREAM_UNAVAILABLE asking to retry."""
    faults(errorRate=1.0, status=503)
    error = api.error("GET", f"/customers/{customer['id']}", 503, "UPSTREAM_UNAVAILABLE")
    assert "try again" in error["message"]


def test_context_service_timeout_answers_504_upstream_timeout(api, customer, faults):
    """Slower than the client timeout (2 s in the fixture): 504 UPSTREAM_TIMEOUT naming the limit."""
    faults(latencyMs=2500)
    error = api.error("GET", f"/customers/{customer['id']}", 504, "UPSTREAM_TIMEOUT")
    assert "within 2 s" in error["message"]


def test_failed_move_leaves_no_partial_state(api, customer, call_activity, faults, cloud_state):
    """A move into a new request while Context Service fails: error, no new request, activity unchanged."""
    before = cloud_state()
    faults(errorRate=1.0, status=500)
    api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        502,
        "UPSTREAM_ERROR",
        json={"requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    faults()
    assert cloud_state() == before
    assert api.ok("GET", f"/activities/{call_activity['id']}")["requestId"] == call_activity["requestId"]


def test_failed_update_changes_nothing(api, customer, faults):
    """An update answered with 503 is not applied, and the next try with the same lastUpdated works."""
    faults(errorRate=1.0, status=503)
    api.error(
        "PUT",
        f"/customers/{customer['id']}",
        503,
        "UPSTREAM_UNAVAILABLE",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Split"}},
    )
    faults()
    updated = api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Split"}},
    )
    assert updated["fields"]["Context_City"] == "Split"


def test_transient_failures_of_reads_are_retried(api, customer, faults, gadget):
    """A read that fails once succeeds on the retry (idempotent calls only)."""
    client = get_backend(gadget.app).cs
    calls = []
    original = client.session.request

    def flaky(method, url, **kwargs):
        calls.append(method)
        if len(calls) == 1:
            raise requests.ConnectionError("connection reset")
        return original(method, url, **kwargs)

    client.session.request = flaky
    try:
        assert api.ok("GET", f"/customers/{customer['id']}")["id"] == customer["id"]
    finally:
        client.session.request = original
    assert calls == ["GET", "GET"]


def test_move_whose_record_cannot_be_written_is_rolled_back(api, customer, call_activity, gadget):
    """Recording the move fails after the activity moved: the activity is put back and the error says so."""
    client = get_backend(gadget.app).cs
    original = client.session.request
    target = api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})

    def failing_detail_writes(method, url, **kwargs):
        if method == "POST" and url.endswith("/context/v1/detail"):
            raise requests.ConnectionError("connection reset")
        return original(method, url, **kwargs)

    client.session.request = failing_detail_writes
    try:
        error = api.error(
            "POST",
            f"/activities/{call_activity['id']}/move",
            503,
            "UPSTREAM_UNAVAILABLE",
            json={"requestId": target["id"], "lastUpdated": call_activity["lastUpdated"]},
        )
    finally:
        client.session.request = original
    assert "put back" in error["message"]
    assert api.ok("GET", f"/activities/{call_activity['id']}")["requestId"] == call_activity["requestId"]


def test_expired_token_is_replaced_without_the_agent_noticing(api, customer, controlhub, gadget):
    """After the bearer token expired on Context Service's clock, the next call fetches a new one and succeeds."""
    old = get_backend(gadget.app).cs.tokens.header()
    controlhub.control("POST", "/clock", json={"advanceSeconds": 7200}).raise_for_status()
    assert api.ok("GET", f"/customers/{customer['id']}")["id"] == customer["id"]
    assert get_backend(gadget.app).cs.tokens.header() != old


def test_ids_that_are_not_context_service_ids_never_reach_context_service(api, gadget):
    """An id with path or query characters is answered 404 by the proxy itself: it builds every URL."""
    client = get_backend(gadget.app).cs
    sent = []
    original = client.session.request
    client.session.request = lambda method, url, **kwargs: sent.append(url) or original(method, url, **kwargs)
    try:
        for weird in ("x%3Fq%3Did%3A*", "..%5C..", "a%20b"):
            api.error("GET", f"/customers/{weird}", 404, "NOT_FOUND")
    finally:
        client.session.request = original
    assert sent == []
