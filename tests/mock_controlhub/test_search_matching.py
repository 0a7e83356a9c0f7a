"""Search matching over HTTP: whole words, case rules per classification, phrases, keys, AND/OR, tags."""

import pytest

PEOPLE = {
    "ana": {
        "Context_First_Name": "Ana",
        "Context_Last_Name": "Kovačić",
        "Context_Home_Email": "ana.kovacic@example.com",
        "Context_Mobile_Phone": "+385911234567",
        "Context_City": "Novi Sad",
    },
    "peter": {"Context_First_Name": "Peter", "Context_Last_Name": "Paul"},
    "bill": {"Context_First_Name": "Bill", "Context_Last_Name": "Peters"},
    "randy": {"Context_First_Name": "Randy", "Context_Last_Name": "Bill"},
    "wy": {"Context_First_Name": "Jo", "Context_City": "Bill", "Context_State": "WY"},
    "mail": {"Context_First_Name": "Kim", "Context_Home_Email": "bill@email.com"},
}


@pytest.fixture()
def people(context_api):
    """The customers of PEOPLE, created oldest first; name -> id."""
    return {name: context_api.customer(**values) for name, values in PEOPLE.items()}


def _found(context_api, path_type="customer", **params):
    return {obj["id"] for obj in context_api.search(path_type, **params)}


def _ids(people, *names):
    return {people[name] for name in names}


def test_word_matches_every_searchable_field(context_api, people):
    """ "Bill" finds first name Bill, last name Bill and city Bill; "bill" finds bill@email.com (PII is exact)."""
    assert _found(context_api, query_string="Bill") == _ids(people, "bill", "randy", "wy")
    assert _found(context_api, query_string="bill") == _ids(people, "mail")


def test_partial_words_never_match(context_api, people):
    """ "Pete" does not find "Peter" nor "Peters"; "Kovač" does not find "Kovačić"."""
    assert _found(context_api, query_string="Pete") == set()
    assert _found(context_api, query_string="Kovač") == set()


def test_pii_and_encrypted_fields_match_case_sensitively(context_api, people):
    """Names are PII: "kovačić" does not find "Kovačić"; "Kovačić" does."""
    assert _found(context_api, query_string="kovačić") == set()
    assert _found(context_api, query_string="Kovačić") == _ids(people, "ana")


def test_unencrypted_fields_match_case_insensitively(context_api):
    """An UNENCRYPTED field (the activity link) matches whatever the case."""
    created = context_api.create(
        "activity",
        {
            "fieldsets": ["cisco.base.pod"],
            "dataElements": [{"Context_POD_Activity_Link": "https://CRM.example.com/Case/7781", "type": "string"}],
        },
    )
    assert _found(context_api, "activity", query_string="crm") == {created["id"]}
    assert _found(context_api, "activity", q="Context_POD_Activity_Link:CASE") == {created["id"]}


def test_punctuation_separates_words(context_api, people):
    """Email and phone punctuation splits words: "kovacic", "example" and "385911234567" match."""
    assert _found(context_api, query_string="kovacic") == _ids(people, "ana")
    assert _found(context_api, query_string="example") == _ids(people, "ana")
    assert _found(context_api, query_string="+385911234567") == _ids(people, "ana")


def test_whole_email_matches_as_one_term(context_api, people):
    """An email typed as is matches the customer with that address only."""
    assert _found(context_api, query_string="ana.kovacic@example.com") == _ids(people, "ana")
    assert _found(context_api, query_string="bill@email.com", operation="or") == _ids(people, "mail")


def test_quoted_phrase_needs_its_words_in_order_in_one_field(context_api, people):
    """ "Novi Sad" matches the city; "Sad Novi" and a phrase across two fields do not."""
    assert _found(context_api, query_string='"Novi Sad"') == _ids(people, "ana")
    assert _found(context_api, query_string='"Sad Novi"') == set()
    assert _found(context_api, query_string='"Ana Kovačić"') == set()


def test_several_words_must_all_match_by_default(context_api, people):
    """Without operation, every word must match (in any field)."""
    assert _found(context_api, query_string="Ana Kovačić") == _ids(people, "ana")
    assert _found(context_api, query_string="Bill Peters") == _ids(people, "bill")


