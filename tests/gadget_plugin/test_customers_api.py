"""Customers through the proxy: look-up by identity, search, create, get, update with conflict detection."""

import pytest

from .conftest import PUT_ANSWERS


def test_created_customer_is_returned_with_display_name_and_normalised_contacts(customer):
    """Create stores the fields; emails lower-case, phones digits with the leading +."""
    assert customer["displayName"] == "Ann Smith"
    assert customer["fields"]["Context_Home_Email"] == "ann.smith@example.com"
    assert customer["fields"]["Context_Mobile_Phone"] == "+15550102030"
    assert customer["fieldsets"] == ["cisco.base.customer"]


def test_get_customer_returns_the_stored_customer(api, customer):
    """GET by id answers the same customer."""
    assert api.ok("GET", f"/customers/{customer['id']}") == customer


def test_unknown_customer_is_not_found(api):
    """404 NOT_FOUND naming the kind of object."""
    error = api.error("GET", "/customers/0b7a5f55-0000-4000-8000-000000000000", 404, "NOT_FOUND")
    assert "customer" in error["message"]


def test_customer_without_any_name_is_shown_as_unknown(api):
    """Display name fallback ends at "Unknown Customer"."""
    created = api.ok("POST", "/customers", 201, json={"fields": {"Context_City": "Split"}})
    assert created["displayName"] == "Unknown Customer"


def test_lookup_by_phone_in_any_format_finds_the_customer(api, customer):
    """Phones are compared as digits: +1 (555) 010-2030 finds +15550102030."""
    found = api.ok("GET", "/customers/lookup", params={"phone": "+1 (555) 010-2030"})
    assert found["count"] == 1
    assert found["matches"][0]["id"] == customer["id"]
    assert "lastContact" in found["matches"][0]


def test_lookup_by_email_ignores_case(api, customer):
    """ANN.SMITH@EXAMPLE.COM finds ann.smith@example.com."""
    found = api.ok("GET", "/customers/lookup", params={"email": "ANN.SMITH@EXAMPLE.COM"})
    assert [m["id"] for m in found["matches"]] == [customer["id"]]


def test_lookup_by_chat_identity_that_is_an_email_finds_the_customer(api, customer):
    """A chat identity holding an address is looked up as an email."""
    found = api.ok("GET", "/customers/lookup", params={"chat": "ann.smith@example.com"})
    assert found["count"] == 1


def test_lookup_returns_zero_one_or_many(api, customer):
    """No match → 0; two customers with one phone → 2, both listed."""
    assert api.ok("GET", "/customers/lookup", params={"phone": "+385911234567"}) == {"matches": [], "count": 0}
    api.ok(
        "POST",
        "/customers",
        201,
        json={"fields": {"Context_First_Name": "Bob", "Context_Work_Phone": "+1-555-010-2030"}},
    )
    found = api.ok("GET", "/customers/lookup", params={"phone": "15550102030"})
    assert found["count"] == 2
    assert {m["displayName"] for m in found["matches"]} == {"Ann Smith", "Bob"}


def test_lookup_without_any_identity_is_refused(api):
    """400 VALIDATION_FAILED naming the field."""
    error = api.error("GET", "/customers/lookup", 400, "VALIDATION_FAILED")
    assert error["field"] == "phone"


def test_search_matches_whole_words_only(api, customer):
    """ "Smith" finds Ann Smith; "Smi" (partial) finds nobody."""
    found = api.ok("GET", "/customers/search", params={"q": "Smith"})
    assert [c["id"] for c in found["customers"]] == [customer["id"]] and found["more"] is False
    assert api.ok("GET", "/customers/search", params={"q": "Smi"})["customers"] == []


def test_search_needs_a_query(api):
    """An empty q is refused, naming q."""
    assert api.error("GET", "/customers/search", 400, "VALIDATION_FAILED", params={"q": " "})["field"] == "q"


def test_search_paging_is_validated(api):
    """maxEntries above 200 is refused with the limit."""
    error = api.error("GET", "/customers/search", 400, "VALIDATION_FAILED", params={"q": "x", "maxEntries": 500})
    assert error["field"] == "maxEntries" and error["limit"] == 200


