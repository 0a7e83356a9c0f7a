"""Context Service object rules over HTTP: optimistic concurrency, closed objects, auto-close, partitions,
delete and flush, authorization and the fieldset in-use status."""

import datetime as dt

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity

LAB = {"cisco-context-labmode": "true"}
DAY = 24 * 3600


def _put(context_api, path_type, object_id, body, headers=None):
    return context_api.session.put(f"/context/v1/{path_type}/{object_id}", json=body, headers=headers or {})


def _advance(controlhub, context_api, tokens, seconds):
    """Move the mock clock, then take a fresh token (the old one expired on the way): ``tokens`` is
    ``(machine_flow, machine_account, registration)``."""
    controlhub.control("POST", "/clock", json={"advanceSeconds": seconds}).raise_for_status()
    flow, account, registration = tokens
    token = flow.grant(account, registration["client_id"], registration["client_secret"]).json()
    context_api.session.headers["Authorization"] = f"Bearer {token['access_token']}"


def _parse(stamp):
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_update_with_current_last_updated_changes_given_properties_only(context_api):
    """A PUT with the stored lastUpdated replaces the properties it carries and keeps the others."""
    customer_id = context_api.customer(tags=["vip"], Context_First_Name="Ana")
    current = context_api.get("customer", customer_id)
    response = _put(
        context_api,
        "customer",
        customer_id,
        {"lastUpdated": current["lastUpdated"], "dataElements": [{"Context_First_Name": "Ana Marija"}]},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["dataElements"] == [{"Context_First_Name": "Ana Marija", "type": "string"}]
    assert updated["tags"] == ["vip"]
    assert context_api.get("customer", customer_id) == updated


def test_each_update_sets_a_strictly_later_last_updated(context_api):
    """lastUpdated grows with every update, even several within one millisecond."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    stamps = [context_api.get("customer", customer_id)["lastUpdated"]]
    for name in ("Ana", "Ane", "Anu"):
        response = _put(
            context_api,
            "customer",
            customer_id,
            {"lastUpdated": stamps[-1], "dataElements": [{"Context_First_Name": name}]},
        )
        assert response.status_code == 200, response.text
        stamps.append(response.json()["lastUpdated"])
    assert [_parse(s) for s in stamps] == sorted({_parse(s) for s in stamps})


def test_stale_last_updated_is_refused_with_conflict_and_the_current_object(context_api, expect_error):
    """A PUT carrying an old lastUpdated answers 409 CONFLICT with the stored object as current."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    first = context_api.get("customer", customer_id)
    assert (
        _put(
            context_api, "customer", customer_id, {"lastUpdated": first["lastUpdated"], "tags": ["other agent"]}
        ).status_code
        == 200
    )
    response = _put(context_api, "customer", customer_id, {"lastUpdated": first["lastUpdated"], "tags": ["mine"]})
    error = expect_error(response, 409, "CONFLICT", f"customer {customer_id} was changed at", field="lastUpdated")
    assert error["current"] == context_api.get("customer", customer_id)
    assert error["current"]["tags"] == ["other agent"]


def test_update_without_last_updated_is_refused(context_api, expect_error):
    """lastUpdated is required on update."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    response = _put(context_api, "customer", customer_id, {"tags": ["x"]})
    expect_error(response, 400, "VALIDATION_ERROR", "lastUpdated is required", field="lastUpdated")


def test_invalid_update_leaves_the_object_unchanged(context_api, expect_error):
    """A refused update stores nothing, not even a new lastUpdated."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    before = context_api.get("customer", customer_id)
    response = _put(
        context_api,
        "customer",
        customer_id,
        {"lastUpdated": before["lastUpdated"], "dataElements": [{"Context_Notes": "x"}]},
    )
    expect_error(response, 400, "VALIDATION_ERROR", field="Context_Notes")
    assert context_api.get("customer", customer_id) == before


def test_details_refuse_updates(context_api, expect_error):
    """Details are created closed and cannot be updated."""
    detail = context_api.create(
        "detail", {"type": "detail.comment", "parentId": context_api.activity(), "fieldsets": ["cisco.base.comment"]}
    )
    response = _put(context_api, "detail", detail["id"], {"lastUpdated": detail["lastUpdated"], "tags": ["x"]})
    expect_error(response, 400, "OBJECT_CLOSED", "Details are always closed", field="state")


def test_closed_request_refuses_updates(context_api, expect_error):
    """A request closed by a client cannot be updated any more."""
    request_id = context_api.request(context_api.customer(Context_First_Name="Ana"))
    current = context_api.get("request", request_id)
    closed = _put(context_api, "request", request_id, {"lastUpdated": current["lastUpdated"], "state": "closed"})
    assert closed.json()["state"] == "closed"
    response = _put(context_api, "request", request_id, {"lastUpdated": closed.json()["lastUpdated"], "tags": ["x"]})
    expect_error(response, 400, "OBJECT_CLOSED", "Closed requests cannot be updated", field="state")


def test_request_closes_five_days_after_its_last_activity(
    controlhub, context_api, registration, machine_flow, machine_account
):
    """Auto-close counts from the newest activity update; lastUpdated becomes the closing moment."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    request_id = context_api.request(customer_id)
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), 4 * DAY)
    activity = context_api.create("activity", {"parentId": request_id, "fieldsets": ["cisco.base.pod"]})
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), 4 * DAY)
    assert context_api.get("request", request_id)["state"] == "active"
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), DAY + 60)
    request = context_api.get("request", request_id)
    assert request["state"] == "closed"
    assert _parse(request["lastUpdated"]) - _parse(activity["lastUpdated"]) == dt.timedelta(days=5)
    closed = context_api.search("request", q=f"customerId:{customer_id} state:closed")
    assert [r["id"] for r in closed] == [request_id]


def test_activity_update_keeps_its_request_open(controlhub, context_api, registration, machine_flow, machine_account):
    """Updating an activity counts as activity on its request."""
    request_id = context_api.request(context_api.customer(Context_First_Name="Ana"))
    activity_id = context_api.activity(request_id=request_id)
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), 4 * DAY)
    current = context_api.get("activity", activity_id)
    assert (
        _put(
            context_api, "activity", activity_id, {"lastUpdated": current["lastUpdated"], "tags": ["billing"]}
        ).status_code
        == 200
    )
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), 4 * DAY)
    assert context_api.get("request", request_id)["state"] == "active"


def test_activity_cannot_move_into_or_out_of_a_closed_request(
    controlhub, context_api, registration, expect_error, machine_flow, machine_account
):
    """An activity moves only between open requests."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    old_request = context_api.request(customer_id)
    stuck = context_api.activity(request_id=old_request)
    _advance(controlhub, context_api, (machine_flow, machine_account, registration), 6 * DAY)
    open_request = context_api.request(customer_id)
    free = context_api.activity(customer_id=customer_id)
    current = context_api.get("activity", free)
    response = _put(context_api, "activity", free, {"lastUpdated": current["lastUpdated"], "parentId": old_request})
    expect_error(response, 400, "OBJECT_CLOSED", f"Request {old_request} is closed", field="parentId")
    current = context_api.get("activity", stuck)
    response = _put(context_api, "activity", stuck, {"lastUpdated": current["lastUpdated"], "parentId": open_request})
    expect_error(response, 400, "OBJECT_CLOSED", "belongs to closed request", field="parentId")


def test_activity_moves_to_another_customer_and_open_request(context_api):
    """Changing customerId and parentId together moves an activity to another customer's request."""
    ana, marko = context_api.customer(Context_First_Name="Ana"), context_api.customer(Context_First_Name="Marko")
    activity_id = context_api.activity(request_id=context_api.request(ana))
    target = context_api.request(marko)
    current = context_api.get("activity", activity_id)
    moved = _put(
        context_api,
        "activity",
        activity_id,
        {"lastUpdated": current["lastUpdated"], "customerId": marko, "parentId": target},
    ).json()
    assert (moved["customerId"], moved["parentId"]) == (marko, target)


def test_lab_and_production_are_separate_partitions(context_api, expect_error):
    """An object created in lab mode is invisible in production, by id and by search."""
    customer_id = context_api.customer(lab=True, Context_Last_Name="Kovačić")
    assert context_api.get("customer", customer_id, lab=True)["id"] == customer_id
    response = context_api.session.get(f"/context/v1/customer/{customer_id}")
    expect_error(response, 404, "NOT_FOUND", "in production mode", field="id")
    assert context_api.total("customer", query_string="Kovačić") == 0
    assert context_api.total("customer", lab=True, query_string="Kovačić") == 1


def test_delete_is_refused_in_production(context_api, expect_error):
    """Objects cannot be deleted in production mode."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    response = context_api.session.delete(f"/context/v1/customer/{customer_id}")
    expect_error(response, 403, "LAB_MODE_ONLY", "lab mode only")
    assert context_api.get("customer", customer_id)["id"] == customer_id


def test_delete_in_lab_mode_removes_the_object_and_its_index(context_api):
    """A lab delete answers 204; the object is gone from get and search."""
    customer_id = context_api.customer(lab=True, Context_Last_Name="Kovačić")
    assert context_api.session.delete(f"/context/v1/customer/{customer_id}", headers=LAB).status_code == 204
    assert context_api.session.get(f"/context/v1/customer/{customer_id}", headers=LAB).status_code == 404
    assert context_api.total("customer", lab=True, query_string="Kovačić") == 0


def test_flush_empties_one_type_of_the_lab_partition(context_api):
    """DELETE /context/v1/{type} in lab mode flushes that type only and reports the count."""
    customer_id = context_api.customer(lab=True, Context_First_Name="Ana")
    context_api.customer(lab=True, Context_First_Name="Marko")
    context_api.request(customer_id, lab=True)
    production_id = context_api.customer(Context_First_Name="Ivana")
    response = context_api.session.delete("/context/v1/customer", headers=LAB)
    assert response.json() == {"completed": True, "numberFlushed": 2, "message": "Flushed 2 customer object(s)."}
    assert context_api.total("customer", lab=True) == 0
    assert context_api.total("request", lab=True) == 1
    assert context_api.get("customer", production_id)["id"] == production_id


def test_flush_is_refused_in_production(context_api, expect_error):
    """Flush works in lab mode only."""
    expect_error(context_api.session.delete("/context/v1/customer"), 403, "LAB_MODE_ONLY", "lab mode only")


def test_invalid_lab_mode_header_is_refused(context_api, expect_error):
    """cisco-context-labmode must be true or false."""
    response = context_api.session.get("/context/v1/customer", headers={"cisco-context-labmode": "yes"})
    expect_error(response, 400, "BAD_REQUEST", "must be true or false", field="cisco-context-labmode")


def test_body_far_over_the_object_limit_is_refused_unread(context_api, expect_error):
    """A body no 256 KB object could need answers 413 before it is parsed."""
    response = context_api.session.post(
        "/context/v1/customer",
        data=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    expect_error(response, 413, "PAYLOAD_TOO_LARGE", "more than any object", limit=262144)


def test_object_api_needs_a_bearer_token(anonymous_api, expect_error):
    """Without a token the object API answers 401; ping does not need one."""
    expect_error(anonymous_api.get("/context/v1/customer"), 401, "UNAUTHORIZED", "Missing bearer token")
    assert anonymous_api.get("/context/v1/ping").json() == {"message": "Context Service is available."}


def test_writes_need_the_pod_write_scope(controlhub, make_api, expect_error):
    """A token with pod_read only may search but not create."""
    token = identity.issue_token(get_backend(controlhub.app), "access", "reader", identity.SCOPE_READ)
    api = make_api(controlhub.url, {"Authorization": f"Bearer {token['access_token']}"})
    assert api.get("/context/v1/customer").status_code == 200
    response = api.post("/context/v1/customer", json={"fieldsets": ["cisco.base.customer"]})
    expect_error(response, 403, "FORBIDDEN", identity.SCOPE_WRITE)


def test_org_without_entitlement_is_refused(controlhub, context_api, expect_error):
    """The object API answers 403 NOT_ENTITLED when the org lost the contact-center-context entitlement."""
    identity.set_entitlement(get_backend(controlhub.app), False)
    expect_error(context_api.session.get("/context/v1/customer"), 403, "NOT_ENTITLED", "not entitled")


def test_fieldset_is_in_use_while_an_object_references_it(context_api):
    """The dictionary's fieldset status follows the objects that use the fieldset."""

    def in_use():
        return context_api.session.get("/dictionary/fieldset/v1/status/cisco.base.request").json()["status"]["inUse"]

    assert in_use() is False
    request_id = context_api.request(context_api.customer(lab=True, Context_First_Name="Ana"), lab=True)
    assert in_use() is True
    context_api.session.delete(f"/context/v1/request/{request_id}", headers=LAB)
    assert in_use() is False


def test_a_detail_without_type_and_with_fieldsets_not_a_list_is_a_validation_error(context_api, expect_error):
    """A detail sent without ``type`` picks comment or feedback from its fieldsets; fieldsets that are not a
    list (a number) are the client's error naming ``fieldsets`` (found by mypy: it was a 500 TypeError)."""
    parent = context_api.activity()
    for fieldsets in (5, None, {"id": "cisco.base.rating"}):
        body = {"parentId": parent, "fieldsets": fieldsets}
        response = context_api.session.post("/context/v1/detail", json=body)
        expect_error(response, 400, "VALIDATION_ERROR", "at least one fieldset", field="fieldsets")