def test_operation_or_matches_any_word(context_api, people):
    """operation=or returns objects matching any term."""
    assert _found(context_api, query_string="Peter Randy", operation="or") == _ids(people, "peter", "randy")


def test_key_scoped_term_matches_that_field_only(context_api, people):
    """Context_First_Name:Bill finds Bill Peters, not Randy Bill."""
    assert _found(context_api, q="Context_First_Name:Bill") == _ids(people, "bill")
    assert _found(context_api, q='Context_City:"Novi Sad"') == _ids(people, "ana")


def test_q_terms_combine_with_free_text(context_api, people):
    """Space-separated q terms and query_string words combine with the operation."""
    assert _found(context_api, q="Context_Last_Name:Bill Context_First_Name:Randy") == _ids(people, "randy")
    assert _found(context_api, q=["Context_Last_Name:Paul", "Context_Last_Name:Peters"], operation="or") == _ids(
        people, "peter", "bill"
    )
    assert _found(context_api, q="Context_City:Bill", query_string="WY") == _ids(people, "wy")


def test_tags_match_whole_words_case_insensitively(context_api):
    """tags:billing finds the tagged activity whatever the case; free text finds tags too."""
    tagged = context_api.activity(tags=["Billing", "late delivery"])
    context_api.activity(tags=["bill"])
    assert _found(context_api, "activity", q="tags:billing") == {tagged}
    assert _found(context_api, "activity", q='tags:"LATE DELIVERY"') == {tagged}
    assert _found(context_api, "activity", query_string="delivery") == {tagged}


def test_phrase_never_spans_two_tags(context_api):
    """Words of different tags are not a phrase."""
    context_api.activity(tags=["late", "delivery"])
    assert _found(context_api, "activity", q='tags:"late delivery"') == set()


def test_type_never_widens_an_or_search(context_api, people):
    """type terms narrow the path type even with operation=or."""
    assert _found(context_api, q="type:request", query_string="Bill", operation="or") == set()
    activity_id = context_api.activity()
    comment = context_api.create(
        "detail", {"type": "detail.comment", "parentId": activity_id, "fieldsets": ["cisco.base.comment"]}
    )
    context_api.create(
        "detail", {"type": "detail.feedback", "parentId": activity_id, "fieldsets": ["cisco.base.rating"]}
    )
    assert _found(context_api, "detail", q=f"type:detail.comment parentId:{activity_id}", operation="or") == {
        comment["id"]
    }


def test_non_searchable_fields_are_ignored(context_api, admin_api, expect_error):
    """Values of a field with searchable false are never found; naming it in q is an error."""
    admin_api.post(
        "/dictionary/field/v1",
        json={
            "id": "Loyalty_Code",
            "classification": "UNENCRYPTED",
            "dataType": "string",
            "searchable": False,
            "translations": {"en_US": "Loyalty code"},
        },
    ).raise_for_status()
    admin_api.post(
        "/dictionary/fieldset/v1", json={"id": "acme.loyalty", "fields": ["Loyalty_Code"]}
    ).raise_for_status()
    context_api.create(
        "customer", {"fieldsets": ["cisco.base.customer", "acme.loyalty"], "dataElements": [{"Loyalty_Code": "GOLD77"}]}
    )
    assert _found(context_api, query_string="GOLD77") == set()
    response = context_api.session.get("/context/v1/customer", params={"q": "Loyalty_Code:GOLD77"})
    expect_error(response, 400, "VALIDATION_ERROR", "field Loyalty_Code is not searchable", field="Loyalty_Code")


def test_updated_values_replace_the_old_words(context_api, people):
    """After an update the old words no longer match and the new ones do."""
    current = context_api.get("customer", people["peter"])
    response = context_api.session.put(
        f"/context/v1/customer/{people['peter']}",
        json={"lastUpdated": current["lastUpdated"], "dataElements": [{"Context_First_Name": "Pierre"}]},
    )
    assert response.status_code == 200
    assert _found(context_api, query_string="Peter") == set()
    assert _found(context_api, query_string="Pierre") == _ids(people, "peter")
