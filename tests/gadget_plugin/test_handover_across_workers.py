"""The auto-answer hand-over across the worker processes of one host: under gunicorn with 2 workers, as in
production, a hand-over answered by the worker that is not running the screen pop gets the token all the same
(``HANDOVER_DIR``), instead of waiting ``NO_OPENER_WAIT_SECONDS`` and answering ``running: false``.

Which worker answered a request is read from the kernel (the process holding the server end of the test's
connection: ``finesse_harness.workers``), so the proxy needs no header telling its process id."""

import functools
import time

import pytest

from finesse_harness.harness import basic_auth, start_harness
from finesse_harness.workers import post_fresh

from .conftest import simultaneous

AUTHORIZATION = basic_auth("1001", "demo1001")
PHONE = "+15550102030"
LATENCY_MS = 400  # each Context Service round of the screen pop: the hand-overs come while it reads
HAND_OVERS = 4  # sent at once, each on a fresh connection, per screen pop


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    """The harness with the proxy under gunicorn, 2 workers; no caller hints (a worker that saw the caller would
    read the journey in the look-up's round and answer with the token, so there would be no round to hand over in)."""
    folder = tmp_path_factory.mktemp("two-workers")
    hints_off = {"CALLER_HINT_SECONDS": 0}
    with start_harness(
        folder, gadget_process=["--workers", "2", "--threads", "16"], gadget_settings=hints_off
    ) as harness:
        yield harness


def post(url, path, body):
    """``POST /api/v1{path}`` as agent 1001 on a fresh connection: ``(answer JSON, serving pid, answered at)``."""
    status, answer, pid, answered_at = post_fresh(url + "/api/v1" + path, body, {"Authorization": AUTHORIZATION})
    assert status == 200, answer
    return answer, pid, answered_at


def screen_pop_and_hand_overs(url, dialog_id):
    """The screen pop of the dialog and HAND_OVERS hand-overs of it, sent at once on fresh connections: what
    ``post`` gives for each, the screen pop's first."""
    pop_body = {"phone": PHONE, "dialogId": dialog_id, "mediaType": "voice", "partial": True}
    calls = [functools.partial(post, url, "/screen-pop", pop_body)]
    calls += [functools.partial(post, url, "/screen-pop/prepared", {"dialogId": dialog_id})] * HAND_OVERS
    return simultaneous(*calls)


def test_a_hand_over_answered_by_another_worker_gets_the_screen_pops_token(two_workers):
    """A screen pop held in its Context Service rounds (400 ms each; the token is the request guessed in the
    first) while hand-overs are sent on fresh connections, until a worker other than the screen pop's has
    answered some: every hand-over answers
    ``running: true`` with the customer and a token, before the screen pop itself answers, and none waited for
    the no-opener timeout and gave up."""
    api = two_workers.agent_api("1001")
    customer = api.post(
        "/customers",
        json={"fields": {"Context_First_Name": "Ann", "Context_Last_Name": "Smith", "Context_Mobile_Phone": PHONE}},
    ).json()
    # An earlier call in an open request: the screen pops guess it, so the token is handed over a round early.
    earlier = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "workers-0", "source": {"phone": PHONE}}
    api.post("/activities", json=earlier)
    two_workers.controlhub.control("POST", "/faults", json={"latencyMs": LATENCY_MS}).raise_for_status()
    url, served_elsewhere, pops = two_workers.gadget.url, 0, 0
    try:
        while served_elsewhere < 2 and pops < 12:
            pops += 1
            started = time.monotonic()
            (pop, pop_pid, pop_at), *hand_overs = screen_pop_and_hand_overs(url, f"workers-{pops}")
            for handed, pid, handed_at in hand_overs:
                assert handed["running"] and handed["customerId"] == customer["id"] and handed["prepared"], handed
                assert handed_at <= pop_at, "the hand-over answered after the screen pop"
                assert handed_at - started >= LATENCY_MS / 1000  # it waited for the token, not for a timeout
                served_elsewhere += pid != pop_pid
            assert pop["prepared"]
    finally:
        two_workers.controlhub.control("POST", "/faults", json={}).raise_for_status()
    assert served_elsewhere >= 2, f"gunicorn gave the other worker no hand-over in {pops} screen pops"


def test_a_record_at_hand_over_answered_by_another_worker_stores_the_call_once(two_workers):
    """``POST /screen-pop/record`` sent on a fresh connection while the screen pop reads (400 ms a round), until
    the worker that is not the screen pop's has answered one: it stores the call with the token handed over
    through the folder, and each dialog has one activity."""
    api = two_workers.agent_api("1001")
    customer = api.post(
        "/customers",
        json={
            "fields": {"Context_First_Name": "Bo", "Context_Last_Name": "Lind", "Context_Mobile_Phone": "+15550102031"}
        },
    ).json()
    url, elsewhere, pops = two_workers.gadget.url, 0, 0
    source = {"phone": "+15550102031"}
    # An earlier call in an open request: the token (the guess) is published a round before the screen pop ends.
    earlier = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "record-workers-0", "source": source}
    api.post("/activities", json=earlier)
    # Both workers warmed up (agent verified, machine token): a screen pop's first request in a worker may
    # otherwise open its slot after NO_OPENER_WAIT_SECONDS, and the record then stores nothing (the gadget's
    # POST /activities follows).
    simultaneous(*[functools.partial(post, url, "/screen-pop", {"phone": source["phone"]})] * 4)
    two_workers.controlhub.control("POST", "/faults", json={"latencyMs": LATENCY_MS}).raise_for_status()
    try:
        while not elsewhere and pops < 12:
            pops += 1
            dialog = f"record-workers-{pops}"
            pop_body = {"phone": source["phone"], "dialogId": dialog, "mediaType": "voice", "partial": True}
            record_body = {"dialogId": dialog, "mediaType": "voice", "source": source}
            (pop, pop_pid, pop_at), (recorded, pid, recorded_at) = simultaneous(
                functools.partial(post, url, "/screen-pop", pop_body),
                functools.partial(post, url, "/screen-pop/record", record_body),
            )
            assert recorded["running"] and recorded["activity"]["customerId"] == customer["id"], recorded
            elsewhere += pid != pop_pid
    finally:
        two_workers.controlhub.control("POST", "/faults", json={}).raise_for_status()
    assert elsewhere, f"gunicorn gave the other worker no record in {pops} screen pops"
    journey = api.get(f"/customers/{customer['id']}/journey").json()
    links = [a["fields"].get("Context_POD_Activity_Link") for r in journey["requests"] for a in r["activities"]]
    assert len(links) == pops + 1 and len(set(links)) == pops + 1, links
