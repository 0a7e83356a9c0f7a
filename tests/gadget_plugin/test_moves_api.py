"""Moving activities between requests and customers: allowed targets, refusals, the record, undo."""

import pytest

from gadget_plugin import get_backend, idempotency

from .conftest import PUT_ANSWERS


def _open_request(api, customer_id, title="Second issue"):
    return api.ok("POST", "/requests", 201, json={"customerId": customer_id, "fields": {"Context_Title": title}})


def test_move_to_another_open_request_is_recorded(api, call_activity, customer):
    """The activity changes request; the move says who, when, from and to."""
    target = _open_request(api, customer["id"])
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": target["id"], "lastUpdated": call_activity["lastUpdated"]},
    )
    assert moved["activity"]["requestId"] == target["id"]
    move = moved["move"]
    assert move["activityId"] == call_activity["id"] and move["by"] == "1001" and not move["undone"]
    assert move["from"] == {"customerId": customer["id"], "requestId": call_activity["requestId"]}
    assert move["to"] == {"customerId": customer["id"], "requestId": target["id"]}
    assert move["at"] == moved["activity"]["lastUpdated"]


@pytest.mark.parametrize("answer", PUT_ANSWERS)
def test_a_move_and_its_undo_work_whatever_the_put_answer_holds(api, call_activity, customer, put_answered, answer):
    """The PUT answer is inferred (reference §2.2): answered only ``{id, lastUpdated}`` or nothing, the move
    is recorded at the activity's new version and undone."""
    target = _open_request(api, customer["id"])
    put_answered(answer)
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": target["id"], "lastUpdated": call_activity["lastUpdated"]},
    )
    assert moved["activity"]["requestId"] == target["id"]
    assert moved["move"]["at"] == moved["activity"]["lastUpdated"]
    undone = api.ok("POST", f"/moves/{moved['move']['id']}/undo")
    assert undone["activity"]["requestId"] == call_activity["requestId"] and undone["move"]["undone"]


def test_move_records_are_not_shown_as_comments(api, call_activity, customer):
    """The hidden record of a move never appears among the activity's comments."""
    target = _open_request(api, customer["id"])
    api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": target["id"], "lastUpdated": call_activity["lastUpdated"]},
    )
    assert api.ok("GET", f"/activities/{call_activity['id']}/comments")["comments"] == []


def test_move_to_a_new_request(api, call_activity, customer):
    """requestId "new" creates the request and moves the activity into it; the request the proxy had made for
    the call, now empty, is no longer shown, while one the agent added stays."""
    added = _open_request(api, customer["id"])
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    new_id = moved["activity"]["requestId"]
    assert new_id not in (None, call_activity["requestId"])
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert {r["id"] for r in journey["requests"]} == {new_id, added["id"]}


def test_move_to_another_customer(api, call_activity):
    """Moving to customer B puts the activity under B (here into a new request of B)."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"customerId": bob["id"], "requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    assert moved["activity"]["customerId"] == bob["id"]
    assert moved["move"]["to"]["customerId"] == bob["id"]
    bob_journey = api.ok("GET", f"/customers/{bob['id']}/journey")
    assert bob_journey["requests"][0]["activities"][0]["id"] == call_activity["id"]


def test_move_to_a_closed_request_is_refused_and_changes_nothing(
    api, call_activity, customer, close_requests, cloud_state
):
    """Target closed: 409 REQUEST_CLOSED; no request created, activity where it was."""
    old = _open_request(api, customer["id"], "Old")
    close_requests()
    fresh = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat"})
    before = cloud_state()
    error = api.error(
        "POST",
        f"/activities/{fresh['id']}/move",
        409,
        "REQUEST_CLOSED",
        json={"requestId": old["id"], "lastUpdated": fresh["lastUpdated"]},
    )
    assert error["field"] == "requestId" and "closed" in error["message"]
    assert cloud_state() == before
    assert api.ok("GET", f"/activities/{fresh['id']}")["requestId"] == fresh["requestId"]


def test_move_out_of_a_closed_request_is_refused(api, call_activity, close_requests, cloud_state):
    """An activity in a closed request cannot move, not even to a new request; nothing is written."""
    close_requests()
    current = api.ok("GET", f"/activities/{call_activity['id']}")
    before = cloud_state()
    api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        409,
        "REQUEST_CLOSED",
        json={"requestId": "new", "lastUpdated": current["lastUpdated"]},
    )
    assert cloud_state() == before


def test_stale_move_is_refused_with_the_current_activity(api, call_activity, customer, cloud_state):
    """Moving with an old lastUpdated: 409 CONFLICT, no new request created."""
    tagged = api.ok(
        "PUT", f"/activities/{call_activity['id']}", json={"lastUpdated": call_activity["lastUpdated"], "tags": ["vip"]}
    )
    before = cloud_state()
    error = api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        409,
        "CONFLICT",
        json={"requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    assert error["current"]["lastUpdated"] == tagged["lastUpdated"]
    assert cloud_state() == before


def test_move_to_request_of_another_customer_is_refused(api, call_activity):
    """The target request must belong to the target customer."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    bob_request = _open_request(api, bob["id"])
    error = api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        400,
        "VALIDATION_FAILED",
        json={"requestId": bob_request["id"], "lastUpdated": call_activity["lastUpdated"]},
    )
    assert error["field"] == "requestId"


