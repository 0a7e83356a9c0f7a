"""GET /api/v1/screen-pop: the look-up and, for a single match, its journey, in one answer (issue #14 item 1);
``partial=true``: answered after the journey's first round, without comments, which ``GET /comments`` reads
(issue #14 item 2)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from gadget_plugin import journey


def test_screen_pop_of_a_single_match_answers_the_lookup_and_its_journey(api, customer, call_activity):
    """One customer for the number: the answer is what the look-up and the journey calls answer, together."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Called twice"})
    pop = api.ok("GET", "/screen-pop", params={"phone": "+1 (555) 010-2030"})
    assert {"matches": pop["matches"], "count": pop["count"]} == api.ok(
        "GET", "/customers/lookup", params={"phone": "+15550102030"}
    )
    assert pop["matches"][0]["lastContact"] == call_activity["created"]
    assert pop["journey"] == api.ok("GET", f"/customers/{customer['id']}/journey")
    assert pop["journey"]["requests"][0]["activities"][0]["comments"][0]["text"] == "Called twice"


def test_screen_pop_of_a_customer_without_activities_has_an_empty_journey(api, customer):
    """A known customer never contacted: lastContact null, an empty journey."""
    pop = api.ok("GET", "/screen-pop", params={"email": "ann.smith@example.com"})
    assert pop["matches"][0]["lastContact"] is None
    assert pop["journey"] == {"requests": [], "unassigned": [], "moreRequests": False}


def test_screen_pop_of_several_matches_has_no_journey_until_the_agent_picks(api, customer):
    """Two customers share the number: both listed with their last contacts, no journey."""
    api.ok(
        "POST", "/customers", 201, json={"fields": {"Context_First_Name": "Ivo", "Context_Home_Phone": "+15550102030"}}
    )
    pop = api.ok("GET", "/screen-pop", params={"phone": "+15550102030"})
    assert pop["count"] == 2 and len(pop["matches"]) == 2
    assert pop["journey"] is None
    assert {m["id"] for m in pop["matches"]} == {
        m["id"] for m in api.ok("GET", "/customers/lookup", params={"phone": "+15550102030"})["matches"]
    }


def test_screen_pop_of_an_unknown_caller_has_no_match_and_no_journey(api):
    """Nobody has the number: no matches, no journey (the gadget pre-fills a new customer)."""
    assert api.ok("GET", "/screen-pop", params={"phone": "+385911112222"}) == {
        "matches": [],
        "count": 0,
        "journey": None,
        "recorded": None,
        "prepared": None,
    }


def test_screen_pop_needs_an_identity_and_a_valid_page_size(api):
    """No phone, email or chat: 400 naming phone; maxEntries over 200: 400 naming it and the limit."""
    assert api.error("GET", "/screen-pop", 400, "VALIDATION_FAILED")["field"] == "phone"
    error = api.error(
        "GET", "/screen-pop", 400, "VALIDATION_FAILED", params={"phone": "+15550102030", "maxEntries": 201}
    )
    assert error["field"] == "maxEntries" and error["limit"] == 200


def test_screen_pop_names_a_dialog_id_or_media_type_it_cannot_take(api):
    """A dialogId over 128 characters: 400 naming it and the limit; an unknown mediaType: 400 naming it."""
    error = api.error(
        "GET", "/screen-pop", 400, "VALIDATION_FAILED", params={"phone": "+15550102030", "dialogId": "9" * 129}
    )
    assert error["field"] == "dialogId" and error["limit"] == 128
    error = api.error(
        "GET", "/screen-pop", 400, "VALIDATION_FAILED", params={"phone": "+15550102030", "mediaType": "fax"}
    )
    assert error["field"] == "mediaType"


def partial_pop(api, dialog_id, **params):
    """The screen pop as the gadget asks it while the call rings: partial, with the dialog."""
    return api.ok(
        "GET",
        "/screen-pop",
        params={"phone": "+15550102030", "dialogId": dialog_id, "mediaType": "voice", "partial": "true", **params},
    )