def test_update_changes_fields_and_keeps_the_others(api, customer):
    """PUT with the current lastUpdated changes the given field only."""
    updated = api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Zagreb"}},
    )
    assert updated["fields"]["Context_City"] == "Zagreb"
    assert updated["fields"]["Context_First_Name"] == "Ann"
    assert updated["lastUpdated"] != customer["lastUpdated"]


@pytest.mark.parametrize("answer", PUT_ANSWERS)
def test_an_update_answers_the_whole_customer_whatever_the_put_answer_holds(api, customer, put_answered, answer):
    """The PUT answer is inferred (reference §2.2): answered only ``{id, lastUpdated}`` or nothing, the update
    still answers the customer with the fields it did not name and the new ``lastUpdated``."""
    put_answered(answer)
    updated = api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Zagreb"}},
    )
    assert updated["fields"]["Context_City"] == "Zagreb" and updated["displayName"] == "Ann Smith"
    assert updated["lastUpdated"] == api.ok("GET", f"/customers/{customer['id']}")["lastUpdated"]
    assert updated["lastUpdated"] != customer["lastUpdated"]


def test_update_can_clear_a_field(api, customer):
    """A field sent as null is removed."""
    updated = api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_Home_Email": None}},
    )
    assert "Context_Home_Email" not in updated["fields"]


def test_stale_last_updated_is_refused_with_conflict_and_the_current_customer(api, customer):
    """Second writer with the old lastUpdated: 409 CONFLICT carrying the stored customer."""
    first = api.ok(
        "PUT",
        f"/customers/{customer['id']}",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Zagreb"}},
    )
    error = api.error(
        "PUT",
        f"/customers/{customer['id']}",
        409,
        "CONFLICT",
        json={"lastUpdated": customer["lastUpdated"], "fields": {"Context_City": "Split"}},
    )
    assert error["current"] == first
    assert api.ok("GET", f"/customers/{customer['id']}")["fields"]["Context_City"] == "Zagreb"


def test_update_without_last_updated_is_refused(api, customer):
    """lastUpdated is required on every update."""
    error = api.error(
        "PUT", f"/customers/{customer['id']}", 400, "VALIDATION_FAILED", json={"fields": {"Context_City": "Split"}}
    )
    assert error["field"] == "lastUpdated"


def test_text_over_2000_characters_is_refused_naming_field_and_limit(api):
    """2,001 characters in a field: 400 naming the field and the 2,000 limit; nothing stored."""
    error = api.error(
        "POST", "/customers", 400, "VALIDATION_FAILED", json={"fields": {"Context_Last_Name": "x" * 2001}}
    )
    assert error["field"] == "Context_Last_Name" and error["limit"] == 2000
    assert api.ok("GET", "/customers/search", params={"q": "x" * 10})["customers"] == []


def test_field_outside_the_customer_fieldsets_is_refused(api):
    """A request field on a customer is not allowed."""
    error = api.error("POST", "/customers", 400, "VALIDATION_FAILED", json={"fields": {"Context_Title": "Hi"}})
    assert error["field"] == "Context_Title"


def test_enum_field_accepts_only_its_options(api):
    """Preferred language must be one of the dictionary's options."""
    error = api.error(
        "POST", "/customers", 400, "VALIDATION_FAILED", json={"fields": {"Context_Preferred_Language": "klingon"}}
    )
    assert error["field"] == "Context_Preferred_Language" and "one of" in error["message"]


def test_body_that_is_not_a_json_object_is_refused(api):
    """A JSON list is not a customer."""
    api.error("POST", "/customers", 400, "BAD_REQUEST", json=["Ann"])


def test_body_over_the_size_limit_is_refused(api):
    """A body over MAX_BODY_BYTES: 413 PAYLOAD_TOO_LARGE with the limit."""
    error = api.error(
        "POST",
        "/customers",
        413,
        "PAYLOAD_TOO_LARGE",
        data="{" + " " * 70000 + "}",
        headers={"Content-Type": "application/json"},
    )
    assert error["limit"] == 64 * 1024


def test_context_service_validation_error_is_passed_on_in_the_one_shape(api):
    """A rule only Context Service knows (an unknown fieldset) comes back as 400 VALIDATION_FAILED naming it."""
    error = api.error(
        "POST", "/customers", 400, "VALIDATION_FAILED", json={"fieldsets": ["no.such.fieldset"], "fields": {}}
    )
    assert error["message"].startswith("Context Service refused the data")
    assert error["field"] == "fieldsets"
