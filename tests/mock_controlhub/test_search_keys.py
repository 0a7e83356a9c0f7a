"""Search keys, ordering, paging and parameter errors over HTTP."""


def _ids(answer):
    return [obj["id"] for obj in answer]


def _advance(controlhub, seconds):
    controlhub.control("POST", "/clock", json={"advanceSeconds": seconds}).raise_for_status()


def _now(controlhub):
    return controlhub.control("GET", "/clock").json()["now"]


def test_results_are_newest_last_updated_first(context_api):
    """Objects come newest lastUpdated first; an update moves an object to the top."""
    first, second, third = (context_api.customer(Context_Last_Name="Horvat") for _ in range(3))
    current = context_api.get("customer", first)
    context_api.session.put(
        f"/context/v1/customer/{first}", json={"lastUpdated": current["lastUpdated"], "tags": ["touched"]}
    ).raise_for_status()
    answer = context_api.search("customer", query_string="Horvat")
    assert _ids(answer) == [first, third, second]


def test_sort_order_and_sorted_by_created(context_api):
    """sortedBy=created with sortOrder=asc lists the oldest created first."""
    ids = [context_api.customer(Context_Last_Name="Horvat") for _ in range(3)]
    assert _ids(context_api.search("customer", sortedBy="created", sortOrder="asc")) == ids


def test_start_index_and_max_entries_page_through_hits(context_api):
    """startIndex/maxEntries page the hits; the mock-only X-Mock-Total-Hits header counts them all."""
    ids = [context_api.customer(Context_Last_Name="Horvat") for _ in range(5)][::-1]
    page = context_api.search("customer", query_string="Horvat", startIndex=2, maxEntries=2)
    assert _ids(page) == ids[2:4]
    assert context_api.total("customer", query_string="Horvat", startIndex=2, maxEntries=2) == 5


def test_id_key_takes_several_ids(context_api):
    """id terms form one set: q=id:a id:b returns both."""
    a, _, c = (context_api.customer(Context_First_Name="Ana") for _ in range(3))
    assert set(_ids(context_api.search("customer", q=f"id:{a} id:{c}"))) == {a, c}


def test_words_after_an_id_are_more_ids_of_the_set(context_api):
    """q=id:a c (the second id without its key) is the set {a, c} too, not a 500 (found while typing the
    search: the words after a value became a tuple that reached SQLite as one parameter)."""
    a, _, c = (context_api.customer(Context_First_Name="Ana") for _ in range(3))
    assert set(_ids(context_api.search("customer", q=f"id:{a} {c}"))) == {a, c}
    assert context_api.total("customer", q=f'id:{a} "{c}" id:{a}') == 2


def test_customer_parent_state_and_media_type_keys(context_api):
    """customerId, parentId, state and mediaType filter on the object's properties."""
    ana, marko = context_api.customer(Context_First_Name="Ana"), context_api.customer(Context_First_Name="Marko")
    request_id = context_api.request(ana)
    chat = context_api.activity(request_id=request_id, media_type="chat")
    voice = context_api.activity(request_id=request_id, media_type="voice")
    context_api.activity(customer_id=marko)
    assert set(_ids(context_api.search("activity", q=f"customerId:{ana}"))) == {chat, voice}
    assert _ids(context_api.search("activity", parentId=request_id, mediaType="chat")) == [chat]
    assert _ids(context_api.search("request", q=f"customerId:{ana} state:active")) == [request_id]


def test_not_exists_finds_activities_without_a_request(context_api):
    """notExists:parentId finds the customer's activities that belong to no request."""
    ana = context_api.customer(Context_First_Name="Ana")
    context_api.activity(request_id=context_api.request(ana))
    loose = context_api.activity(customer_id=ana)
    assert _ids(context_api.search("activity", q=f"customerId:{ana} notExists:parentId")) == [loose]


def test_date_ranges_filter_last_updated_and_created(controlhub, context_api):
    """startDate/endDate bound lastUpdated; startCreatedDate/endCreatedDate bound created."""
    old = context_api.customer(Context_Last_Name="Horvat")
    _advance(controlhub, 600)
    middle = _now(controlhub)
    new = context_api.customer(Context_Last_Name="Horvat")
    assert _ids(context_api.search("customer", startDate=middle)) == [new]
    assert _ids(context_api.search("customer", q=f"endDate:{middle}")) == [old]
    assert _ids(context_api.search("customer", startCreatedDate=middle, query_string="Horvat")) == [new]
    assert _ids(context_api.search("customer", endCreatedDate=middle)) == [old]


