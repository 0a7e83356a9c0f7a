"""GET /api/v1/screen-pop: the look-up and, for a single match, its journey, in one answer (issue #14 item 1)."""


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
