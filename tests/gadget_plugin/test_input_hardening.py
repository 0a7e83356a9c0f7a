"""Bad input is refused before anything is written, with an error naming the field (and the limit): lone
surrogates, NUL and other control characters, zero-width-only text, deep JSON, far pages, oversized bodies
(also chunked), unknown references; multi-object operations write nothing when a check fails."""

import pytest
import requests

from gadget_plugin import get_backend

RAW_JSON = {"Content-Type": "application/json"}


def raw(api, method, path, text):
    """Send ``text`` as the JSON body byte for byte (``\\ud800`` escapes stay as the client wrote them)."""
    return api.call(method, path, data=text.encode(), headers=RAW_JSON)


def refused(response, field, status=400, code="VALIDATION_FAILED"):
    """The error of a refused call, checked for status, code and the field it names."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error.get("field") == field, error
    return error


def test_a_lone_surrogate_in_an_activity_that_needs_a_new_request_writes_nothing(api, customer, cloud_state):
    """The measured defect: a lone surrogate in source.name answered 502 and left an empty request behind."""
    before = cloud_state()
    response = raw(
        api,
        "POST",
        "/activities",
        '{"customerId": "%s", "mediaType": "voice", '  # noqa: UP031
        '"source": {"name": "Ann \\ud800 Smith"}}' % customer["id"],
    )
    error = refused(response, "source.name")
    assert "lone surrogate" in error["message"]
    assert cloud_state() == before


def test_a_lone_surrogate_in_a_customer_field_is_refused_naming_the_field(api, cloud_state):
    """A surrogate half in a customer's field: 400 naming Context_First_Name, nothing stored."""
    before = cloud_state()
    refused(raw(api, "POST", "/customers", '{"fields": {"Context_First_Name": "\\udc00x"}}'), "Context_First_Name")
    assert cloud_state() == before


@pytest.mark.parametrize("value, what", [("Ann\u0000", "NUL"), ("Ann\u0007", "a bell"), ("A\u009bB", "a C1 CSI")])
def test_control_characters_are_refused_in_every_field(api, cloud_state, value, what):
    """NUL (stored before), BEL and C1 controls: 400 naming the field."""
    before = cloud_state()
    error = refused(api.call("POST", "/customers", json={"fields": {"Context_Last_Name": value}}), "Context_Last_Name")
    assert "control character" in error["message"], what
    assert cloud_state() == before


def test_tab_and_newline_are_kept_in_multi_line_fields_and_refused_in_single_line_ones(api, customer):
    """A request description and a comment may span lines; a request title may not."""
    created = api.ok(
        "POST",
        "/requests",
        201,
        json={
            "customerId": customer["id"],
            "fields": {"Context_Title": "Router", "Context_Description": "Line one\n\tLine two"},
        },
    )
    assert created["fields"]["Context_Description"] == "Line one\n\tLine two"
    refused(
        api.call("POST", "/requests", json={"customerId": customer["id"], "fields": {"Context_Title": "Two\nlines"}}),
        "Context_Title",
    )


def test_a_comment_may_span_lines(api, call_activity):
    """Comments are multi-line text."""
    comment = api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "First\nSecond"})
    assert comment["text"] == "First\nSecond"


@pytest.mark.parametrize("value", ["\u200b", "\u200b\u200c\u200d", " \ufeff\u2060 "])
def test_values_of_only_zero_width_characters_are_refused(api, cloud_state, value):
    """Zero-width-only text (stored before, invisible in the gadget) is refused naming the field."""
    before = cloud_state()
    error = refused(
        api.call("POST", "/customers", json={"fields": {"Context_First_Name": value}}), "Context_First_Name"
    )
    assert "invisible" in error["message"]
    assert cloud_state() == before


def test_a_zero_width_only_tag_is_refused(api, call_activity):
    """Tags follow the same rule."""
    refused(
        api.call(
            "PUT",
            f"/activities/{call_activity['id']}",
            json={"lastUpdated": call_activity["lastUpdated"], "tags": ["\u200b"]},
        ),
        "tags",
    )


def test_json_nested_20000_deep_is_refused_naming_the_depth_limit(api, cloud_state):
    """The measured defect: a 20,000-deep body answered 500. Now 400 naming body and the limit, under the size
    limit so the depth rule is what refuses it."""
    before = cloud_state()
    error = refused(raw(api, "POST", "/customers", '{"fields": ' + "[" * 20000 + "]" * 20000 + "}"), "body")
    assert error["limit"] == 10
    assert cloud_state() == before


def test_a_body_nested_within_the_limit_is_read_normally(api):
    """Brackets inside strings do not count as nesting."""
    created = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "[[[[[[[[[[[{{{{{{{"}})
    assert created["fields"]["Context_First_Name"] == "[[[[[[[[[[[{{{{{{{"


