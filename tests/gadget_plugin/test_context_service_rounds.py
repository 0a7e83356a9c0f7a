"""How many Context Service rounds each gadget call costs (issue #14 item 1), measured over real HTTP.

Every call the proxy makes to the mock cloud is recorded with when it started and ended while the mock answers
each one 200 ms late; a round is a call that starts only after another has ended, so calls made in parallel
count once. The rules: independent reads run in parallel, a new activity is not searched for comments,
creates answer the stored object without reading it back, a create the screen pop prepared only writes (its
checks beside the write), and
the twin check of a recorded dialog runs after the answer (its calls, on the settle threads, are kept apart);
an auto-answered call's record leaves with the request guessed in the screen pop's first round.
"""

import json
import uuid

import pytest
import requests

from gadget_plugin import comments, get_backend, guess

from .conftest import in_thread, waiting_for

LATENCY_MS = 200  # well above how late a loaded machine starts a thread, so parallel calls overlap


@pytest.fixture()
def cs_calls(gadget, faults, cs_recorder):
    """Record the proxy's Context Service calls of one gadget call while each takes 200 ms: ``cs_calls(call)``."""

    def measure(call):
        faults(latencyMs=LATENCY_MS)
        log = cs_recorder()
        try:
            answer = call()
            assert get_backend(gadget.app).settles.drain()
        finally:
            faults()
        return answer, log

    return measure


def recording(api, customer, dialog_id, **extra):
    """``POST /activities`` of a call of Ann's as the gadget sends it (its own Idempotency-Key), to be measured."""
    body = {
        "customerId": customer["id"],
        "mediaType": "voice",
        "dialogId": dialog_id,
        "source": {"phone": "+15550102030"},
        **extra,
    }
    return lambda: api.ok("POST", "/activities", 201, headers={"Idempotency-Key": str(uuid.uuid4())}, json=body)


def test_recording_a_call_reads_in_one_round_writes_once_and_checks_for_a_twin_after_the_answer(
    api, customer, call_activity, cs_calls
):
    """A known caller with an open request, no prepared token: dialog search, customer, open requests and the
    customer's recent activities read in parallel (1), the activity stored (2); the twin check (a search) runs
    after the answer; no read-back and no comments search for the new activity."""
    answer, log = cs_calls(recording(api, customer, "rounds-1"))
    assert answer["requestId"] == call_activity["requestId"] and answer["comments"] == []
    assert log.rounds() == 2
    assert log.after("POST", "/context/v1/pod") == []
    assert log.settled == [("GET", "/context/v1/pod")]  # the twin check, a search


