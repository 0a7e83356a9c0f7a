"""Activities for interactions: which request they join, tags and fields, comments, conflicts."""


def test_activity_for_a_call_records_media_type_source_and_dialog(call_activity, customer):
    """The POD carries the media type, Context_POD_Source_* fields and the Finesse dialog id."""
    assert call_activity["mediaType"] == "voice"
    assert call_activity["customerId"] == customer["id"]
    assert call_activity["fieldsets"] == ["cisco.base.pod"]
    assert call_activity["fields"]["Context_POD_Source_Cust_Name"] == "Ann Smith"
    assert call_activity["fields"]["Context_POD_Source_Phone"] == "+15550102030"
    assert call_activity["fields"]["Context_POD_Activity_Link"] == "finesse:dialog:16777217"
    assert call_activity["contributors"] == [{"type": "USER", "username": "1001"}]


def test_first_activity_of_a_customer_opens_a_new_request(api, call_activity):
    """No open request yet: a new active request is created for the activity."""
    journey = api.ok("GET", f"/customers/{call_activity['customerId']}/journey")
    assert [r["id"] for r in journey["requests"]] == [call_activity["requestId"]]
    assert journey["requests"][0]["state"] == "active"


def test_next_activity_joins_the_newest_open_request(api, call_activity, customer):
    """Without requestId an activity joins the customer's newest open request."""
    chat = api.ok(
        "POST",
        "/activities",
        201,
        json={"customerId": customer["id"], "mediaType": "chat", "source": {"email": "ann.smith@example.com"}},
    )
    assert chat["requestId"] == call_activity["requestId"]


def test_activity_with_request_new_opens_another_request(api, call_activity, customer):
    """requestId "new" always creates a new request."""
    other = api.ok(
        "POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "email", "requestId": "new"}
    )
    assert other["requestId"] not in (None, call_activity["requestId"])


def test_activity_after_the_request_closed_opens_a_new_request(api, call_activity, customer, close_requests):
    """Requests close after 5 quiet days; the next interaction goes to a new request."""
    close_requests()
    later = api.ok("POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "voice"})
    assert later["requestId"] != call_activity["requestId"]


def test_activity_cannot_be_added_to_a_closed_request(api, call_activity, customer, close_requests):
    """Naming a closed request: 409 REQUEST_CLOSED."""
    close_requests()
    error = api.error(
        "POST",
        "/activities",
        409,
        "REQUEST_CLOSED",
        json={"customerId": customer["id"], "mediaType": "voice", "requestId": call_activity["requestId"]},
    )
    assert error["field"] == "requestId"


def test_activity_without_customer_stays_unassigned(api):
    """An interaction of a not-yet-created customer is stored without customer or request."""
    activity = api.ok("POST", "/activities", 201, json={"mediaType": "chat", "source": {"name": "Eve"}})
    assert activity["customerId"] is None and activity["requestId"] is None


def test_unknown_media_type_is_refused(api, customer):
    """mediaType must be one of Context Service's media types."""
    error = api.error(
        "POST", "/activities", 400, "VALIDATION_FAILED", json={"customerId": customer["id"], "mediaType": "fax"}
    )
    assert error["field"] == "mediaType" and "voice" in error["message"]


def test_request_of_another_customer_is_refused(api, call_activity):
    """An activity of customer B cannot join a request of customer A."""
    other = api.ok("POST", "/customers", 201, json={"fields": {"Context_First_Name": "Bob"}})
    error = api.error(
        "POST",
        "/activities",
        400,
        "VALIDATION_FAILED",
        json={"customerId": other["id"], "mediaType": "voice", "requestId": call_activity["requestId"]},
    )
    assert error["field"] == "requestId"


def test_tags_are_trimmed_and_stored(api, call_activity):
    """Tags are stored trimmed, in order."""
    updated = api.ok(
        "PUT",
        f"/activities/{call_activity['id']}",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": [" billing ", "refund"]},
    )
    assert updated["tags"] == ["billing", "refund"]


def test_tag_over_50_characters_is_refused(api, call_activity):
    """A 51-character tag: 400 naming tags and the 50 limit."""
    error = api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        400,
        "VALIDATION_FAILED",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["t" * 51]},
    )
    assert error["field"] == "tags" and error["limit"] == 50


def test_duplicate_tags_ignoring_case_and_spaces_are_refused(api, call_activity):
    """ "Billing" and " billing" are the same tag."""
    error = api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        400,
        "VALIDATION_FAILED",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["Billing", " billing"]},
    )
    assert error["field"] == "tags" and "unique" in error["message"]


