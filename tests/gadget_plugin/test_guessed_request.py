"""The request guessed in the screen pop's first round (issue #14, auto-answer): the caller's newest activity by
phone names it, the hand-over gives it as an unverified token, and the record that carries it proves it beside
the write by the rule every create follows (the customer's most recently updated open request, never one that
waits for another activity). A guess the rule does not confirm ends with the activity where the rule says and
the answer right, before the answer; a guess is never taken from another customer's activity.
"""

import pytest

from finesse_harness.servers import ServerThread
from gadget_plugin import create_app, get_backend, guess, open_requests

from .conftest import AgentClient, basic_auth, in_thread, waiting_for
from .test_prepared_record import PHONE, named, record, shown, waiting_request

LATENCY_MS = 200  # the hand-over is asked while the screen pop still reads the journey


@pytest.fixture()
def auto_answered(api, gadget, customer, faults):
    """``auto_answered(dialog_id)``: Ann's call rings, the screen pop runs (partial, as the gadget sends it) and
    the call is answered while it reads: ``(the Prepared handed over, the Prepared of the screen pop's own answer,
    the token handed over)``."""

    def ring(dialog_id):
        faults(latencyMs=LATENCY_MS)
        params = {"phone": PHONE, "dialogId": dialog_id, "mediaType": "voice", "partial": "true"}
        pop = in_thread(lambda: api.ok("GET", "/screen-pop", params=params))
        waiting_for(gadget, dialog_id)
        handed = api.ok("GET", "/screen-pop/prepared", params={"dialogId": dialog_id})["prepared"]
        answer, _ = pop()
        faults()
        checked = named(gadget, customer, dialog_id, answer["prepared"]) if answer["prepared"] else None
        return named(gadget, customer, dialog_id, handed), checked, handed

    return ring


def test_a_guess_that_holds_is_recorded_in_the_callers_open_request(api, customer, call_activity, auto_answered):
    """The common case: the caller's open request is the one the rule picks; the guess is used as it is."""
    guessed, checked, token = auto_answered("guess-1")
    assert (guessed.request_id, guessed.verified) == (call_activity["requestId"], False) and checked.verified
    activity = record(api, customer, "guess-1", token)
    assert activity["requestId"] == call_activity["requestId"]
    assert activity == api.ok("GET", f"/activities/{activity['id']}")


def test_a_newer_open_request_made_through_another_channel_takes_the_call_guessed_into_the_older(
    api, customer, call_activity, auto_answered
):
    """Between the calls a request was opened for Ann elsewhere (the agent's Add request, another channel): it is
    her most recently updated open request, so the record guessed into the request of her last call is moved
    there before the answer; the answer and a later read agree."""
    newer = api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Refund"}})
    guessed, checked, token = auto_answered("guess-2")
    assert guessed.request_id == call_activity["requestId"] and checked.request_id == newer["id"]
    activity = record(api, customer, "guess-2", token)
    assert activity["requestId"] == newer["id"]
    assert activity == api.ok("GET", f"/activities/{activity['id']}")
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])


def test_a_guessed_request_closed_since_sends_the_call_into_a_new_open_request(
    api, customer, call_activity, auto_answered, close_requests
):
    """The request of Ann's last call has closed (its five quiet days are over): the write into it is refused and
    the record takes its full path, into a new open request; the call is recorded once."""
    close_requests()
    guessed, checked, token = auto_answered("guess-3")
    assert guessed.request_id == call_activity["requestId"] and checked.request_id == "new"
    activity = record(api, customer, "guess-3", token)
    requests = api.ok("GET", f"/customers/{customer['id']}/journey")["requests"]
    assert activity["requestId"] != call_activity["requestId"]
    assert next(r for r in requests if r["id"] == activity["requestId"])["state"] == "active"
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])


