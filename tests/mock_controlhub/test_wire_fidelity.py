"""The mock accepts what the real Context Service accepts from Cisco's own clients (issue #11, "Why" 1-6).

Sources (keys of ../shared/reference/context-service.md §0):
- [CSU] github.com/ccondry/cs-utils, ``test/test.js`` and ``lib/data-object.js`` — a raw REST client run
  against the real service: it reads search answers as a bare array (``rsp.length``, ``rsp[0]``), creates a
  detail with ``POST /context/v1/detail`` and no ``type``, searches ``Context_Title:Mocha test request``,
  sends the GET answer back as the update body, and creates fields/fieldsets with Control Hub's UI
  properties (``classificationUI``, ``dataTypeUI``, ``dataTypeValue``, ``publiclyAccessibleUI``).
- [CSU commit fd317df] every answer carries a ``trackingid`` header, which clients copy into ``trackingId``.
- [SAMPLE] CiscoDevNet/context-service-sample-code: activities searched by ``requestId`` (issue #11, Why 6).
"""

import pytest


MOCHA_FIELD = {  # [CSU] test/test.js "lib.adminDataObject.create() - field"
    "id": "Mocha_Test_Field",
    "description": "Mocha Test Field",
    "classification": "UNENCRYPTED",
    "classificationUI": "Unencrypted",
    "dataType": "string",
    "dataTypeUI": "",
    "dataTypeValue": {"label": "Short Text", "value": "string"},
    "translations": {"en_US": "Mocha Test"},
    "searchable": True,
    "publiclyAccessible": False,
    "publiclyAccessibleUI": "",
}
MOCHA_FIELDSET = {  # [CSU] test/test.js "lib.adminDataObject.create() - fieldset"
    "id": "Mocha_Test_Fieldset",
    "description": "Mocha Test Fieldset",
    "fields": ["Mocha_Test_Field"],
    "inactiveFields": [],
    "publiclyAccessible": False,
    "publiclyAccessibleUI": "",
}
UI_PROPERTIES = ("classificationUI", "dataTypeUI", "dataTypeValue", "publiclyAccessibleUI")


def test_object_search_answers_a_bare_json_array_of_objects(context_api):
    """Why 1: ``GET /context/v1/customer?q=…`` answers ``[ {...}, … ]``, read as ``rsp.length``, ``rsp[0].id``."""
    customer_id = context_api.customer(Context_Last_Name="Test", Context_First_Name="Mocha")
    response = context_api.session.get("/context/v1/customer", params={"q": "Context_Last_Name:Test"})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert isinstance(answer, list)
    assert len(answer) == 1 and answer[0]["id"] == customer_id


def test_search_pages_by_start_index_and_max_entries_with_the_total_only_in_a_mock_header(context_api):
    """Why 1: paging stays startIndex/maxEntries; the total is only in the mock-only X-Mock-Total-Hits header."""
    ids = [context_api.customer(Context_Last_Name="Horvat") for _ in range(5)][::-1]
    response = context_api.session.get(
        "/context/v1/customer", params={"q": "Context_Last_Name:Horvat", "startIndex": 2, "maxEntries": 2}
    )
    assert [obj["id"] for obj in response.json()] == ids[2:4]
    assert response.headers["X-Mock-Total-Hits"] == "5"


def test_field_create_ignores_control_hub_ui_properties(admin_api):
    """Why 2: a field body with Control Hub's *UI properties is created; they are neither stored nor echoed."""
    response = admin_api.post("/dictionary/field/v1", json=MOCHA_FIELD)
    assert response.status_code == 201, response.text
    stored = admin_api.get("/dictionary/field/v1/id/Mocha_Test_Field").json()
    for answer in (response.json(), stored):
        assert not set(UI_PROPERTIES) & set(answer), answer
    assert stored["classification"] == "UNENCRYPTED"


def test_fieldset_create_and_update_ignore_unknown_properties(admin_api):
    """Why 2: a fieldset body with ``publiclyAccessibleUI`` is created, and the GET answer sent back updates it."""
    assert admin_api.post("/dictionary/field/v1", json=MOCHA_FIELD).status_code == 201
    response = admin_api.post("/dictionary/fieldset/v1", json=MOCHA_FIELDSET)
    assert response.status_code == 201, response.text
    assert "publiclyAccessibleUI" not in response.json()
    current = admin_api.get("/dictionary/fieldset/v1/id/Mocha_Test_Fieldset").json()
    update = admin_api.put(
        "/dictionary/fieldset/v1/id/Mocha_Test_Fieldset",
        json={**current, "description": "Changed", "publiclyAccessibleUI": "", "somethingNew": 1},
    )
    assert update.status_code == 200, update.text
    assert update.json()["description"] == "Changed" and "somethingNew" not in update.json()


