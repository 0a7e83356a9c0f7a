"""Creates happen once (issue #9 item 5), over real HTTP against the mock cloud.

A create whose answer is lost after Context Service stored it (the mock's ``loseAnswers`` fault: a 502 or
504 from a gateway) and that the gadget retries with the same ``Idempotency-Key`` gets the object already
made, never a duplicate; two simultaneous ``POST /activities`` for one Finesse dialog give one activity in
one proxy process (both answers name it), and in two processes settle on one after the answers (the twin
check runs in the background: the later twin is marked and hidden, every later create answers the kept one).
"""

import uuid

import pytest

from finesse_harness.servers import ServerThread
from gadget_plugin import create_app, get_backend

from .conftest import AgentClient, basic_auth, simultaneous

TRIES = 60


def keyed(key):
    """The headers of one logical create, reused on every retry of it."""
    return {"Idempotency-Key": key}


def create_customer(api, headers):
    """POST /customers (Ann Lost)."""
    return api.call(
        "POST",
        "/customers",
        headers=headers,
        json={
            "fields": {
                "Context_First_Name": "Ann",
                "Context_Last_Name": "Lost",
                "Context_Mobile_Phone": "+1 555 010 9999",
            }
        },
    )


def create_request(api, headers, customer):
    """POST /requests for the customer."""
    return api.call(
        "POST",
        "/requests",
        headers=headers,
        json={"customerId": customer["id"], "fields": {"Context_Title": "Invoice twice"}},
    )


def create_activity(api, headers, customer):
    """POST /activities for the customer without a dialog id (an interaction the agent records by hand)."""
    return api.call(
        "POST",
        "/activities",
        headers=headers,
        json={"customerId": customer["id"], "mediaType": "email", "source": {"email": "ann@example.com"}},
    )


def create_comment(api, headers, activity):
    """POST /activities/{id}/comments."""
    return api.call("POST", f"/activities/{activity['id']}/comments", headers=headers, json={"text": "Called back"})


CREATES = {
    "customer": create_customer,
    "request": create_request,
    "activity": create_activity,
    "detail.comment": create_comment,
}


def parent_for(kind, customer, call_activity):
    """What the create of ``kind`` hangs under: nothing, the customer, or the activity."""
    return {"customer": (), "request": (customer,), "activity": (customer,), "detail.comment": (call_activity,)}[kind]


@pytest.mark.parametrize("status", [502, 504])
@pytest.mark.parametrize("kind", list(CREATES))
def test_create_whose_answer_was_lost_is_not_duplicated_by_its_retry(
    api, customer, call_activity, faults, cloud_state, kind, status
):
    """Context Service stores the create but the answer is lost (502/504); the retry with the same key answers
    the stored object and nothing is stored twice."""
    create, parents, headers = CREATES[kind], parent_for(kind, customer, call_activity), keyed(str(uuid.uuid4()))
    before = cloud_state().get(kind, 0)
    faults(loseAnswers=1, status=status)
    lost = create(api, headers, *parents)
    assert lost.status_code in (502, 503, 504), lost.text
    assert cloud_state().get(kind, 0) == before + 1  # it was stored all the same
    retried = create(api, headers, *parents)
    assert retried.status_code == 200, retried.text
    assert cloud_state().get(kind, 0) == before + 1
    again = create(api, headers, *parents)
    assert again.json()["id"] == retried.json()["id"]
    assert cloud_state().get(kind, 0) == before + 1


@pytest.mark.parametrize("kind", list(CREATES))
def test_a_new_key_makes_a_new_object_and_the_first_answer_is_201(api, customer, call_activity, cloud_state, kind):
    """Another Idempotency-Key is another create (201 each time); the key itself never shows in the answer."""
    create, parents = CREATES[kind], parent_for(kind, customer, call_activity)
    before = cloud_state().get(kind, 0)
    first = create(api, keyed(str(uuid.uuid4())), *parents)
    second = create(api, keyed(str(uuid.uuid4())), *parents)
    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
    assert first.json()["id"] != second.json()["id"]
    assert cloud_state().get(kind, 0) == before + 2
    assert first.json().get("tags", []) == []


def test_the_key_stays_invisible_to_the_agent(api, customer):
    """The stored key is not among the activity's or request's tags anywhere the gadget reads them, and a tag
    update keeps it (a later retry still finds the object)."""
    key = keyed(str(uuid.uuid4()))
    activity = create_activity(api, key, customer).json()
    request = create_request(api, keyed(str(uuid.uuid4())), customer).json()
    assert api.ok("GET", f"/activities/{activity['id']}")["tags"] == []
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert all(r["tags"] == [] and all(a["tags"] == [] for a in r["activities"]) for r in journey["requests"])
    assert request["tags"] == []
    tagged = api.ok(
        "PUT", f"/activities/{activity['id']}", json={"lastUpdated": activity["lastUpdated"], "tags": ["billing"]}
    )
    assert tagged["tags"] == ["billing"]
    assert create_activity(api, key, customer).json()["id"] == activity["id"]


