"""Context Service objects over HTTP: create, get, wire shape, associations and property validation."""

import re

import pytest

RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def test_create_answers_201_with_id_ref_url_and_last_updated(context_api):
    """POST answers 201 {id, refUrl, lastUpdated}, a Location header and a trackingid header."""
    response = context_api.session.post(
        "/context/v1/customer",
        json={"fieldsets": ["cisco.base.customer"], "dataElements": [{"Context_First_Name": "Ana", "type": "string"}]},
    )
    assert response.status_code == 201
    answer = response.json()
    assert set(answer) == {"id", "refUrl", "lastUpdated"}
    assert answer["refUrl"] == f"/context/v1/customer/{answer['id']}"
    assert response.headers["Location"] == answer["refUrl"]
    assert RFC3339_MS.match(answer["lastUpdated"])
    assert response.headers["trackingid"]


def test_get_returns_every_property_in_the_wire_shape(context_api):
    """GET returns type, links, mediaType, state, fieldsets, raw dataElements, tags, contributors, times."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    request_id = context_api.request(customer_id)
    created = context_api.create(
        "activity",
        {
            "customerId": customer_id,
            "parentId": request_id,
            "mediaType": "chat",
            "fieldsets": ["cisco.base.pod"],
            "dataElements": [{"key": "Context_Notes", "value": "Asked about the bill", "type": "string"}],
            "tags": ["billing"],
            "contributors": [{"type": "USER", "username": "agent1001"}],
        },
    )
    activity = context_api.get("activity", created["id"])
    assert activity == {
        "id": created["id"],
        "type": "activity",
        "refUrl": created["refUrl"],
        "customerId": customer_id,
        "parentId": request_id,
        "mediaType": "chat",
        "state": "active",
        "fieldsets": ["cisco.base.pod"],
        "dataElements": [{"Context_Notes": "Asked about the bill", "type": "string"}],
        "tags": ["billing"],
        "contributors": [{"type": "USER", "username": "agent1001"}],
        "created": created["lastUpdated"],
        "lastUpdated": created["lastUpdated"],
    }


def test_pod_is_an_alias_of_activity(context_api):
    """An activity created under /pod is the same object under /activity."""
    created = context_api.create("pod", {"type": "pod", "mediaType": "voice", "fieldsets": ["cisco.base.pod"]})
    assert context_api.get("activity", created["id"])["type"] == "activity"
    assert context_api.get("pod", created["id"])["id"] == created["id"]


def test_ref_urls_are_accepted_for_customer_and_parent(context_api):
    """customerRefUrl and parentRefUrl (absolute or relative) link like customerId and parentId."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    request_id = context_api.request(customer_id)
    created = context_api.create(
        "activity",
        {
            "customerRefUrl": f"http://cs.example.com/context/v1/customer/{customer_id}",
            "parentRefUrl": f"/context/v1/request/{request_id}",
            "fieldsets": ["cisco.base.pod"],
        },
    )
    activity = context_api.get("activity", created["id"])
    assert (activity["customerId"], activity["parentId"]) == (customer_id, request_id)


def test_activity_under_a_request_takes_the_request_customer(context_api):
    """An activity given only its request belongs to the request's customer."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    activity_id = context_api.activity(request_id=context_api.request(customer_id))
    assert context_api.get("activity", activity_id)["customerId"] == customer_id


def test_comment_is_a_closed_detail_under_an_activity(context_api):
    """detail.comment under an activity is stored closed with its cisco.base.comment elements."""
    activity_id = context_api.activity()
    created = context_api.create(
        "detail",
        {
            "type": "detail.comment",
            "parentId": activity_id,
            "fieldsets": ["cisco.base.comment"],
            "dataElements": [{"Context_Comment": "Call back at 5", "type": "string"}, {"Context_Visible": True}],
        },
    )
    detail = context_api.get("detail", created["id"])
    assert (detail["type"], detail["state"], detail["parentId"]) == ("detail.comment", "closed", activity_id)
    assert detail["dataElements"][1] == {"Context_Visible": True, "type": "boolean"}


def test_unknown_object_is_not_found(context_api, expect_error):
    """GET of an unknown id answers 404 NOT_FOUND naming the id."""
    response = context_api.session.get("/context/v1/customer/7d0b8f39-0000-4000-8000-000000000000")
    expect_error(response, 404, "NOT_FOUND", "No customer with id 7d0b8f39", field="id")


def test_unknown_object_type_is_not_found(context_api, expect_error):
    """An unknown type in the path answers 404 NOT_FOUND listing the types."""
    response = context_api.session.post("/context/v1/ticket", json={"fieldsets": ["cisco.base.pod"]})
    expect_error(response, 404, "NOT_FOUND", "Unknown object type 'ticket'", "customer", field="type")


def test_request_without_customer_is_refused(context_api, expect_error):
    """A request must name its customer."""
    response = context_api.session.post("/context/v1/request", json={"fieldsets": ["cisco.base.request"]})
    expect_error(response, 400, "VALIDATION_ERROR", "must be associated with a customer", field="customerId")


def test_request_with_unknown_customer_is_refused(context_api, expect_error):
    """A request's customer must exist in the same partition."""
    lab_customer = context_api.customer(lab=True, Context_First_Name="Ana")
    response = context_api.session.post(
        "/context/v1/request", json={"customerId": lab_customer, "fieldsets": ["cisco.base.request"]}
    )
    expect_error(
        response, 400, "VALIDATION_ERROR", f"no customer with id {lab_customer} in production mode", field="customerId"
    )


