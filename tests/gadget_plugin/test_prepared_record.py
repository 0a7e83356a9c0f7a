"""Recording a call in one Context Service round after it is answered (issue #14): the screen pop checks while
the call rings and answers a signed ``prepared`` token; the create that carries it only writes. A token that
is invalid, expired, forged or made for another agent, dialog or customer is no error: the create takes its
full path. A dialog already recorded comes back from the screen pop; a retry (sent without the token) finds a
write whose answer was lost; a dialog recorded since the check is found beside the write (ours hidden at once); the twin check of two
writes at the same moment runs after the answer, in the background.
"""

import base64
import json
import logging
import threading
import time

import pytest

from finesse_harness.servers import ServerThread
from gadget_plugin import activities, create_app, get_backend, journey, rendezvous
from gadget_plugin.bulkheads import READS
from gadget_plugin.config import ConfigError
from gadget_plugin.settle import Settler

from .conftest import AgentClient, basic_auth, in_thread, waiting_for

PHONE = "+15550102030"


def screen_pop(api, dialog_id, media_type="voice"):
    """The screen pop of Ann's call ``dialog_id`` (ringing)."""
    return api.ok("GET", "/screen-pop", params={"phone": PHONE, "dialogId": dialog_id, "mediaType": media_type})


def record(api, customer, dialog_id, prepared=None, status=201, media_type="voice"):
    """POST /activities for the call, as the gadget sends it at answer time; the answer's JSON."""
    body = {"customerId": customer["id"], "mediaType": media_type, "dialogId": dialog_id, "source": {"phone": PHONE}}
    if prepared is not None:
        body["prepared"] = prepared
    return api.ok("POST", "/activities", status, json=body)


POD, POD_SEARCH = ("POST", "/context/v1/pod"), ("GET", "/context/v1/pod")


@pytest.fixture()
def cs_writes(cs_recorder):
    """The proxy's Context Service calls from now on (ContextServiceCalls), those of the settle threads apart."""
    return cs_recorder()


def prepared_calls(request_id):
    """The calls of a create the screen pop prepared, sorted: the write beside its two checks."""
    return sorted([POD_SEARCH, ("GET", f"/context/v1/request/{request_id}"), POD])


def proved_calls(request_id):
    """The calls of a create whose token names a guessed request, sorted: the prepared write beside its checks
    and the rule's reads (the customer's active requests, their recent activities)."""
    return sorted([*prepared_calls(request_id), ("GET", "/context/v1/request"), POD_SEARCH])


def named(gadget, customer, dialog_id, token):
    """The Prepared a token of Ann's call ``dialog_id`` names (None when it does not verify)."""
    return get_backend(gadget.app).prepared.verify(token, "1001", dialog_id, "voice", customer["id"])


def settled(gadget):
    """Wait for the background settles of the proxy's creates so far."""
    assert get_backend(gadget.app).settles.drain()


def test_screen_pop_of_a_ringing_call_prepares_its_create_into_the_open_request(
    api, customer, call_activity, cs_writes
):
    """The token is used: the create posts the activity into the open request, checked beside the write."""
    pop = screen_pop(api, "prep-1")
    assert pop["recorded"] is None and isinstance(pop["prepared"], str)
    cs_writes.clear()
    activity = record(api, customer, "prep-1", pop["prepared"])
    assert sorted(cs_writes.made()) == prepared_calls(call_activity["requestId"])
    assert activity["requestId"] == call_activity["requestId"]
    assert activity == api.ok("GET", f"/activities/{activity['id']}")


def test_screen_pop_without_a_dialog_or_of_several_matches_prepares_nothing(api, customer):
    """No dialogId: no token and no dialog search; no mediaType: no token (a create always names one, so it
    could never verify); two matches: no token (the agent picks)."""
    assert api.ok("GET", "/screen-pop", params={"phone": PHONE})["prepared"] is None
    untyped = api.ok("GET", "/screen-pop", params={"phone": PHONE, "dialogId": "prep-2"})
    assert untyped["count"] == 1 and untyped["prepared"] is None and untyped["recorded"] is None
    api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Ivo", "Context_Home_Phone": PHONE}})
    pop = screen_pop(api, "prep-2")
    assert pop["count"] == 2 and pop["prepared"] is None and pop["recorded"] is None