def test_move_to_where_it_already_is_is_refused(api, call_activity):
    """Same customer and request: nothing to do, 400."""
    api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        400,
        "VALIDATION_FAILED",
        json={"requestId": call_activity["requestId"], "lastUpdated": call_activity["lastUpdated"]},
    )


def test_undo_puts_the_activity_back_and_marks_the_move_undone(api, call_activity, customer):
    """Undo returns the activity to its original customer and request."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"customerId": bob["id"], "requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    undone = api.ok("POST", f"/moves/{moved['move']['id']}/undo")
    assert undone["move"]["undone"] is True
    assert undone["activity"]["customerId"] == customer["id"]
    assert undone["activity"]["requestId"] == call_activity["requestId"]


def test_move_cannot_be_undone_twice(api, call_activity):
    """A second undo of the same move: 409 CONFLICT."""
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    api.ok("POST", f"/moves/{moved['move']['id']}/undo")
    error = api.error("POST", f"/moves/{moved['move']['id']}/undo", 409, "CONFLICT")
    assert "already been undone" in error["message"]


def test_undo_after_a_newer_move_is_refused(api, call_activity, customer):
    """Undoing an older move while the activity moved again since: 409 CONFLICT."""
    first = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": "new", "lastUpdated": call_activity["lastUpdated"]},
    )
    api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": "new", "lastUpdated": first["activity"]["lastUpdated"]},
    )
    error = api.error("POST", f"/moves/{first['move']['id']}/undo", 409, "CONFLICT")
    assert "moved again" in error["message"]


def test_undo_into_a_request_that_closed_meanwhile_is_refused(api, call_activity, close_requests):
    """The original request closed after the move: the activity cannot go back (REQUEST_CLOSED)."""
    moved = api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": None, "lastUpdated": call_activity["lastUpdated"]},
    )
    close_requests()
    api.error("POST", f"/moves/{moved['move']['id']}/undo", 409, "REQUEST_CLOSED")


def test_undo_of_a_comment_id_is_not_found(api, call_activity):
    """Only move records can be undone."""
    comment = api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "hi"})
    api.error("POST", f"/moves/{comment['id']}/undo", 404, "NOT_FOUND")


def _stored_tags(gadget, request_id):
    """The tags Context Service holds on a request, hidden ones included (the gadget's shapes leave those out)."""
    return get_backend(gadget.app).cs.get("request", request_id).get("tags") or []


def _move_to_new_request_of(api, activity, customer_id):
    return api.ok(
        "POST",
        f"/activities/{activity['id']}/move",
        json={"customerId": customer_id, "requestId": "new", "lastUpdated": activity["lastUpdated"]},
    )


def test_the_request_a_move_makes_is_tagged_for_the_target_customer_and_the_activity(api, call_activity, gadget):
    """The hidden tag of the request a move to Bob makes is the hash of "move <Bob's id> <activity id>": it says
    whose move it is, and the same activity moved to two customers gets two tags (review finding: the tag was
    "move <activity id>" only)."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    moved = _move_to_new_request_of(api, call_activity, bob["id"])
    tags = _stored_tags(gadget, moved["activity"]["requestId"])
    assert idempotency.for_tag(f"move {bob['id']} {call_activity['id']}") in tags
    assert idempotency.for_tag(f"move {call_activity['id']}") not in tags


def test_an_empty_request_an_old_style_move_tag_marks_is_still_reused_by_the_next_move(
    api, call_activity, gadget, cloud_state
):
    """A request tagged the way moves were tagged before ("move <activity id>"), left open and empty for Bob (a
    move whose answer was lost, or an undone one): the next move of that activity to Bob goes into it."""
    bob = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    old = get_backend(gadget.app).cs.create(
        "request",
        {
            "type": "request",
            "customerId": bob["id"],
            "tags": [idempotency.for_tag(f"move {call_activity['id']}")],
            "fieldsets": ["cisco.base.request"],
            "dataElements": [],
        },
    )
    before = cloud_state()["request"]
    moved = _move_to_new_request_of(api, call_activity, bob["id"])
    assert moved["activity"]["requestId"] == old["id"]
    assert cloud_state()["request"] == before


def test_a_blank_request_id_is_refused_naming_the_field_and_moves_nothing(api, call_activity):
    """requestId "  " is neither a request, "new" nor null: 400 naming requestId (it was a 404 "No request with
    id None", about an id the caller never sent), and the activity stays where it was."""
    error = api.error(
        "POST",
        f"/activities/{call_activity['id']}/move",
        400,
        "VALIDATION_FAILED",
        json={"requestId": "  ", "lastUpdated": call_activity["lastUpdated"]},
    )
    assert error["field"] == "requestId" and '"new" or null' in error["message"]
    assert api.ok("GET", f"/activities/{call_activity['id']}")["requestId"] == call_activity["requestId"]