def test_recording_a_call_the_screen_pop_prepared_writes_beside_its_checks_in_one_round(
    api, customer, call_activity, cs_calls
):
    """With the screen pop's prepared token the reads were made while the call rang: one round, the POST of
    the activity into the open request the screen pop found beside the dialog-link check and that request's
    read (recorded since? closed since?), nothing after the write before the answer."""
    pop = api.ok("GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "rounds-2", "mediaType": "voice"})
    answer, log = cs_calls(recording(api, customer, "rounds-2", prepared=pop["prepared"]))
    assert answer["requestId"] == call_activity["requestId"] and answer["comments"] == []
    assert sorted(log.made()) == [
        ("GET", "/context/v1/pod"),
        ("GET", f"/context/v1/request/{call_activity['requestId']}"),
        ("POST", "/context/v1/pod"),
    ]
    assert log.rounds() == 1
    assert log.settled == [("GET", "/context/v1/pod")]


def test_recording_a_prepared_call_of_a_customer_without_open_request_makes_the_request_then_the_activity(
    api, customer, cs_calls
):
    """No open request when the call rang: two rounds, the new request and then the activity in it (beside the
    dialog-link check)."""
    pop = api.ok("GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "rounds-3", "mediaType": "voice"})
    answer, log = cs_calls(recording(api, customer, "rounds-3", prepared=pop["prepared"]))
    made = log.made()
    assert made[0] == ("POST", "/context/v1/request")
    assert sorted(made[1:]) == [("GET", "/context/v1/pod"), ("POST", "/context/v1/pod")]
    assert log.rounds() == 2
    assert answer["requestId"] and answer == api.ok("GET", f"/activities/{answer['id']}")


def test_recording_into_a_request_the_gadget_names_reads_only_that_request(api, customer, call_activity, cs_calls):
    """With ``requestId`` the request is read (open? this customer's?) alongside the key search: two rounds
    without a dialog, and the customer is not read again."""
    _, log = cs_calls(
        lambda: api.ok(
            "POST",
            "/activities",
            201,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={"customerId": customer["id"], "requestId": call_activity["requestId"], "mediaType": "email"},
        )
    )
    assert log.rounds() == 2
    assert ("GET", f"/context/v1/customer/{customer['id']}") not in [(m, p) for m, p, _, _ in log.calls]


@pytest.mark.parametrize("kind", ["customer", "request", "comment"])
def test_a_keyed_create_searches_its_key_with_its_checks_then_writes_without_reading_back(
    api, customer, call_activity, cs_calls, kind
):
    """Key search in parallel with the parent check (1), the write (2), nothing after it."""
    path, body, written = {
        "customer": ("/customers", {"fields": {"Context_First_Name": "Eva"}}, "/context/v1/customer"),
        "request": ("/requests", {"customerId": customer["id"]}, "/context/v1/request"),
        "comment": (f"/activities/{call_activity['id']}/comments", {"text": "Noted"}, "/context/v1/detail"),
    }[kind]
    _, log = cs_calls(lambda: api.ok("POST", path, 201, headers={"Idempotency-Key": str(uuid.uuid4())}, json=body))
    assert log.rounds() == 2
    assert log.after("POST", written) == []


def test_lookup_reads_the_last_contacts_of_all_matches_in_one_round(api, customer, cs_calls):
    """Three customers share the number: the search (1), their three last contacts together (2)."""
    for name in ("Ivo", "Ena"):
        api.ok(
            "POST",
            "/customers",
            201,
            json={"fields": {"Context_First_Name": name, "Context_Work_Phone": "+15550102030"}},
        )
    answer, log = cs_calls(lambda: api.ok("GET", "/customers/lookup", params={"phone": "+15550102030"}))
    assert answer["count"] == 3
    assert log.rounds() == 2


def test_screen_pop_of_a_single_match_takes_three_rounds_in_one_call(api, customer, call_activity, cs_calls):
    """Look-up beside the dialog-link search (1), the journey's searches which also give lastContact and the
    open request of the prepared token (2), the comments (3)."""
    answer, log = cs_calls(
        lambda: api.ok(
            "GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "rounds-4", "mediaType": "voice"}
        )
    )
    assert answer["journey"]["requests"][0]["activities"][0]["id"] == call_activity["id"]
    assert answer["prepared"] and answer["recorded"] is None
    assert log.rounds() == 3


def test_screen_pop_asks_whether_the_dialog_is_recorded_and_for_the_callers_newest_activities_in_one_search(
    api, customer, call_activity, cs_calls
):
    """The dialog-link check and the guess's search of the caller's newest activities are one activity search (the
    link OR the caller's phone: reference §2.4), so the screen pop's first round is two calls (and the third
    activity search of the old two-search round is gone): the look-up, that search; then the journey's."""
    answer, log = cs_calls(
        lambda: api.ok(
            "GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "rounds-8", "mediaType": "voice"}
        )
    )
    assert answer["prepared"] and answer["recorded"] is None
    search = ("GET", "/context/v1/pod")
    # The look-up and that search; the journey's requests and activities; the comments.
    assert sorted(log.made()) == sorted(
        [("GET", "/context/v1/customer"), search, ("GET", "/context/v1/request"), search, ("GET", "/context/v1/detail")]
    )
    assert log.rounds() == 3


def test_a_dialog_recorded_before_a_full_page_of_the_callers_activities_is_found_in_the_journeys_round(
    api, customer, call_activity, cs_calls, monkeypatch
):
    """A caller with more activities than the shared search's page holds (here 1): the dialog's activity, older
    than that page, is searched for by its link alone beside the journey's searches, so the screen pop still
    shows it recorded (and prepares no second record) in its three rounds."""
    monkeypatch.setattr(guess, "WITH_DIALOG", 1)
    later = {"customerId": customer["id"], "mediaType": "voice", "source": {"phone": "+15550102030"}}
    api.ok("POST", "/activities", 201, json=dict(later, dialogId="rounds-9b"))
    answer, log = cs_calls(
        lambda: api.ok(
            "GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "16777217", "mediaType": "voice"}
        )
    )
    assert answer["recorded"]["id"] == call_activity["id"] and answer["prepared"] is None
    assert log.made().count(("GET", "/context/v1/pod")) == 3  # the shared search, the link's, the journey's
    assert log.rounds() == 3


def test_screen_pop_reads_the_comments_of_many_activities_in_one_round(
    api, customer, call_activity, cs_calls, monkeypatch
):
    """The comments are searched one chunk of activities a call; the chunks run side by side, so the screen pop
    is still three rounds (the chunks ran one after another when the comments were read inside another
    parallel call)."""
    api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    monkeypatch.setattr(comments, "IDS_PER_QUERY", 1)
    answer, log = cs_calls(
        lambda: api.ok(
            "GET", "/screen-pop", params={"phone": "+15550102030", "dialogId": "rounds-5", "mediaType": "voice"}
        )
    )
    assert len(answer["journey"]["requests"][0]["activities"]) + len(answer["journey"]["unassigned"]) == 2
    assert [call for call in log.made() if call[1] == "/context/v1/detail"] == [("GET", "/context/v1/detail")] * 2
    assert log.rounds() == 3


def test_create_answers_are_what_a_later_read_gives(api, customer, call_activity):
    """The answers built from the body sent and the create answer equal the stored objects read afterwards."""
    assert customer == api.ok("GET", f"/customers/{customer['id']}")
    assert call_activity == api.ok("GET", f"/activities/{call_activity['id']}")
    comment = api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Noted"})
    assert api.ok("GET", f"/activities/{call_activity['id']}/comments")["comments"] == [comment]
    request = api.ok(
        "POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Refund"}}
    )
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert next(r for r in journey["requests"] if r["id"] == request["id"]) == request