def _forged(token, customer):
    """The token with a payload of the gadget's own making (another request) and the signature kept."""
    _, stamp, signature = token.rsplit(".", 2)
    payload = json.dumps(["1001", "prep-3", "voice", customer["id"], "another-request"]).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + stamp + "." + signature


@pytest.mark.parametrize(
    "case",
    ["other dialog", "other customer", "other media", "other agent", "forged", "garbage", "not text", "expired"],
)
def test_a_prepared_token_that_does_not_fit_is_no_error_and_the_create_takes_its_full_path(
    api, gadget, customer, call_activity, cs_writes, case, caplog
):
    """The create still records the call (201, into the open request), after the full path's dialog search."""
    caplog.set_level(logging.INFO, logger="gadget_plugin.prepared")
    client, dialog_id, body_customer = api, "prep-3", customer
    token = screen_pop(api, dialog_id)["prepared"]
    if case == "other dialog":
        token = screen_pop(api, "prep-other")["prepared"]
    elif case == "other customer":
        body_customer = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bo"}})
    elif case == "other media":
        token = screen_pop(api, dialog_id, "chat")["prepared"]
    elif case == "other agent":
        client = AgentClient(gadget.url, basic_auth("1002", "demo1002"))
    elif case == "forged":
        token = _forged(token, customer)
    elif case == "garbage":
        token = "not-a-token"
    elif case == "not text":
        token = {"requestId": call_activity["requestId"]}
    elif case == "expired":
        get_backend(gadget.app).prepared.max_age = 0
        time.sleep(1.1)
    cs_writes.clear()
    try:
        activity = record(client, body_customer, dialog_id, token)
    finally:
        get_backend(gadget.app).prepared.max_age = 120
    # the dialog-link search of the full path, before the write
    made = cs_writes.made()
    assert made.index(POD_SEARCH) < made.index(POD)
    assert made.count(POD) == 1
    if body_customer is customer:
        assert activity["requestId"] == call_activity["requestId"]
    assert "prepared token not used" in caplog.text


def test_screen_pop_of_a_dialog_already_recorded_answers_it_and_prepares_nothing(api, customer, call_activity):
    """The call was recorded (another tab, a transfer, a reload): ``recorded`` is that activity, comments too."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Called twice"})
    pop = screen_pop(api, "16777217")
    assert pop["prepared"] is None
    assert pop["recorded"] == api.ok("GET", f"/activities/{call_activity['id']}")
    assert pop["recorded"]["comments"][0]["text"] == "Called twice"


def test_a_retry_without_the_token_finds_the_write_whose_answer_was_lost(
    api, gadget, customer, call_activity, faults, cloud_state
):
    """The prepared create is stored but its answer lost (502, the proxy does not retry a POST); the retry, sent
    without the token as the gadget sends it, finds the activity by its dialog link: one activity stored."""
    pop = screen_pop(api, "prep-4")
    before = cloud_state()["activity"]
    faults(only="POST pod", loseAnswers=1, status=502)
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "prep-4", "prepared": pop["prepared"]}
    assert api.call("POST", "/activities", json=body).status_code == 503  # UPSTREAM_UNAVAILABLE
    faults()
    again = record(api, customer, "prep-4", status=200)
    assert cloud_state()["activity"] == before + 1
    assert again["requestId"] == call_activity["requestId"]
    settled(gadget)
    assert record(api, customer, "prep-4", status=200)["id"] == again["id"]


def test_a_prepared_create_into_a_request_closed_since_takes_the_full_path(
    api, customer, call_activity, close_requests
):
    """The open request closed while the call rang (its fifth quiet day ended): the create goes into a new
    request instead, once."""
    pop = screen_pop(api, "prep-5")
    close_requests()
    activity = record(api, customer, "prep-5", pop["prepared"])
    assert activity["requestId"] != call_activity["requestId"]
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert [a["id"] for r in journey["requests"] for a in r["activities"] if a["id"] == activity["id"]]


def shown(api, customer):
    """Ids of the activities the customer's journey shows."""
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    return [a["id"] for r in journey["requests"] for a in r["activities"]]