def test_no_request_is_guessed_from_another_customers_activity(api, gadget, customer, call_activity, auto_answered):
    """Bob called last from Ann's phone (his record has no phone, so the look-up finds only Ann): the newest
    activity by that phone is his, so nothing is guessed; the hand-over gives the journey's checked token and
    the call joins Ann's open request."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    body = {"customerId": bob["id"], "mediaType": "voice", "dialogId": "bob-1", "source": {"phone": PHONE}}
    api.ok("POST", "/activities", 201, json=body)
    handed, _, token = auto_answered("guess-4")
    assert handed.verified and handed.request_id == call_activity["requestId"]
    assert record(api, customer, "guess-4", token)["requestId"] == call_activity["requestId"]


def test_a_newer_request_waiting_for_another_activity_does_not_take_the_guessed_call(
    api, customer, call_activity, auto_answered, faults
):
    """The newest active request is the hidden one a failed record of another call left (empty, waiting for its
    retry): the rule passes over it, so the guess holds and the call joins the request the agent sees."""
    waiting_request(api, customer, lambda: faults(only="POST pod", errorRate=1))
    faults()
    guessed, _, token = auto_answered("guess-5")
    assert guessed.request_id == call_activity["requestId"]
    activity = record(api, customer, "guess-5", token)
    assert activity["requestId"] == call_activity["requestId"]
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])


def test_a_failed_guess_search_leaves_the_screen_pop_and_its_checked_token_as_they_were(
    api, gadget, customer, call_activity, auto_answered, monkeypatch, caplog
):
    """The guess only saves a round: when Context Service refuses its search (here a field it does not know), the
    screen pop answers all the same and the hand-over gives the journey's checked token."""
    monkeypatch.setattr(guess, "SOURCE_FIELDS", {field: "Context_No_Such_Field" for field in guess.SOURCE_FIELDS})
    handed, checked, token = auto_answered("guess-6")
    assert handed.verified and handed == checked
    assert record(api, customer, "guess-6", token)["requestId"] == call_activity["requestId"]
    assert "guess search failed" in caplog.text


def test_a_guessed_call_whose_move_fails_is_moved_by_the_retry_into_the_request_the_rule_picks(
    api, customer, call_activity, auto_answered, faults
):
    """The guess is wrong (a newer open request was made between the calls) and Context Service refuses the PUT
    that moves the record there: the create answers the 503. The gadget's retry (same Idempotency-Key, no token)
    finds the dialog's activity still in the guessed request and moves it where the rule says; the journey shows
    the call once, in the newer request."""
    newer = api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Refund"}})
    guessed, _, token = auto_answered("guess-7")
    assert guessed.request_id == call_activity["requestId"] and not guessed.verified
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "guess-7", "source": {"phone": PHONE}}
    headers = {"Idempotency-Key": "guess-7-create"}
    faults(only="PUT pod", errorRate=1, status=503)
    failed = api.call("POST", "/activities", json={**body, "prepared": token}, headers=headers)
    assert failed.status_code == 503, failed.text
    faults()
    activity = api.ok("POST", "/activities", 200, json=body, headers=headers)
    assert activity["requestId"] == newer["id"]
    assert activity == api.ok("GET", f"/activities/{activity['id']}")
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])


def test_a_guess_that_held_is_not_moved_by_a_later_create_of_the_dialog_into_a_request_made_since(
    api, customer, call_activity, auto_answered
):
    """The call was recorded into the guess the rule confirmed; then the agent adds a request and the gadget,
    reloaded, sends the dialog's create again: it answers the call where it was recorded, as the rule had it."""
    _, _, token = auto_answered("guess-8")
    activity = record(api, customer, "guess-8", token)
    assert activity["requestId"] == call_activity["requestId"]
    api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Refund"}})
    assert record(api, customer, "guess-8", status=200) == activity