@pytest.mark.parametrize("answer_keeps", [["lastUpdated"], []])
def test_a_create_answered_only_with_location_still_answers_the_stored_customer(api, gadget, answer_keeps):
    """Context Service's create answer may name the object only in its ``Location`` header (the reference gives
    ``id``/``refUrl`` but no status or header rules): the proxy takes the id from there, and reads the object back
    only when the answer lacks ``lastUpdated``."""
    session = get_backend(gadget.app).cs.session
    original = session.request

    def location_only(method, url, **kwargs):
        response = original(method, url, **kwargs)
        if method == "POST" and url.endswith("/context/v1/customer"):
            body = response.json()
            response._content = json.dumps({key: body[key] for key in answer_keeps}).encode()
        return response

    session.request = location_only
    try:
        created = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Loc"}})
    finally:
        session.request = original
    assert created == api.ok("GET", f"/customers/{created['id']}")


def test_partial_screen_pop_takes_two_rounds_and_reads_no_comments(api, customer, call_activity, cs_calls):
    """What the gadget asks while a call rings: the look-up beside the dialog-link search (1), the journey's
    searches (2); no comment is searched, so the journey is on screen one round sooner."""
    answer, log = cs_calls(
        lambda: api.ok(
            "GET",
            "/screen-pop",
            params={"phone": "+15550102030", "dialogId": "rounds-6", "mediaType": "voice", "partial": "true"},
        )
    )
    assert answer["prepared"] and answer["journey"]["requests"][0]["activities"][0]["comments"] is None
    assert not [call for call in log.made() if call[1] == "/context/v1/detail"]
    assert log.rounds() == 2


def test_comments_of_many_activities_take_one_round(api, customer, call_activity, cs_calls, monkeypatch):
    """``GET /comments``: one search per chunk of activities, side by side."""
    other = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    monkeypatch.setattr(comments, "IDS_PER_QUERY", 1)
    answer, log = cs_calls(
        lambda: api.ok("GET", "/comments", params={"activityIds": f"{call_activity['id']},{other['id']}"})
    )
    assert set(answer["comments"]) == {call_activity["id"], other["id"]}
    assert log.made() == [("GET", "/context/v1/detail")] * 2 and log.rounds() == 1