def test_a_dialog_recorded_elsewhere_since_the_check_answers_that_activity_and_hides_ours_at_once(
    api, gadget, customer, call_activity, cloud_state
):
    """Another process (or tab) records the dialog after the screen pop checked it: the prepared create answers
    the activity stored first (200, created earlier), and its own write is marked a twin before it answers, so
    the journey never shows it and the gadget never edits a hidden record."""
    pop = screen_pop(api, "prep-6")
    first = record(AgentClient(gadget.url, basic_auth()), customer, "prep-6")  # "the other process": full path
    before = cloud_state()["activity"]
    ours = record(api, customer, "prep-6", pop["prepared"], status=200)
    assert ours == api.ok("GET", f"/activities/{first['id']}")
    assert cloud_state()["activity"] == before + 1  # our write, stored and marked a twin
    assert first["id"] in shown(api, customer) and shown(api, customer).count(first["id"]) == 1
    assert len(shown(api, customer)) == 2  # the call_activity and the dialog's one activity
    settled(gadget)
    assert record(api, customer, "prep-6", status=200)["id"] == first["id"]


def test_a_full_path_create_finds_the_dialog_recorded_elsewhere_beside_its_write_and_hides_its_own(
    api, gadget, customer, call_activity, cloud_state, monkeypatch
):
    """Without a token the create reads (dialog-link search beside the request's reads), then writes; another
    process that records the dialog between the two is found by the search made again beside the write (no
    round more): the answer is that first activity (200), ours is stored and marked a twin before it."""
    other = create_app(dict(get_backend(gadget.app).config))
    thread = ServerThread(other).start()
    decided, first, started = activities._target_request, [], threading.Event()

    def recorded_elsewhere_meanwhile(*args):
        if not started.is_set():  # only our create's read round: the other process's create comes here too
            started.set()
            first.append(record(AgentClient(thread.url, basic_auth()), customer, "prep-16"))
        return decided(*args)

    monkeypatch.setattr(activities, "_target_request", recorded_elsewhere_meanwhile)
    try:
        before = cloud_state()["activity"]
        ours = record(api, customer, "prep-16", status=200)
        assert ours == api.ok("GET", f"/activities/{first[0]['id']}")
        assert cloud_state()["activity"] == before + 2  # theirs, and ours stored and marked a twin
        assert shown(api, customer).count(first[0]["id"]) == 1 and len(shown(api, customer)) == 2
    finally:
        get_backend(other).settles.drain()
        thread.stop()


def test_a_token_used_twice_answers_the_first_activity_and_shows_no_second(api, gadget, customer, call_activity):
    """The same valid token sent again within its 120 s (a replayed request, a second tab): the second create
    answers the activity the first stored (200), never a new one the settle would hide later."""
    token = screen_pop(api, "prep-12")["prepared"]
    first = record(api, customer, "prep-12", token)
    again = record(api, customer, "prep-12", token, status=200)
    assert again["id"] == first["id"]
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], first["id"]])
    settled(gadget)
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], first["id"]])


def test_a_prepared_request_found_closed_beside_the_write_sends_the_record_into_a_new_request(
    api, gadget, customer, call_activity, cs_recorder, close_requests
):
    """The request closes at the moment of the write: the write is accepted (as a cloud that does not refuse
    activities into closed requests would), the request's read beside it says closed. The call is recorded
    once, in a new open request; the activity in the closed one is marked a twin."""
    pop = screen_pop(api, "prep-13")
    written = threading.Event()

    def close_after_the_write(method, path, send):
        if (method, path) == ("GET", f"/context/v1/request/{call_activity['requestId']}"):
            assert written.wait(10)
        response = send()
        if (method, path) == POD and not written.is_set():
            close_requests()
            written.set()
        return response

    cs_recorder(around=close_after_the_write)
    activity = record(api, customer, "prep-13", pop["prepared"])
    assert activity["requestId"] != call_activity["requestId"]
    requests = api.ok("GET", f"/customers/{customer['id']}/journey")["requests"]
    assert next(r for r in requests if r["id"] == activity["requestId"])["state"] == "active"
    assert activity["id"] in shown(api, customer)
    assert [a for a in shown(api, customer) if a != activity["id"]] == [call_activity["id"]]