def test_activity_fields_are_updated(api, call_activity):
    """Fields of the activity's fieldsets can be changed."""
    updated = api.ok(
        "PUT",
        f"/activities/{call_activity['id']}",
        json={"lastUpdated": call_activity["lastUpdated"], "fields": {"Context_Notes": "Asked about the invoice"}},
    )
    assert updated["fields"]["Context_Notes"] == "Asked about the invoice"
    assert updated["fields"]["Context_POD_Source_Cust_Name"] == "Ann Smith"


def test_stale_activity_update_is_refused_with_the_current_activity(api, call_activity):
    """Tagging with an old lastUpdated: 409 CONFLICT with the current activity, nothing changed."""
    first = api.ok(
        "PUT",
        f"/activities/{call_activity['id']}",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["first"]},
    )
    error = api.error(
        "PUT",
        f"/activities/{call_activity['id']}",
        409,
        "CONFLICT",
        json={"lastUpdated": call_activity["lastUpdated"], "tags": ["second"]},
    )
    assert error["current"]["tags"] == ["first"]
    assert error["current"]["lastUpdated"] == first["lastUpdated"]


def test_comment_is_added_with_the_agent_name_and_listed_newest_first(api, call_activity):
    """Comments are signed with the agent's Finesse name and listed newest first."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "First"})
    second = api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Second"})
    assert second["author"] == "Ana Horvat" and second["activityId"] == call_activity["id"]
    listed = api.ok("GET", f"/activities/{call_activity['id']}/comments")["comments"]
    assert [c["text"] for c in listed] == ["Second", "First"]
    assert [c["text"] for c in api.ok("GET", f"/activities/{call_activity['id']}")["comments"]] == ["Second", "First"]


def test_empty_or_too_long_comment_is_refused(api, call_activity):
    """Comment text is required and at most 2,000 characters."""
    assert (
        api.error("POST", f"/activities/{call_activity['id']}/comments", 400, "VALIDATION_FAILED", json={"text": ""})[
            "field"
        ]
        == "text"
    )
    error = api.error(
        "POST", f"/activities/{call_activity['id']}/comments", 400, "VALIDATION_FAILED", json={"text": "c" * 2001}
    )
    assert error["field"] == "text" and error["limit"] == 2000


def test_comment_on_unknown_activity_is_not_found(api):
    """404 for comments of an activity that does not exist."""
    api.error(
        "POST", "/activities/0b7a5f55-0000-4000-8000-000000000000/comments", 404, "NOT_FOUND", json={"text": "hello"}
    )


def test_same_dialog_is_recorded_once(api, call_activity, customer, cloud_state):
    """Posting the activity of an already recorded dialog again (a reloaded gadget) returns it: 200, no new POD."""
    before = cloud_state()
    again = api.ok(
        "POST", "/activities", 200, json={"customerId": customer["id"], "mediaType": "voice", "dialogId": "16777217"}
    )
    assert again["id"] == call_activity["id"]
    assert cloud_state() == before


def test_activity_of_another_product_is_assigned_to_the_customer_in_their_open_request(api, call_activity, customer):
    """activityId (a dialog's POD.ID) of an unassigned activity: it joins the customer's newest open request,
    recorded as an undoable move, and no other activity is created."""
    ivr = api.ok("POST", "/activities", 201, json={"mediaType": "voice", "source": {"phone": "+15550102030"}})
    assigned = api.ok(
        "POST",
        "/activities",
        json={"activityId": ivr["id"], "customerId": customer["id"], "mediaType": "voice", "dialogId": "16777300"},
    )
    assert (assigned["id"], assigned["customerId"]) == (ivr["id"], customer["id"])
    assert assigned["requestId"] == call_activity["requestId"]
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert sorted(a["id"] for a in journey["requests"][0]["activities"]) == sorted([ivr["id"], call_activity["id"]])


def test_activity_of_another_product_that_has_a_customer_is_returned_as_it_is(api, call_activity, cloud_state):
    """activityId of an activity that already has a customer: 200 with it unchanged, nothing written."""
    before = cloud_state()
    same = api.ok(
        "POST",
        "/activities",
        json={"activityId": call_activity["id"], "customerId": call_activity["customerId"], "mediaType": "voice"},
    )
    assert same["id"] == call_activity["id"] and same["lastUpdated"] == call_activity["lastUpdated"]
    assert cloud_state() == before


def test_unknown_activity_id_is_not_found(api, customer):
    """activityId naming no activity: 404 NOT_FOUND; an empty one: 400 naming activityId."""
    api.error("POST", "/activities", 404, "NOT_FOUND", json={"activityId": "no-such-pod", "customerId": customer["id"]})
    error = api.error("POST", "/activities", 400, "VALIDATION_FAILED", json={"activityId": " "})
    assert error["field"] == "activityId"