def test_detail_without_parent_is_refused(context_api, expect_error):
    """A detail must be associated with a request or an activity."""
    response = context_api.session.post(
        "/context/v1/detail", json={"type": "detail.comment", "fieldsets": ["cisco.base.comment"]}
    )
    expect_error(response, 400, "VALIDATION_ERROR", "request or an activity", field="parentId")


def test_detail_parent_must_be_request_or_activity(context_api, expect_error):
    """A customer is not a valid detail parent."""
    customer_id = context_api.customer(Context_First_Name="Ana")
    response = context_api.session.post(
        "/context/v1/detail",
        json={"type": "detail.comment", "parentId": customer_id, "fieldsets": ["cisco.base.comment"]},
    )
    expect_error(response, 400, "VALIDATION_ERROR", "no request or activity with id", field="parentId")


def test_detail_type_must_be_a_detail_type(context_api, expect_error):
    """POST /detail with a type takes detail.comment or detail.feedback only."""
    response = context_api.session.post(
        "/context/v1/detail",
        json={"type": "detail.note", "parentId": context_api.activity(), "fieldsets": ["cisco.base.comment"]},
    )
    expect_error(response, 400, "VALIDATION_ERROR", "detail.comment or detail.feedback", field="type")


def test_customer_cannot_have_a_parent(context_api, expect_error):
    """Customers are not associated with other objects."""
    response = context_api.session.post(
        "/context/v1/customer", json={"parentId": context_api.activity(), "fieldsets": ["cisco.base.customer"]}
    )
    expect_error(response, 400, "VALIDATION_ERROR", "cannot be associated", field="parentId")


def test_activity_request_of_another_customer_is_refused(context_api, expect_error):
    """An activity's request must belong to the activity's customer."""
    ana = context_api.customer(Context_First_Name="Ana")
    marko = context_api.customer(Context_First_Name="Marko")
    response = context_api.session.post(
        "/context/v1/activity",
        json={"customerId": marko, "parentId": context_api.request(ana), "fieldsets": ["cisco.base.pod"]},
    )
    expect_error(response, 400, "VALIDATION_ERROR", "belongs to another customer", field="parentId")


def test_ref_url_of_the_wrong_type_is_refused(context_api, expect_error):
    """customerRefUrl must point at /context/v1/customer/<id>."""
    response = context_api.session.post(
        "/context/v1/request", json={"customerRefUrl": "/context/v1/request/abc", "fieldsets": ["cisco.base.request"]}
    )
    expect_error(
        response,
        400,
        "VALIDATION_ERROR",
        "customerRefUrl must look like /context/v1/{customer}/<id>",
        field="customerRefUrl",
    )


@pytest.mark.parametrize("fieldsets", [[], None])
def test_object_needs_at_least_one_fieldset(context_api, expect_error, fieldsets):
    """fieldsets must list at least one fieldset."""
    response = context_api.session.post("/context/v1/customer", json={"fieldsets": fieldsets})
    expect_error(response, 400, "VALIDATION_ERROR", "at least one fieldset", field="fieldsets", limit=1)


def test_unknown_fieldset_is_refused(context_api, expect_error):
    """Every fieldset must exist in the dictionary."""
    response = context_api.session.post("/context/v1/customer", json={"fieldsets": ["acme.loyalty"]})
    expect_error(response, 400, "VALIDATION_ERROR", "Fieldset acme.loyalty does not exist", field="fieldsets")