def waiting_request(api, customer, fail):
    """A request the proxy made for a record of another dialog whose activity's POST failed (kept, hidden)."""
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "failed-1", "requestId": "new"}
    fail()
    assert api.call("POST", "/activities", json=body).status_code == 503


@pytest.mark.parametrize("path", ["prepared", "full"])
def test_a_new_call_never_joins_the_hidden_request_waiting_for_another_activity(
    api, customer, call_activity, faults, path
):
    """The newest active request is the hidden one a failed record left: the call joins the request the agent
    sees, through the screen pop's token as through the full path."""
    waiting_request(api, customer, lambda: faults(only="POST pod", errorRate=1))
    faults()
    pop = screen_pop(api, "prep-7")
    activity = record(api, customer, "prep-7", pop["prepared"] if path == "prepared" else None)
    assert activity["requestId"] == call_activity["requestId"]


def test_a_settle_that_finds_the_queue_full_is_skipped_and_logged(caplog):
    """Bounded: with its worker and its one waiting place taken, the next settle is not run."""
    settler = Settler(workers=1, limit=1)
    release = threading.Event()
    ran = []
    assert settler.submit("first", release.wait)
    assert settler.submit("second", lambda: ran.append("second"))
    with caplog.at_level(logging.WARNING, logger="gadget_plugin.settle"):
        assert not settler.submit("third", lambda: ran.append("third"))
    assert "settle skipped: queue full" in caplog.text
    release.set()
    assert settler.drain() and ran == ["second"]
    assert settler.submit("fourth", lambda: ran.append("fourth")) and settler.drain() and ran[-1] == "fourth"


def test_a_screen_pop_in_flight_hands_its_token_over_before_it_answers(
    api, gadget, customer, call_activity, faults, cs_writes
):
    """Auto-answer: the call is answered while its screen pop still reads the journey (the mock 300 ms a call);
    ``GET /screen-pop/prepared`` in the same process answers the token of the request guessed in the look-up's
    round, before the screen pop itself answers, and a create with it writes beside its checks and the rule's
    reads that prove the guess (one round)."""
    faults(latencyMs=300)
    pop = in_thread(lambda: screen_pop(api, "prep-8"))
    waiting_for(gadget, "prep-8")  # the screen pop opened its slot: it runs
    handed = api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-8"})
    handed_at = time.monotonic()
    _, answered_at = pop()
    faults()
    assert handed_at < answered_at
    assert handed["customerId"] == customer["id"] and handed["prepared"] and handed["running"]
    cs_writes.clear()
    activity = record(api, customer, "prep-8", handed["prepared"])
    assert sorted(cs_writes.made()) == proved_calls(call_activity["requestId"])
    assert activity["requestId"] == call_activity["requestId"]


def test_a_long_journeys_token_is_handed_over_before_its_second_round(api, customer, call_activity, monkeypatch):
    """A customer with more activities than one read returns: the journey reads the page's activities in a
    second round, which cannot change the request the create joins when no request looks empty; the token is
    handed over before that round ends, so an auto-answered record does not wait for it."""
    record(api, customer, "prep-15-earlier")  # two activities: more than one read returns once it is 1
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 1)
    second_round_may_end = threading.Event()
    read_page = journey._activities_of_page

    def held(*args):
        second_round_may_end.wait(10)
        return read_page(*args)

    monkeypatch.setattr(journey, "_activities_of_page", held)
    # By email: the caller's activities carry only a phone, so no request is guessed in the first round.
    params = {"email": "ann.smith@example.com", "dialogId": "prep-15", "mediaType": "voice"}
    pop = in_thread(lambda: api.ok("GET", "/screen-pop", params=params))
    handed = api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-15"})
    second_round_ended = second_round_may_end.is_set()
    second_round_may_end.set()
    answer, _ = pop()
    assert not second_round_ended and handed["running"], handed
    assert handed["customerId"] == customer["id"] and handed["prepared"] == answer["prepared"]