def test_partial_screen_pop_answers_the_journey_with_its_comments_not_read_yet(api, customer, call_activity):
    """``partial=true``: the same requests and activities as the journey, each activity's comments null (not read
    yet, never an empty list that would say "no comments"), the journey marked complete, and the token."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Called twice"})
    pop = partial_pop(api, "partial-1")
    whole = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert pop["journey"]["complete"] is True and pop["prepared"]
    activity = pop["journey"]["requests"][0]["activities"][0]
    assert activity["comments"] is None
    assert (
        dict(activity, comments=whole["requests"][0]["activities"][0]["comments"])
        == whole["requests"][0]["activities"][0]
    )
    assert [r["id"] for r in pop["journey"]["requests"]] == [r["id"] for r in whole["requests"]]


def test_partial_screen_pop_of_a_long_journey_answers_its_first_round_marked_incomplete(
    api, customer, call_activity, monkeypatch
):
    """More activities than one read returns: the partial answer holds the newest ones, ``complete`` false (the
    gadget reads the whole journey after its first paint), and the token, as the older activities cannot change
    the request it names; the page's second round is not read."""
    newer = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 1)
    monkeypatch.setattr(journey, "_activities_of_page", lambda *args: pytest.fail("the second round was read"))
    pop = partial_pop(api, "partial-2")
    shown = [a["id"] for r in pop["journey"]["requests"] for a in r["activities"]] + [
        a["id"] for a in pop["journey"]["unassigned"]
    ]
    assert pop["journey"]["complete"] is False and shown == [newer["id"]]
    assert pop["prepared"] and pop["matches"][0]["lastContact"] == newer["created"]


def test_partial_screen_pop_of_a_long_journey_lists_every_request_of_its_page(
    api, customer, call_activity, monkeypatch
):
    """Only the newest activities read (``complete`` false): the request the proxy made for the call, whose activity
    is older than those read, looks empty but is listed, as in the whole journey (it is no request waiting for a
    record: its activity is only not read yet), so it is on screen and a Move target while older ones load."""
    api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "requestId": "new", "mediaType": "chat"})
    whole = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert len(whole["requests"]) == 2
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 1)
    pop = partial_pop(api, "partial-4")
    assert pop["journey"]["complete"] is False
    assert [r["id"] for r in pop["journey"]["requests"]] == [r["id"] for r in whole["requests"]]


def test_partial_screen_pop_reads_the_second_round_when_its_token_depends_on_it(
    api, customer, call_activity, monkeypatch
):
    """When a request that looks empty on the first round could be the one the record joins, the token waits for
    the second round, and the journey answered is then complete (still without comments)."""
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 0)
    monkeypatch.setattr(journey.JourneyReads, "newest_open_request_known", lambda self, own_tag=None: False)
    pop = partial_pop(api, "partial-3")
    assert pop["journey"]["complete"] is True and pop["prepared"]
    assert [a["id"] for a in pop["journey"]["requests"][0]["activities"]] == [call_activity["id"]]
    assert pop["journey"]["requests"][0]["activities"][0]["comments"] is None


def test_partial_screen_pop_names_a_partial_it_cannot_take(api, customer):
    """``partial`` is true or false (1 or 0); anything else: 400 naming it."""
    error = api.error("GET", "/screen-pop", 400, "VALIDATION_FAILED", params={"phone": "+15550102030", "partial": "y"})
    assert error["field"] == "partial"


def test_comments_of_several_activities_come_by_activity_in_one_call(api, customer, call_activity):
    """``GET /comments?activityIds=`` answers every id asked, newest comment first; an id of no activity has none."""
    other = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "First"})
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Second"})
    ids = f"{call_activity['id']},{other['id']},no-such-activity"
    found = api.ok("GET", "/comments", params={"activityIds": ids})["comments"]
    assert [c["text"] for c in found[call_activity["id"]]] == ["Second", "First"]
    assert found[other["id"]] == [] and found["no-such-activity"] == []
    assert found[call_activity["id"]] == api.ok("GET", f"/activities/{call_activity['id']}/comments")["comments"]