def test_an_auto_answered_record_leaves_after_the_look_ups_round_and_is_stored_two_rounds_after_alerting(
    api, gadget, customer, call_activity, cs_calls
):
    """Auto-answer of a repeat caller: the screen pop (as the gadget sends it, ``partial``) guesses the request in
    its first round (the caller's newest activity by phone is in it) and hands it over at once; the record sent
    with it writes beside the reads that prove the guess, while the screen pop still reads the journey, so the
    call is stored two rounds after the screen pop began (three when the record waited for the journey)."""
    params = {"phone": "+15550102030", "dialogId": "rounds-7", "mediaType": "voice", "partial": "true"}

    def auto_answered():
        pop = in_thread(lambda: api.ok("GET", "/screen-pop", params=params))
        waiting_for(gadget, "rounds-7")
        handed = api.ok("GET", "/screen-pop/prepared", params={"dialogId": "rounds-7"})
        activity = recording(api, customer, "rounds-7", prepared=handed["prepared"])()
        return activity, pop()[0]

    (activity, pop), log = cs_calls(auto_answered)
    assert activity["requestId"] == call_activity["requestId"] == pop["journey"]["requests"][0]["id"]
    assert [call for call in log.made() if call[0] == "POST"] == [("POST", "/context/v1/pod")]
    assert log.rounds() == 2


def partial_pop(api, dialog_id):
    """The gadget's screen pop of Ann's number while a call rings (``partial``), to be measured."""
    body = {"phone": "+15550102030", "dialogId": dialog_id, "mediaType": "voice", "partial": True, "maxEntries": 10}
    return lambda: api.ok("POST", "/screen-pop", json=body)


def refused_every_try(gadget, search_path):
    """``(failing, around)``: ``around`` (for ``cs_recorder``) refuses the next search of ``search_path``, its first
    try and every retry; ``failing["left"]`` counts down to 0 once they are all made."""
    failing = {"left": 1 + get_backend(gadget.app).config["CS_RETRIES"]}

    def refuse(method, path, send):
        if method == "GET" and path == search_path and failing["left"] > 0:
            failing["left"] -= 1
            raise requests.ConnectionError("refused")
        return send()

    return failing, refuse


def journey_ids(journey):
    """The request and activity ids of a journey answer, in order."""
    return [(r["id"], [a["id"] for a in r["activities"]]) for r in journey["requests"]]


def test_a_caller_found_lately_has_their_journey_read_in_the_look_ups_round(api, customer, call_activity, cs_calls):
    """The proxy remembers which customer a caller was (caller_hints.py): the next screen pop of the same number
    reads that customer's journey beside the look-up, one round instead of two, with the same journey and token."""
    first, cold = cs_calls(partial_pop(api, "hint-1"))
    assert cold.rounds() == 2
    assert len(cold.made()) == 4  # the link is not searched alone: the shared search's page was not full
    second, warm = cs_calls(partial_pop(api, "hint-2"))
    assert warm.rounds() == 1 and len(warm.made()) == 4
    assert journey_ids(second["journey"]) == journey_ids(first["journey"]) and second["prepared"]
    assert second["matches"][0]["id"] == customer["id"]


def test_a_hint_that_is_wrong_now_is_never_shown(api, customer, call_activity, cs_calls):
    """Ann's number moved to Bob after Ann's screen pop: the look-up beside the hinted searches finds Bob, so his
    journey is read after it (two rounds) and Ann's, read for nothing, is not shown; Bob is remembered then."""
    api.ok("GET", "/screen-pop", params={"phone": "+15550102030"})
    api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"fields": {"Context_Mobile_Phone": "+15550109876"}, "lastUpdated": customer["lastUpdated"]},
    )
    bob = api.ok(
        "POST",
        "/customers",
        201,
        json={"fields": {"Context_First_Name": "Bob", "Context_Mobile_Phone": "+15550102030"}},
    )
    bobs = {"customerId": bob["id"], "mediaType": "voice", "dialogId": "bob-1", "source": {"phone": "+15550102030"}}
    bobs_call = api.ok("POST", "/activities", 201, json=bobs)
    answer, log = cs_calls(partial_pop(api, "hint-3"))
    assert [match["id"] for match in answer["matches"]] == [bob["id"]]
    assert journey_ids(answer["journey"]) == [(bobs_call["requestId"], [bobs_call["id"]])] and log.rounds() == 2
    _, again = cs_calls(partial_pop(api, "hint-4"))
    assert again.rounds() == 1


