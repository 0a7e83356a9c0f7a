"""Operations that write more than one Context Service object leave nothing half-written, also in production
(where Context Service cannot delete), whichever step fails — one test per failure point.

Each step is failed with the mock's ``/_mock/faults`` limited to its call (``only: "POST request"``): either the
write is refused before it is stored (``errorRate: 1``), or it is stored and its answer lost (``loseAnswers: 1``,
answered 503). After the failure the agent sees no empty request they did not ask for, and the retry (the same
body and ``Idempotency-Key``, as the gadget sends it) completes the operation instead of writing a second copy.
The write order and why: docs/gadget-plugin.md, "Write order".
"""

import pytest

from gadget_plugin import get_backend

KEY = {"Idempotency-Key": "0b7c9f2e-5d1a-4c3e-9f7a-1e2d3c4b5a69"}


@pytest.fixture()
def fail(faults):
    """Fail one kind of Context Service call: ``fail("POST pod")`` refuses it, ``lost=True`` stores it and loses
    the answer."""

    def inject(only, lost=False):
        faults(only=only, **({"loseAnswers": 1} if lost else {"errorRate": 1}))

    return inject


def _record(api, customer, status, **extra):
    body = {
        "customerId": customer["id"],
        "mediaType": "voice",
        "dialogId": "16777301",
        "source": {"name": "Ann Smith", "phone": "+15550102030"},
        **extra,
    }
    return api.call("POST", "/activities", json=body, headers=KEY), status


def _answer(call):
    response, status = call
    assert response.status_code == status, response.text
    return response.json()


def _requests_shown(api, customer):
    """The customer's requests the journey shows: ``{request id: [activity ids]}``."""
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    return {request["id"]: [activity["id"] for activity in request["activities"]] for request in journey["requests"]}


def _move(api, activity, **body):
    return api.call("POST", f"/activities/{activity['id']}/move", json={"lastUpdated": activity["lastUpdated"], **body})


# --- recording an activity that needs a new request ------------------------------------------------------------


def test_request_made_for_an_activity_whose_write_failed_is_not_shown_and_the_retry_fills_it(
    api, customer, fail, faults, cloud_state
):
    """The activity's POST fails after its new request was made: the journey shows no empty request, the error
    says a retry completes it, and the retry puts the activity into that request (one request in all)."""
    fail("POST pod")
    error = _answer(_record(api, customer, 503))["error"]
    assert error["code"] == "UPSTREAM_UNAVAILABLE" and "send it again" in error["message"]
    assert _requests_shown(api, customer) == {}
    faults()
    activity = _answer(_record(api, customer, 201))
    assert _requests_shown(api, customer) == {activity["requestId"]: [activity["id"]]}
    assert cloud_state()["request"] == 1


def test_request_new_whose_activity_failed_is_reused_by_the_retry(
    api, customer, call_activity, fail, faults, cloud_state
):
    """requestId "new" with the activity's POST failing: the retry reuses the request made for it, not a third."""
    fail("POST pod")
    _answer(_record(api, customer, 503, requestId="new"))
    faults()
    activity = _answer(_record(api, customer, 201, requestId="new"))
    assert activity["requestId"] != call_activity["requestId"]
    assert cloud_state()["request"] == 2
    assert _requests_shown(api, customer) == {
        activity["requestId"]: [activity["id"]],
        call_activity["requestId"]: [call_activity["id"]],
    }


def test_new_request_whose_answer_was_lost_is_hidden_and_reused_by_the_retry(
    api, customer, call_activity, fail, faults, cloud_state
):
    """The new request is stored but its answer lost: not shown while empty, and the retry uses it."""
    fail("POST request", lost=True)
    _answer(_record(api, customer, 503, requestId="new"))
    assert cloud_state()["request"] == 2
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}
    faults()
    activity = _answer(_record(api, customer, 201, requestId="new"))
    assert cloud_state()["request"] == 2
    assert activity["requestId"] in _requests_shown(api, customer)


def test_twin_whose_mark_failed_is_not_shown(api, gadget, customer, call_activity):
    """Another process stored a twin of the dialog's activity at the same moment and could not mark it (its
    PUT failed): the journey still shows the dialog once, the first stored, as every process keeps it."""
    wire = get_backend(gadget.app).cs.get("pod", call_activity["id"])
    get_backend(gadget.app).cs.create(
        "pod",
        {
            key: wire[key]
            for key in ("type", "mediaType", "fieldsets", "contributors", "dataElements", "customerId", "parentId")
        },
    )
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}


# --- moving an activity to a new request -----------------------------------------------------------------------


