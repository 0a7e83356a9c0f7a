"""The journey: requests with activities and comments, newest first, paged over requests."""

from gadget_plugin import journey


def test_journey_lists_requests_newest_first_with_their_activities_and_comments(api, customer, call_activity):
    """Newest request first; each holds its activities (newest first) with comments."""
    api.ok("POST", f"/activities/{call_activity['id']}/comments", 201, json={"text": "Called twice"})
    newer = api.ok(
        "POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "email", "requestId": "new"}
    )
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert journey["moreRequests"] is False
    assert [r["id"] for r in journey["requests"]] == [newer["requestId"], call_activity["requestId"]]
    older_request = journey["requests"][1]
    assert [a["id"] for a in older_request["activities"]] == [call_activity["id"]]
    assert older_request["activities"][0]["comments"][0]["text"] == "Called twice"
    assert journey["unassigned"] == []


def test_journey_pages_over_requests(api, customer):
    """startIndex/maxEntries page the requests; moreRequests says whether requests follow the page (the proxy
    asks Context Service for one more than the page, as its search answers no total)."""
    ids = [api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})["id"] for _ in range(3)]
    first = api.ok("GET", f"/customers/{customer['id']}/journey", params={"maxEntries": 2})
    second = api.ok("GET", f"/customers/{customer['id']}/journey", params={"maxEntries": 2, "startIndex": 2})
    assert first["moreRequests"] is True and second["moreRequests"] is False
    assert [r["id"] for r in first["requests"] + second["requests"]] == list(reversed(ids))


def test_activity_moved_out_of_its_request_is_listed_as_unassigned(api, customer, call_activity):
    """An activity without a request shows under "unassigned"; the request the proxy made for it, now empty, is
    not shown."""
    api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": None, "lastUpdated": call_activity["lastUpdated"]},
    )
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert [a["id"] for a in journey["unassigned"]] == [call_activity["id"]]
    assert journey["requests"] == []


def test_empty_request_the_agent_added_or_titled_is_shown(api, customer, call_activity):
    """Only a request the proxy made for an activity is hidden while empty: one added with a title, or one the
    agent gave a title before its activity moved out, stays in the journey."""
    added = api.ok("POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Q"}})
    made = api.ok("GET", f"/customers/{customer['id']}/journey")["requests"][-1]
    titled = api.ok(
        "PUT", f"/requests/{made['id']}", json={"fields": {"Context_Title": "Call"}, "lastUpdated": made["lastUpdated"]}
    )
    api.ok(
        "POST",
        f"/activities/{call_activity['id']}/move",
        json={"requestId": added["id"], "lastUpdated": call_activity["lastUpdated"]},
    )
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert {r["id"] for r in journey["requests"]} == {added["id"], titled["id"]}


def test_journey_of_unknown_customer_is_not_found(api):
    """404 NOT_FOUND."""
    api.error("GET", "/customers/0b7a5f55-0000-4000-8000-000000000000/journey", 404, "NOT_FOUND")


def test_journey_paging_is_validated(api, customer):
    """A negative startIndex is refused, naming it."""
    error = api.error(
        "GET", f"/customers/{customer['id']}/journey", 400, "VALIDATION_FAILED", params={"startIndex": -1}
    )
    assert error["field"] == "startIndex"


def test_older_pages_of_a_busy_customer_still_carry_their_activities(api, customer, monkeypatch):
    """With more activities than one read returns, a page's requests get their activities by request."""
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 2)
    created = [
        api.ok(
            "POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "voice", "requestId": "new"}
        )
        for _ in range(3)
    ]
    loose = api.ok(
        "POST", "/activities", 201, json={"customerId": customer["id"], "mediaType": "chat", "requestId": "new"}
    )
    api.ok("POST", f"/activities/{loose['id']}/move", json={"requestId": None, "lastUpdated": loose["lastUpdated"]})
    oldest = api.ok("GET", f"/customers/{customer['id']}/journey", params={"startIndex": 3, "maxEntries": 1})
    assert [a["id"] for a in oldest["requests"][0]["activities"]] == [created[0]["id"]]
    assert [a["id"] for a in oldest["unassigned"]] == [loose["id"]]