def test_a_guess_that_held_is_answered_where_it_is_by_a_later_create_after_its_request_closed(
    api, customer, call_activity, auto_answered, close_requests
):
    """The call was recorded into the guess the rule confirmed; then the request closes (its five quiet days end)
    and the gadget, reloaded, sends the dialog's create again: it answers the call where it was recorded (not a
    409 that a Retry could never clear), and no request is made for it."""
    _, _, token = auto_answered("guess-9")
    activity = record(api, customer, "guess-9", token)
    assert activity["requestId"] == call_activity["requestId"]
    close_requests()
    requests_before = len(api.ok("GET", f"/customers/{customer['id']}/journey")["requests"])
    assert record(api, customer, "guess-9", status=200) == activity
    assert len(api.ok("GET", f"/customers/{customer['id']}/journey")["requests"]) == requests_before


def test_a_guess_that_held_is_not_moved_by_a_later_create_after_more_requests_than_the_rule_reads_were_added(
    api, customer, call_activity, auto_answered
):
    """The call was recorded into the guess the rule confirmed; then five requests are added for Ann (more than
    the rule's read of her newest open requests holds) and the dialog's create is sent again: the call stays
    where it was recorded."""
    _, _, token = auto_answered("guess-10")
    activity = record(api, customer, "guess-10", token)
    assert activity["requestId"] == call_activity["requestId"]
    for number in range(open_requests.OPEN_CANDIDATES):
        fields = {"Context_Title": f"Request {number}"}
        api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": fields})
    assert record(api, customer, "guess-10", status=200) == activity
    assert activity == api.ok("GET", f"/activities/{activity['id']}")


def test_two_creates_of_a_dialog_proving_its_wrong_guess_at_once_both_answer_the_activity_moved_once(
    api, gadget, customer, call_activity, auto_answered, cs_recorder
):
    """The guess is wrong (a newer open request was made between the calls); while the record is about to move
    the call there, the dialog's create reaches another process (a second tab, a retry) and moves it first. The
    record's own move is then refused as stale: both creates answer the one activity, in the newer request."""
    newer = api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Refund"}})
    _, _, token = auto_answered("guess-11")
    other = create_app(dict(get_backend(gadget.app).config))
    thread = ServerThread(other).start()
    second = []

    def the_other_process_first(method, path, send):
        if method == "PUT" and "/pod/" in path and not second:
            second.append(record(AgentClient(thread.url, basic_auth()), customer, "guess-11", status=200))
        return send()

    cs_recorder(around=the_other_process_first)
    try:
        activity = record(api, customer, "guess-11", token)
    finally:
        get_backend(other).settles.drain()
        thread.stop()
    assert second == [activity] and activity["requestId"] == newer["id"]
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])


def test_a_guessed_call_whose_move_into_the_request_made_for_it_fails_is_moved_there_by_the_retry(
    api, customer, call_activity, auto_answered, faults
):
    """Ann's newest open requests all wait for other calls' records (each failed, kept hidden), so the rule gives
    the call guessed into her older request a new one; the request is made but the PUT that moves the call there
    is refused. The retry finds the request made for it among the open requests read (the guess is not among
    them) and moves the call there; the journey shows it once."""
    faults(only="POST pod", errorRate=1)
    for number in range(open_requests.OPEN_CANDIDATES):
        body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": f"waiting-{number}", "requestId": "new"}
        assert api.call("POST", "/activities", json=body).status_code == 503
    faults()
    guessed, _, token = auto_answered("guess-12")
    assert guessed.request_id == call_activity["requestId"] and not guessed.verified
    body = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "guess-12", "source": {"phone": PHONE}}
    faults(only="PUT pod", errorRate=1, status=503)
    assert api.call("POST", "/activities", json={**body, "prepared": token}).status_code == 503
    faults()
    activity = api.ok("POST", "/activities", 200, json=body)
    assert activity["requestId"] not in (call_activity["requestId"], None)
    assert activity == api.ok("GET", f"/activities/{activity['id']}")
    assert sorted(shown(api, customer)) == sorted([call_activity["id"], activity["id"]])