def test_a_hand_over_asked_before_the_screen_pop_arrives_waits_for_it(
    api, gadget, customer, call_activity, faults, monkeypatch
):
    """The hand-over reaches the proxy before the screen pop it waits for (two connections, a loaded machine):
    it opens the slot, the screen pop adopts it, and the token is handed over all the same."""
    monkeypatch.setattr(rendezvous, "NO_OPENER_WAIT_SECONDS", 10.0)  # the order, not the bound, is tested here
    faults(latencyMs=100)
    handed = in_thread(lambda: api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-11"}))
    waiting_for(gadget, "prep-11")  # the hand-over is in and waits; no screen pop has started
    pop = screen_pop(api, "prep-11")
    answer, _ = handed()
    assert answer["customerId"] == customer["id"] and answer["running"]
    guessed, checked = (named(gadget, customer, "prep-11", token) for token in (answer["prepared"], pop["prepared"]))
    assert (guessed.request_id, guessed.verified) == (checked.request_id, False) and checked.verified


def test_the_hand_over_takes_no_read_slot(api, gadget, customer):
    """It makes no Context Service call: with every read slot taken it still answers at once (a read would wait
    in the queue for the whole 8 s budget and be refused)."""
    pool = get_backend(gadget.app).pools[READS]
    for _ in range(pool.size):
        pool.enter(None)
    try:
        started = time.monotonic()
        answer = api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-14"})
        assert answer["running"] is False and time.monotonic() - started < 3
    finally:
        for _ in range(pool.size):
            pool.exit()


def test_no_screen_pop_in_flight_to_hand_over_answers_not_running(api, customer):
    """Nothing runs for the dialog here (it runs on another host, or is another agent's; one that answered
    lately hands over what it prepared: test_handover_record.py): an ordinary answer saying so (no 404 the
    browser would log as an error), after waiting at most NO_OPENER_WAIT_SECONDS for a screen pop to come, not
    the request's budget; a missing dialogId is 400 naming it."""
    started = time.monotonic()
    assert api.ok("GET", "/screen-pop/prepared", params={"dialogId": "prep-9"}) == {
        "customerId": None,
        "prepared": None,
        "running": False,
    }
    assert time.monotonic() - started < rendezvous.NO_OPENER_WAIT_SECONDS + 2
    assert api.error("GET", "/screen-pop/prepared", 400, "VALIDATION_FAILED")["field"] == "dialogId"


def test_a_secret_key_shorter_than_32_characters_stops_start_up_naming_it():
    """Settings fail fast: a SECRET_KEY set but short is refused with its name and the limit."""
    with pytest.raises(ConfigError, match=r"SECRET_KEY must be at least 32 characters, got 5"):
        create_app({"SECRET_KEY": "short"})


def test_another_process_on_the_same_instance_folder_accepts_the_token(
    api, gadget, customer, call_activity, cs_recorder
):
    """The token the screen pop of one process signed is used by a create another process answers: both read
    the instance's own key, so the create there only writes (beside its checks)."""
    other = create_app(dict(get_backend(gadget.app).config))
    thread = ServerThread(other).start()
    try:
        pop = screen_pop(api, "prep-10")
        seen = cs_recorder(other)
        activity = record(AgentClient(thread.url, basic_auth()), customer, "prep-10", pop["prepared"])
        calls = [call for call in seen.made() if call[1].startswith("/context/v1/")]
        assert sorted(calls) == prepared_calls(call_activity["requestId"])
        assert activity["requestId"] == call_activity["requestId"]
    finally:
        get_backend(other).settles.drain()
        thread.stop()
