"""Requests: Add request, update title and description, closed requests are read-only."""


def test_add_request_creates_an_open_request_for_the_customer(api, customer):
    """POST /requests: active, no closed date, title stored."""
    created = api.ok(
        "POST", "/requests", 201, json={"customerId": customer["id"], "fields": {"Context_Title": "Broken router"}}
    )
    assert created["state"] == "active" and created["closedAt"] is None
    assert created["customerId"] == customer["id"]
    assert created["fields"]["Context_Title"] == "Broken router"


def test_add_request_needs_a_customer(api):
    """customerId is required."""
    assert api.error("POST", "/requests", 400, "VALIDATION_FAILED", json={"fields": {}})["field"] == "customerId"


def test_add_request_for_unknown_customer_is_not_found(api):
    """404 when the customer does not exist."""
    api.error("POST", "/requests", 404, "NOT_FOUND", json={"customerId": "0b7a5f55-0000-4000-8000-000000000000"})


def test_update_title_and_description(api, customer):
    """PUT with lastUpdated changes title and description."""
    created = api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})
    updated = api.ok(
        "PUT",
        f"/requests/{created['id']}",
        json={
            "lastUpdated": created["lastUpdated"],
            "fields": {"Context_Title": "Invoice", "Context_Description": "Charged twice in May"},
        },
    )
    assert updated["fields"] == {"Context_Title": "Invoice", "Context_Description": "Charged twice in May"}


def test_description_over_2000_characters_is_refused(api, customer):
    """The 2,000 limit applies to request fields too, naming the field."""
    created = api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})
    error = api.error(
        "PUT",
        f"/requests/{created['id']}",
        400,
        "VALIDATION_FAILED",
        json={"lastUpdated": created["lastUpdated"], "fields": {"Context_Description": "d" * 2001}},
    )
    assert error["field"] == "Context_Description" and error["limit"] == 2000


def test_stale_request_update_is_refused_with_the_current_request(api, customer):
    """409 CONFLICT with the stored request for the caution notice."""
    created = api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})
    api.ok(
        "PUT",
        f"/requests/{created['id']}",
        json={"lastUpdated": created["lastUpdated"], "fields": {"Context_Title": "Mine"}},
    )
    error = api.error(
        "PUT",
        f"/requests/{created['id']}",
        409,
        "CONFLICT",
        json={"lastUpdated": created["lastUpdated"], "fields": {"Context_Title": "Theirs"}},
    )
    assert error["current"]["fields"]["Context_Title"] == "Mine"


def test_closed_request_shows_its_closed_date_and_cannot_be_changed(api, customer, close_requests):
    """After 5 quiet days: state closed, closedAt set, updates refused with REQUEST_CLOSED."""
    created = api.ok("POST", "/requests", 201, json={"customerId": customer["id"]})
    close_requests()
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    closed = journey["requests"][0]
    assert closed["state"] == "closed" and closed["closedAt"] == closed["lastUpdated"]
    api.error(
        "PUT",
        f"/requests/{created['id']}",
        409,
        "REQUEST_CLOSED",
        json={"lastUpdated": closed["lastUpdated"], "fields": {"Context_Title": "Too late"}},
    )