def test_object_update_ignores_tracking_id_and_other_read_only_properties(context_api):
    """Why 3: the GET answer sent back with ``trackingId`` (copied from the header) and ``refUrl`` updates."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    response = context_api.session.get(f"/context/v1/customer/{customer_id}")
    body = {**response.json(), "trackingId": response.headers["trackingid"], "someFutureProperty": {"x": 1}}
    body["dataElements"] = [{"Context_Last_Name": "Tested", "type": "string"}]
    update = context_api.session.put(f"/context/v1/customer/{customer_id}", json=body)
    assert update.status_code == 200, update.text
    stored = context_api.get("customer", customer_id)
    assert "trackingId" not in stored and "someFutureProperty" not in stored
    assert stored["refUrl"] == f"/context/v1/customer/{customer_id}"
    assert stored["dataElements"] == [{"Context_Last_Name": "Tested", "type": "string"}]


def test_object_create_ignores_unknown_top_level_properties(context_api):
    """Why 3: unknown top-level properties on a create are ignored (not stored, not echoed)."""
    created = context_api.create(
        "customer", {"fieldsets": ["cisco.base.customer"], "dataElements": [], "trackingId": "abc", "origin": "import"}
    )
    stored = context_api.get("customer", created["id"])
    assert "trackingId" not in stored and "origin" not in stored


def test_detail_created_without_type_is_a_comment(context_api):
    """Why 4: ``POST /context/v1/detail`` without ``type`` (the path names it) creates a comment [CSU]."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    request_id = context_api.request(customer_id, title="Mocha test request")
    created = context_api.create(
        "detail",
        {
            "parentRefUrl": f"/context/v1/request/{request_id}",
            "fieldsets": ["cisco.base.comment"],
            "dataElements": [{"Context_DisplayName": "Mocha test detail", "type": "string"}],
        },
    )
    detail = context_api.get("detail", created["id"])
    assert detail["type"] == "detail.comment" and detail["state"] == "closed"


def test_detail_without_type_on_the_rating_fieldset_is_feedback(context_api):
    """Why 4: without ``type``, a detail on ``cisco.base.rating`` is feedback (inferred from the fieldset)."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    request_id = context_api.request(customer_id)
    created = context_api.create("detail", {"parentId": request_id, "fieldsets": ["cisco.base.rating"]})
    assert context_api.get("detail", created["id"])["type"] == "detail.feedback"


@pytest.mark.parametrize(
    "query", ["Context_Title:Mocha test request", 'Context_Title:"Mocha test request"', "Context_Title:Mocha request"]
)
def test_several_words_after_a_key_search_that_field(context_api, query):
    """Why 5: ``q=Context_Title:Mocha test request`` [CSU] matches the request; all words must be in the field."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    request_id = context_api.request(customer_id, title="Mocha test request")
    context_api.request(customer_id, title="Mocha latte")
    found = context_api.session.get("/context/v1/request", params={"q": query}).json()
    assert [obj["id"] for obj in found] == [request_id]


def test_quoted_words_after_a_key_match_only_as_a_phrase(context_api):
    """Why 5: quoted, the words must stand together in that order."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    context_api.request(customer_id, title="request test Mocha")
    found = context_api.session.get("/context/v1/request", params={"q": 'Context_Title:"Mocha test request"'})
    assert found.json() == []


def test_words_after_a_key_then_another_key_term(context_api):
    """Why 5: ``Context_Title:Mocha test type:request`` — the words up to the next ``key:`` belong to the key."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    request_id = context_api.request(customer_id, title="Mocha test request")
    found = context_api.session.get("/context/v1/request", params={"q": "Context_Title:Mocha test type:request"})
    assert [obj["id"] for obj in found.json()] == [request_id]


def test_request_id_search_key_finds_the_activities_of_a_request(context_api):
    """Why 6: ``requestId`` (Cisco's SDK sample) finds a request's activities, as ``parentId`` does."""
    customer_id = context_api.customer(Context_Last_Name="Test")
    request_id = context_api.request(customer_id)
    activity_id = context_api.activity(customer_id, request_id)
    context_api.activity(customer_id)
    for params in ({"q": f"requestId:{request_id}"}, {"requestId": request_id}):
        found = context_api.session.get("/context/v1/activity", params=params)
        assert found.status_code == 200, found.text
        assert [obj["id"] for obj in found.json()] == [activity_id]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/context/v1/ping"),
        ("GET", "/context/v1/customer/nope"),
        ("GET", "/dictionary/field/v1/id/Context_City"),
        ("POST", "/idb/oauth2/v1/access_token"),
        ("GET", "/no/such/route"),
    ],
)
def test_every_answer_carries_a_tracking_id_header(machine_api, method, path):
    """Every answer, success or error, carries ``trackingid`` [CSU commit fd317df]."""
    response = machine_api.request(method, path)
    assert response.headers.get("trackingid"), (response.status_code, dict(response.headers))