def test_data_element_outside_the_fieldsets_is_refused(context_api, expect_error):
    """A data element must be a field of one of the object's fieldsets."""
    response = context_api.session.post(
        "/context/v1/customer",
        json={"fieldsets": ["cisco.base.customer"], "dataElements": [{"Context_Notes": "hello", "type": "string"}]},
    )
    expect_error(
        response,
        400,
        "VALIDATION_ERROR",
        "Context_Notes is not a field of the object's fieldsets",
        field="Context_Notes",
    )


@pytest.mark.parametrize(
    "element",
    [
        {"Context_Visible": "yes"},
        {"Context_Visible": True, "type": "string"},
    ],
)
def test_data_element_of_the_wrong_type_is_refused(context_api, expect_error, element):
    """A value (or declared type) that does not match the field's dataType is an ELEMENT_DATA_TYPE_ERROR."""
    response = context_api.session.post(
        "/context/v1/detail",
        json={
            "type": "detail.comment",
            "parentId": context_api.activity(),
            "fieldsets": ["cisco.base.comment"],
            "dataElements": [element],
        },
    )
    expect_error(
        response, 400, "ELEMENT_DATA_TYPE_ERROR", "DataElements type mismatch: Context_Visible", field="Context_Visible"
    )


def test_integer_element_outside_32_bits_is_refused(context_api, expect_error):
    """integer fields hold 32-bit values."""
    response = context_api.session.post(
        "/context/v1/detail",
        json={
            "type": "detail.feedback",
            "parentId": context_api.activity(),
            "fieldsets": ["cisco.base.rating"],
            "dataElements": [{"cccRatingPoints": 2**31, "type": "integer"}],
        },
    )
    expect_error(response, 400, "ELEMENT_DATA_TYPE_ERROR", "cccRatingPoints must be a integer", field="cccRatingPoints")


def test_enum_value_must_be_an_active_option(context_api, expect_error):
    """A single-select field takes only its options."""
    response = context_api.session.post(
        "/context/v1/customer",
        json={"fieldsets": ["cisco.base.customer"], "dataElements": [{"Context_Preferred_Language": "xx-XX"}]},
    )
    expect_error(
        response,
        400,
        "VALIDATION_ERROR",
        "'xx-XX' is not an option of Context_Preferred_Language",
        field="Context_Preferred_Language",
    )


def test_repeated_data_element_is_refused(context_api, expect_error):
    """A field appears once among the data elements."""
    response = context_api.session.post(
        "/context/v1/customer",
        json={
            "fieldsets": ["cisco.base.customer"],
            "dataElements": [{"Context_First_Name": "Ana"}, {"Context_First_Name": "Ivana"}],
        },
    )
    expect_error(response, 400, "VALIDATION_ERROR", "given more than once", field="Context_First_Name")


def test_media_type_outside_the_list_is_refused(context_api, expect_error):
    """mediaType is one of chat, email, event, mobile, social, video, voice, web."""
    response = context_api.session.post(
        "/context/v1/activity", json={"mediaType": "fax", "fieldsets": ["cisco.base.pod"]}
    )
    expect_error(
        response, 400, "VALIDATION_ERROR", "Media type: fax for activity object is invalid.", field="mediaType"
    )


def test_media_type_on_a_customer_is_refused(context_api, expect_error):
    """mediaType belongs to activities only."""
    response = context_api.session.post(
        "/context/v1/customer", json={"mediaType": "voice", "fieldsets": ["cisco.base.customer"]}
    )
    expect_error(response, 400, "VALIDATION_ERROR", "mediaType applies to activities only", field="mediaType")


def test_malformed_contributor_is_refused(context_api, expect_error):
    """Contributors are {type: USER|MACHINE, username}."""
    response = context_api.session.post(
        "/context/v1/activity",
        json={"fieldsets": ["cisco.base.pod"], "contributors": [{"type": "ROBOT", "username": "x"}]},
    )
    expect_error(response, 400, "VALIDATION_ERROR", "USER", field="contributors")


def test_object_over_256_kb_is_refused_with_413(context_api, expect_error):
    """An object larger than 256 KB answers 413 PAYLOAD_TOO_LARGE with the limit; nothing is stored."""
    response = context_api.session.post(
        "/context/v1/customer",
        json={"fieldsets": ["cisco.base.customer"], "dataElements": [{"Context_City": "x" * (256 * 1024)}]},
    )
    expect_error(response, 413, "PAYLOAD_TOO_LARGE", "at most 262144 bytes", limit=262144)
    assert context_api.total("customer") == 0


def test_object_just_under_256_kb_is_stored(context_api):
    """Objects up to the limit are accepted (multi-byte text counts in bytes)."""
    customer_id = context_api.customer(Context_City="č" * 120_000)
    assert len(context_api.get("customer", customer_id)["dataElements"][0]["Context_City"]) == 120_000