def test_comments_of_activities_need_between_one_and_fifty_ids(api):
    """No ids, an empty id or more than 50: 400 naming activityIds (and the limit)."""
    assert api.error("GET", "/comments", 400, "VALIDATION_FAILED")["field"] == "activityIds"
    error = api.error("GET", "/comments", 400, "VALIDATION_FAILED", params={"activityIds": "a,,b"})
    assert error["field"] == "activityIds"
    error = api.error(
        "GET", "/comments", 400, "VALIDATION_FAILED", params={"activityIds": ",".join(f"a{n}" for n in range(51))}
    )
    assert error["field"] == "activityIds" and error["limit"] == 50


def test_comments_past_one_search_of_200_are_read_whole(api, customer, call_activity):
    """Context Service answers at most 200 details a search: an activity with 201 comments beside an older one with
    1 (one search of both ids comes back full) gets all 201, and the older one its 1, from ``GET /comments``, the
    journey and the activity's own list, never "no comments" for an activity that has some."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "The older one's"})
    newer = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    path = f"/activities/{newer['id']}/comments"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda n: api.ok("POST", path, 201, json={"text": f"Note {n}"}), range(201)))
    found = api.ok("GET", "/comments", params={"activityIds": f"{newer['id']},{call_activity['id']}"})["comments"]
    assert len({c["id"] for c in found[newer["id"]]}) == 201
    assert [c["text"] for c in found[call_activity["id"]]] == ["The older one's"]
    whole = api.ok("GET", f"/customers/{customer['id']}/journey")
    shown = {a["id"]: a["comments"] for r in whole["requests"] for a in r["activities"]}
    assert shown == found
    assert api.ok("GET", path)["comments"] == found[newer["id"]]


def test_screen_pop_posted_answers_what_its_get_answers(api, customer, call_activity):
    """``POST /screen-pop`` with the arguments as a JSON object (the gadget's way: one URL, so the browser's CORS
    preflight is cached) answers what ``GET`` with them in the query answers; its hand-over too."""
    query = {"phone": "+15550102030", "maxEntries": "50", "partial": "true"}
    posted = api.ok("POST", "/screen-pop", json={"phone": "+15550102030", "maxEntries": 50, "partial": True})
    assert posted == api.ok("GET", "/screen-pop", params=query)
    assert api.ok("POST", "/screen-pop/prepared", json={"dialogId": "posted-1"}) == api.ok(
        "GET", "/screen-pop/prepared", params={"dialogId": "posted-1"}
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "+15550102030", "maxEntries": 201}, "maxEntries"),
        ({"phone": "+15550102030", "maxEntries": "many"}, "maxEntries"),
        ({"phone": 15550102030}, "phone"),
        ({"phone": "+15550102030", "dialogId": ["d-1"]}, "dialogId"),
        ({"phone": "+15550102030", "partial": "y"}, "partial"),
    ],
)
def test_screen_pop_posted_names_the_argument_it_cannot_take(api, body, field):
    """A posted screen pop's bad argument: 400 naming it, as in the query."""
    assert api.error("POST", "/screen-pop", 400, "VALIDATION_FAILED", json=body)["field"] == field


def test_screen_pop_hand_over_posted_without_a_dialog_names_it(api):
    """``POST /screen-pop/prepared`` without ``dialogId``: 400 naming it; a body that is not JSON: 400."""
    assert api.error("POST", "/screen-pop/prepared", 400, "VALIDATION_FAILED", json={})["field"] == "dialogId"
    api.error("POST", "/screen-pop/prepared", 400, "BAD_REQUEST", data="dialogId=1")