def test_a_far_start_index_is_refused_naming_it_and_its_limit(api):
    """The measured defect: a huge startIndex reached Context Service (502). Now 400 naming startIndex."""
    error = refused(api.call("GET", "/customers/search", params={"q": "Ann", "startIndex": 10**12}), "startIndex")
    assert error["limit"] == 10000
    refused(api.call("GET", "/customers/search", params={"q": "Ann", "startIndex": -1}), "startIndex")


def test_an_oversized_chunked_body_is_refused_413(api, gadget, cloud_state):
    """The measured defect: a chunked body over MAX_BODY_BYTES answered 400 "must be a JSON object". Now 413
    naming body and the limit, whatever the transfer encoding."""
    limit = gadget.app.config["MAX_BODY_BYTES"]
    before = cloud_state()
    chunks = (piece for piece in [b'{"fields": {"Context_Notes": "'] + [b"x" * 4096] * (limit // 4096 + 2) + [b'"}}'])
    error = refused(api.call("POST", "/customers", data=chunks, headers=RAW_JSON), "body", 413, "PAYLOAD_TOO_LARGE")
    assert error["limit"] == limit
    assert cloud_state() == before


def test_a_body_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(api, gadget):
    """The limit is inclusive, for chunked bodies as for bodies with a Content-Length."""
    limit = gadget.app.config["MAX_BODY_BYTES"]
    head, tail = b'{"fields": {"Context_First_Name": "Ann"}, "pad": "', b'"}'
    exact = head + b"x" * (limit - len(head) - len(tail)) + tail
    assert api.call("POST", "/customers", data=iter([exact]), headers=RAW_JSON).status_code == 201
    refused(api.call("POST", "/customers", data=exact + b" ", headers=RAW_JSON), "body", 413, "PAYLOAD_TOO_LARGE")
    refused(
        api.call("POST", "/customers", data=iter([exact + b" "]), headers=RAW_JSON), "body", 413, "PAYLOAD_TOO_LARGE"
    )


def test_an_unknown_customer_id_in_a_body_is_named_customerId(api, cloud_state):
    """The measured defect: the 404 named ``id``. A new request for an unknown customer names customerId."""
    before = cloud_state()
    refused(api.call("POST", "/requests", json={"customerId": "no-such-customer"}), "customerId", 404, "NOT_FOUND")
    refused(
        api.call("POST", "/activities", json={"customerId": "no-such-customer", "mediaType": "voice"}),
        "customerId",
        404,
        "NOT_FOUND",
    )
    assert cloud_state() == before


def test_a_move_to_a_new_request_of_an_unknown_customer_writes_nothing_and_names_customerId(
    api, call_activity, cloud_state
):
    """Every check of a move runs before the new request is created."""
    before = cloud_state()
    refused(
        api.call(
            "POST",
            f"/activities/{call_activity['id']}/move",
            json={"requestId": "new", "customerId": "no-such-customer", "lastUpdated": call_activity["lastUpdated"]},
        ),
        "customerId",
        404,
        "NOT_FOUND",
    )
    assert cloud_state() == before


def test_an_activity_whose_dictionary_cannot_be_read_creates_no_request(api, customer, gadget, cloud_state):
    """Fault injected: the dictionary is unreachable when an activity needing a new request is recorded. Before,
    the request was created first and left empty; now the activity's data is complete before the first write."""
    backend = get_backend(gadget.app)
    before = cloud_state()
    saved = backend.cs.dictionary_url
    backend.cs.dictionary_url = "http://127.0.0.1:9"
    backend.dictionary.reset()
    try:
        response = api.call(
            "POST",
            "/activities",
            json={"customerId": customer["id"], "mediaType": "voice", "source": {"phone": "+15550102030"}},
        )
    finally:
        backend.cs.dictionary_url = saved
    assert response.status_code == 503, response.text
    assert cloud_state() == before


def test_an_activity_whose_write_fails_after_its_new_request_is_finished_by_the_retry(
    api, customer, gadget, cloud_state
):
    """Fault injected: the activity's POST fails after the new request was created. The gadget's retry puts the
    activity into that request: in the end one request, holding the activity, none left empty."""
    client = get_backend(gadget.app).cs
    original = client.session.request
    failed = []

    def failing_first_pod_write(method, url, **kwargs):
        if method == "POST" and url.endswith("/context/v1/pod") and not failed:
            failed.append(url)
            raise requests.ConnectionError("connection reset")
        return original(method, url, **kwargs)

    body = {
        "customerId": customer["id"],
        "mediaType": "voice",
        "dialogId": "16777299",
        "source": {"phone": "+15550102030"},
    }
    client.session.request = failing_first_pod_write
    try:
        api.error("POST", "/activities", 503, "UPSTREAM_UNAVAILABLE", json=body)
    finally:
        client.session.request = original
    activity = api.ok("POST", "/activities", 201, json=body)
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert [len(request["activities"]) for request in journey["requests"]] == [1]
    assert journey["requests"][0]["id"] == activity["requestId"]
    assert cloud_state()["request"] == 1