def test_summary_returns_ids_only(context_api):
    """summary=true answers ``[{id, refUrl}]`` (up to 100,000 per page) instead of whole objects (inferred)."""
    ids = [context_api.customer(Context_Last_Name="Horvat") for _ in range(3)][::-1]
    answer = context_api.search("customer", summary="true", query_string="Horvat")
    assert answer == [{"id": i, "refUrl": f"/context/v1/customer/{i}"} for i in ids]


def test_max_entries_above_200_is_refused(context_api, expect_error):
    """maxEntries is at most 200 for full objects."""
    response = context_api.session.get("/context/v1/customer", params={"maxEntries": 201})
    expect_error(response, 400, "VALIDATION_ERROR", "maxEntries must be from 1 to 200", field="maxEntries", limit=200)


def test_start_index_beyond_sqlites_integers_is_refused_naming_the_limit(context_api, expect_error):
    """startIndex is at most 2**63 - 1 (before: a larger one reached SQLite and answered 500); a negative one
    is refused with the same limit."""
    for start in (2**63, 10**30, -1):
        response = context_api.session.get("/context/v1/customer", params={"startIndex": start})
        expect_error(
            response, 400, "VALIDATION_ERROR", "startIndex must be from 0 to", field="startIndex", limit=2**63 - 1
        )
    assert context_api.search("customer", startIndex=2**63 - 1) == []


def test_summary_max_entries_above_100000_is_refused(context_api, expect_error):
    """A summary page holds at most 100,000 ids."""
    response = context_api.session.get("/context/v1/customer", params={"summary": "true", "maxEntries": 100001})
    expect_error(response, 400, "VALIDATION_ERROR", "from 1 to 100000", field="maxEntries", limit=100000)


def test_unknown_search_parameter_is_refused(context_api, expect_error):
    """A misspelt parameter is named, with the accepted ones."""
    response = context_api.session.get("/context/v1/customer", params={"maxEntry": 5})
    expect_error(response, 400, "BAD_REQUEST", "Unknown search parameter 'maxEntry'", "maxEntries", field="maxEntry")


def test_unknown_key_in_q_is_refused(context_api, expect_error):
    """A q key that is neither a search key nor a field is named."""
    response = context_api.session.get("/context/v1/customer", params={"q": "first_name:Thomas"})
    expect_error(
        response, 400, "VALIDATION_ERROR", "first_name is neither a search key nor a field", field="first_name"
    )


def test_q_term_without_a_key_is_refused(context_api, expect_error):
    """q holds key:value terms only."""
    response = context_api.session.get("/context/v1/customer", params={"q": "Thomas"})
    expect_error(response, 400, "BAD_REQUEST", "terms are key:value", field="q")


def test_unbalanced_quote_is_refused(context_api, expect_error):
    """A query_string with an odd number of double quotes is an error."""
    response = context_api.session.get("/context/v1/customer", params={"query_string": '"Novi Sad'})
    expect_error(response, 400, "BAD_REQUEST", "unbalanced double quote", field="query_string")


def test_invalid_operation_is_refused(context_api, expect_error):
    """operation is and or or."""
    response = context_api.session.get("/context/v1/customer", params={"operation": "xor"})
    expect_error(response, 400, "VALIDATION_ERROR", "operation must be and or or", field="operation")


def test_invalid_date_is_refused(context_api, expect_error):
    """Date keys take RFC 3339 timestamps."""
    response = context_api.session.get("/context/v1/customer", params={"startDate": "yesterday"})
    expect_error(response, 400, "VALIDATION_ERROR", "startDate must be an RFC 3339 timestamp", field="startDate")


def test_invalid_state_is_refused(context_api, expect_error):
    """state is active or closed."""
    response = context_api.session.get("/context/v1/request", params={"q": "state:open"})
    expect_error(response, 400, "VALIDATION_ERROR", "state must be one of active, closed", field="state")


def test_too_many_terms_are_refused(context_api, expect_error):
    """A search takes at most 50 terms."""
    response = context_api.session.get("/context/v1/customer", params={"query_string": " ".join(["a"] * 51)})
    expect_error(response, 400, "VALIDATION_ERROR", "at most 50 terms", field="q", limit=50)


def test_term_without_words_is_refused(context_api, expect_error):
    """A term made of punctuation only has nothing to search for."""
    response = context_api.session.get("/context/v1/customer", params={"query_string": "--"})
    expect_error(response, 400, "VALIDATION_ERROR", "has no words to search for", field="query_string")