@pytest.mark.parametrize("tag", ["ccgadgettwin", "cckey" + "0" * 32])
def test_an_agent_cannot_set_one_of_the_proxys_hidden_tags(api, call_activity, tag):
    """A tag of the form the proxy keeps for itself is refused naming tags (it would vanish from view)."""
    error = api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        400,
        "VALIDATION_FAILED",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["billing", tag]},
    )
    assert error["field"] == "tags"


@pytest.mark.parametrize("value", ["", "x" * 201, "has space", "ünïcode"])
def test_a_malformed_idempotency_key_is_refused_naming_the_header(api, customer, value):
    """The key is 1–200 visible ASCII characters; anything else is 400 naming Idempotency-Key and its limit."""
    error = api.error(
        "POST",
        "/customers",
        400,
        "VALIDATION_FAILED",
        headers=keyed(value),
        json={"fields": {"Context_First_Name": "Ann"}},
    )
    assert error["field"] == "Idempotency-Key"
    assert error["limit"] == 200


def record_call(api, customer, dialog_id):
    """POST /activities for a Finesse dialog, as one gadget tab does (its own Idempotency-Key)."""
    return lambda: api.call(
        "POST",
        "/activities",
        headers=keyed(str(uuid.uuid4())),
        json={
            "customerId": customer["id"],
            "mediaType": "voice",
            "dialogId": dialog_id,
            "source": {"name": "Ann Smith", "phone": "+15550102030"},
        },
    )


def journey_activities(api, customer):
    """Every activity in the customer's journey."""
    journey = api.ok("GET", f"/customers/{customer['id']}/journey", params={"maxEntries": 200})
    return [a for r in journey["requests"] for a in r["activities"]] + journey["unassigned"]


def test_two_simultaneous_records_of_one_dialog_in_one_process_make_one_activity(api, customer, cloud_state):
    """60 tries of two tabs posting the same dialog at the same moment to one proxy: one activity each time,
    both answers name it (one 201, one 200)."""
    before = cloud_state().get("activity", 0)
    for attempt in range(TRIES):
        dialog_id = f"dialog-one-process-{attempt}"
        first, second = simultaneous(record_call(api, customer, dialog_id), record_call(api, customer, dialog_id))
        assert first.json()["id"] == second.json()["id"], (attempt, first.text, second.text)
        assert sorted((first.status_code, second.status_code)) == [200, 201]
    assert cloud_state().get("activity", 0) == before + TRIES
    assert len(journey_activities(api, customer)) == TRIES


def test_a_retry_sent_while_the_first_try_still_runs_shares_its_answer(api, cloud_state, faults):
    """A create and its retry (same key) arriving together at one proxy while Context Service is slow: one
    customer, both answers name it."""
    faults(latencyMs=150)
    headers = keyed(str(uuid.uuid4()))
    for attempt in range(5):
        before = cloud_state().get("customer", 0)
        first, second = simultaneous(lambda: create_customer(api, headers), lambda: create_customer(api, headers))
        assert first.json()["id"] == second.json()["id"], (attempt, first.text, second.text)
        assert cloud_state().get("customer", 0) == (before + 1 if attempt == 0 else before)


@pytest.fixture(scope="module")
def second_proxy(gadget_server):
    """Another proxy process (its own backend: no shared memory with the first) on the same settings."""
    app = create_app(dict(get_backend(gadget_server.app).config))
    thread = ServerThread(app).start()
    thread.backend = get_backend(app)
    yield thread
    thread.stop()


def test_two_simultaneous_records_of_one_dialog_in_two_processes_settle_on_one_activity(
    api, gadget, customer, second_proxy
):
    """60 tries of the same dialog posted at the same moment to two proxy processes: both are answered; once
    the background settles ran, the journey shows each dialog once, and the dialog recorded again through
    either process (the full path, as a retry) answers the activity the journey shows."""
    second_proxy.backend.reset()
    other = AgentClient(second_proxy.url, basic_auth())
    for attempt in range(TRIES):
        dialog_id = f"dialog-two-processes-{attempt}"
        first, second = simultaneous(record_call(api, customer, dialog_id), record_call(other, customer, dialog_id))
        assert first.status_code in (200, 201) and second.status_code in (200, 201), (first.text, second.text)
    assert get_backend(gadget.app).settles.drain() and second_proxy.backend.settles.drain()
    shown = journey_activities(api, customer)
    assert len(shown) == TRIES
    kept = {a["fields"]["Context_POD_Activity_Link"]: a["id"] for a in shown}
    assert len(kept) == TRIES
    for attempt in range(0, TRIES, 6):
        link = f"finesse:dialog:dialog-two-processes-{attempt}"
        for client in (api, other):
            again = record_call(client, customer, f"dialog-two-processes-{attempt}")()
            assert again.status_code == 200 and again.json()["id"] == kept[link], (attempt, again.text)