def test_move_whose_new_request_answer_was_lost_leaves_no_empty_request_and_the_retry_uses_it(
    api, customer, call_activity, fail, faults, cloud_state
):
    """Step 1 (the new request) stored, answer lost: the activity has not moved, no empty request is shown, and
    the same move sent again goes into that request."""
    fail("POST request", lost=True)
    assert _move(api, call_activity, requestId="new").status_code == 503
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}
    faults()
    moved = _move(api, call_activity, requestId="new").json()
    assert cloud_state()["request"] == 2
    assert _requests_shown(api, customer) == {moved["activity"]["requestId"]: [call_activity["id"]]}


def test_move_whose_activity_update_failed_leaves_no_empty_request_and_the_retry_uses_it(
    api, customer, call_activity, fail, faults, cloud_state
):
    """Step 2 (the activity's PUT) refused: the new request is not shown while empty; the retry fills it."""
    fail("PUT pod")
    error = _move(api, call_activity, requestId="new").json()["error"]
    assert error["code"] == "UPSTREAM_UNAVAILABLE"
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}
    faults()
    moved = _move(api, call_activity, requestId="new").json()
    assert cloud_state()["request"] == 2
    assert _requests_shown(api, customer) == {moved["activity"]["requestId"]: [call_activity["id"]]}


def test_move_whose_activity_update_answer_was_lost_is_completed_and_recorded(
    api, customer, call_activity, fail, cloud_state
):
    """Step 2 stored, answer lost: the proxy sees the activity moved and records the move (never a move without
    its record): 200, and the move can be undone."""
    fail("PUT pod", lost=True)
    response = _move(api, call_activity, requestId="new")
    assert response.status_code == 200, response.text
    moved = response.json()
    assert moved["move"]["to"]["requestId"] == moved["activity"]["requestId"] != call_activity["requestId"]
    assert cloud_state()["detail.comment"] == 1
    undone = api.ok("POST", f"/moves/{moved['move']['id']}/undo")
    assert undone["activity"]["requestId"] == call_activity["requestId"]


def test_move_whose_record_failed_is_put_back_and_leaves_no_empty_request(
    api, customer, call_activity, fail, faults, cloud_state
):
    """Step 3 (the move's record) refused: the activity is put back, no empty request is shown, and moving it
    again (from where it is now) uses the request made the first time."""
    fail("POST detail")
    error = _move(api, call_activity, requestId="new").json()["error"]
    assert "put back" in error["message"]
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}
    faults()
    current = api.ok("GET", f"/activities/{call_activity['id']}")
    moved = _move(api, current, requestId="new").json()
    assert cloud_state()["request"] == 2
    assert _requests_shown(api, customer) == {moved["activity"]["requestId"]: [call_activity["id"]]}


def test_move_whose_record_answer_was_lost_stays_moved_with_one_record(api, customer, call_activity, fail, cloud_state):
    """Step 3 stored, answer lost: the record exists, so the activity stays moved (putting it back would leave a
    record of a move that did not happen): 200 with the move, one record."""
    fail("POST detail", lost=True)
    response = _move(api, call_activity, requestId="new")
    assert response.status_code == 200, response.text
    moved = response.json()
    assert _requests_shown(api, customer) == {moved["activity"]["requestId"]: [call_activity["id"]]}
    assert cloud_state()["detail.comment"] == 1


# --- undoing a move --------------------------------------------------------------------------------------------


@pytest.fixture()
def done_move(api, call_activity):
    """A move of Ann's call activity to a new request of hers."""
    return _move(api, call_activity, requestId="new").json()


def test_undo_whose_activity_update_answer_was_lost_is_completed_and_recorded(api, call_activity, done_move, fail):
    """Undo's PUT stored, answer lost: the undo is recorded (200), so the move shows as undone."""
    fail("PUT pod", lost=True)
    response = api.call("POST", f"/moves/{done_move['move']['id']}/undo")
    assert response.status_code == 200, response.text
    assert response.json()["activity"]["requestId"] == call_activity["requestId"]
    api.error("POST", f"/moves/{done_move['move']['id']}/undo", 409, "CONFLICT")


def test_undo_whose_record_answer_was_lost_stays_undone(api, customer, call_activity, done_move, fail):
    """Undo's record stored, answer lost: the activity stays back where it came from (200), not moved again."""
    fail("POST detail", lost=True)
    response = api.call("POST", f"/moves/{done_move['move']['id']}/undo")
    assert response.status_code == 200, response.text
    assert _requests_shown(api, customer) == {call_activity["requestId"]: [call_activity["id"]]}