def test_a_caller_who_is_several_customers_now_gets_the_pick_list_and_no_hint(api, customer, call_activity, cs_calls):
    """A second customer with Ann's number: the screen pop answers both, no journey, and forgets the hint (the
    next one reads nothing beside the look-up)."""
    api.ok("GET", "/screen-pop", params={"phone": "+15550102030"})
    api.ok(
        "POST",
        "/customers",
        201,
        json={"fields": {"Context_First_Name": "Bob", "Context_Mobile_Phone": "+15550102030"}},
    )
    answer, _ = cs_calls(partial_pop(api, "hint-5"))
    assert answer["count"] == 2 and answer["journey"] is None
    _, log = cs_calls(partial_pop(api, "hint-6"))
    assert not [call for call in log.made() if call[1] == "/context/v1/request"]


def test_a_hinted_search_that_fails_is_read_again_in_the_journeys_round(
    api, gadget, customer, call_activity, cs_recorder
):
    """The hinted search of Ann's requests fails (every try): the screen pop does not fail, it reads the journey
    after the look-up as without a hint."""
    api.ok("GET", "/screen-pop", params={"phone": "+15550102030"})
    failing, refuse = refused_every_try(gadget, "/context/v1/request")
    cs_recorder(around=refuse)
    answer = partial_pop(api, "hint-7")()
    assert failing["left"] == 0 and journey_ids(answer["journey"])[0][1] == [call_activity["id"]]


def test_a_caller_found_lately_with_a_full_page_of_activities_has_the_dialog_checked_in_the_look_ups_round(
    api, customer, call_activity, cs_calls, monkeypatch
):
    """The shared search's page cannot say whether the dialog is recorded (here 1 per page): for a caller found
    lately whose activities filled it last time, the link is searched alone beside the look-up and the hinted
    searches, so the recorded dialog is still found, in one round."""
    monkeypatch.setattr(guess, "WITH_DIALOG", 1)
    later = {"customerId": customer["id"], "mediaType": "voice", "source": {"phone": "+15550102030"}}
    api.ok("POST", "/activities", 201, json=dict(later, dialogId="hint-8"))
    api.ok("POST", "/screen-pop", json={"phone": "+15550102030", "dialogId": "hint-9", "mediaType": "voice"})
    answer, log = cs_calls(partial_pop(api, "16777217"))
    assert answer["recorded"]["id"] == call_activity["id"] and answer["prepared"] is None
    assert log.rounds() == 1


def test_a_refused_shared_search_does_not_mark_the_caller_as_having_a_full_page(
    api, gadget, customer, call_activity, cs_recorder, cs_calls
):
    """The shared search of a first-time caller is refused (every try): it says nothing of their page, so their
    next screen pop, a caller found lately, reads the journey in the look-up's round (one round) without searching
    the dialog's link alone beside it (two activity searches, not three)."""
    failing, refuse = refused_every_try(gadget, "/context/v1/pod")
    cs_recorder(around=refuse)
    partial_pop(api, "hint-10")()
    assert failing["left"] == 0
    _, log = cs_calls(partial_pop(api, "hint-11"))
    assert log.made().count(("GET", "/context/v1/pod")) == 2 and log.rounds() == 1


def test_a_screen_pop_without_a_dialog_keeps_the_callers_full_page_mark(
    api, customer, call_activity, cs_calls, monkeypatch
):
    """A look-up with no dialog to search says nothing of the caller's page: their next screen pop of a call
    still has the dialog's link searched alone in the look-up's round (the recorded dialog found in one round)."""
    monkeypatch.setattr(guess, "WITH_DIALOG", 1)
    later = {"customerId": customer["id"], "mediaType": "voice", "source": {"phone": "+15550102030"}}
    api.ok("POST", "/activities", 201, json=dict(later, dialogId="hint-12"))
    api.ok("POST", "/screen-pop", json={"phone": "+15550102030", "dialogId": "hint-13", "mediaType": "voice"})
    api.ok("POST", "/screen-pop", json={"phone": "+15550102030"})
    answer, log = cs_calls(partial_pop(api, "16777217"))
    assert answer["recorded"]["id"] == call_activity["id"] and log.rounds() == 1
