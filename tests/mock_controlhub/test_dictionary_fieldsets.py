"""Dictionary fieldsets over real HTTP: base fieldsets, create/update/delete rules, in-use behaviour, search."""

import pytest

FIELDS = "/dictionary/field/v1"
FIELDSETS = "/dictionary/fieldset/v1"


def field_body(field_id):
    """A valid custom text field body."""
    return {
        "id": field_id,
        "classification": "ENCRYPTED",
        "dataType": "string",
        "translations": {"en_US": field_id.replace("_", " ")},
    }


@pytest.fixture()
def custom_fields(admin_api):
    """Three custom fields: Loyalty_Tier, Loyalty_Points, Account_Manager."""
    ids = ["Loyalty_Tier", "Loyalty_Points", "Account_Manager"]
    for field_id in ids:
        assert admin_api.post(FIELDS, json=field_body(field_id)).status_code == 201
    return ids


@pytest.fixture()
def loyalty(admin_api, custom_fields):
    """A custom fieldset acme.loyalty with the first two custom fields."""
    body = {"id": "acme.loyalty", "description": "Loyalty programme", "fields": custom_fields[:2]}
    answer = admin_api.post(FIELDSETS, json=body)
    assert answer.status_code == 201
    return answer.json()


def create_customer(api, fieldset_id, lab=False):
    """POST a customer using ``fieldset_id`` through the Context Service object API."""
    answer = api.post(
        "/context/v1/customer",
        headers={"cisco-context-labmode": str(lab).lower()},
        json={
            "type": "customer",
            "fieldsets": [fieldset_id],
            "dataElements": [{"Loyalty_Tier": "gold", "type": "string"}],
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture()
def loyalty_in_use(machine_api, loyalty):
    """acme.loyalty referenced by a stored production customer (so it is in use)."""
    create_customer(machine_api, "acme.loyalty")
    return loyalty


def test_base_fieldsets_are_seeded_public_with_their_fields(machine_api):
    """The five Cisco base fieldsets exist, are public and list their fields with definitions."""
    every = {fs["id"]: fs for fs in machine_api.get(f"{FIELDSETS}/search", params={"q": "id:*"}).json()}
    assert {
        "cisco.base.customer",
        "cisco.base.request",
        "cisco.base.pod",
        "cisco.base.comment",
        "cisco.base.rating",
    } <= set(every)
    request = every["cisco.base.request"]
    assert request["fields"] == ["Context_Title", "Context_Description"]
    assert request["publiclyAccessible"] is True
    assert [d["id"] for d in request["fieldDefinitions"]] == request["fields"]
    assert "Context_Preferred_Language" in every["cisco.base.customer"]["fields"]
    assert every["cisco.base.pod"]["fields"][-3:] == [
        "Context_POD_Source_Cust_Name",
        "Context_POD_Source_Email",
        "Context_POD_Source_Phone",
    ]


def test_created_fieldset_is_stored_with_field_definitions(admin_api, loyalty, controlhub):
    """A new fieldset answers 201 with Location, its org, fields and their definitions."""
    stored = admin_api.get(f"{FIELDSETS}/id/acme.loyalty").json()
    assert stored == loyalty
    assert stored["orgId"] == controlhub.app.config["ORG_ID"]
    assert stored["fields"] == ["Loyalty_Tier", "Loyalty_Points"]
    assert stored["inactiveFields"] == []
    assert stored["publiclyAccessible"] is False
    assert stored["fieldDefinitions"][0]["translations"]["en_US"] == "Loyalty Tier"
    assert stored["refUrl"] == f"{FIELDSETS}/id/acme.loyalty"


def test_search_by_field_id_lists_the_fieldsets_holding_it(machine_api, loyalty):
    """q=fieldId:<id> finds the fieldsets that list the field."""
    found = machine_api.get(f"{FIELDSETS}/search", params={"q": "fieldId:Loyalty_Tier"}).json()
    assert [fs["id"] for fs in found] == ["acme.loyalty"]
    found = machine_api.get(f"{FIELDSETS}/search", params={"q": "fieldId:Context_Notes"}).json()
    assert [fs["id"] for fs in found] == ["cisco.base.pod"]


def test_search_by_id_pattern_matches_wildcards(machine_api, loyalty):
    """q=id:acme.* finds custom fieldsets by prefix."""
    found = machine_api.get(f"{FIELDSETS}/search", params={"q": "id:acme.*"}).json()
    assert [fs["id"] for fs in found] == ["acme.loyalty"]


def test_fieldset_search_with_bad_query_is_refused_naming_q(machine_api, expect_error):
    """A query key other than id or fieldId gets 400 naming q."""
    answer = machine_api.get(f"{FIELDSETS}/search", params={"q": "description:x"})
    expect_error(answer, 400, "BAD_REQUEST", "fieldId:<value>", field="q")


def test_fieldset_id_outside_the_pattern_is_refused(admin_api, expect_error, custom_fields):
    """Fieldset ids allow letters, digits, '-', '_' and '.' only."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme/loyalty", "fields": custom_fields[:1]})
    expect_error(answer, 400, "VALIDATION_ERROR", "letters, digits, '-', '_' and '.'", field="id")


def test_cisco_prefix_is_reserved(admin_api, expect_error, custom_fields):
    """A custom fieldset cannot take a cisco.* id."""
    answer = admin_api.post(FIELDSETS, json={"id": "cisco.base.extra", "fields": custom_fields[:1]})
    expect_error(answer, 403, "READ_ONLY", "reserved", field="id")


def test_duplicate_fieldset_id_is_refused_with_conflict(admin_api, expect_error, loyalty):
    """Creating a fieldset whose id exists gets 409 with the stored one."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.loyalty", "fields": ["Account_Manager"]})
    error = expect_error(answer, 409, "CONFLICT", "already exists", field="id")
    assert error["current"]["fields"] == loyalty["fields"]


def test_fieldset_without_fields_is_refused(admin_api, expect_error):
    """A fieldset needs at least one field."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.empty", "fields": []})
    expect_error(answer, 400, "VALIDATION_ERROR", "at least one field", field="fields", limit=1)


def test_fieldset_with_unknown_field_is_refused_naming_it(admin_api, expect_error, custom_fields):
    """Every listed field must exist."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.x", "fields": ["Loyalty_Tier", "No_Such_Field"]})
    error = expect_error(answer, 400, "VALIDATION_ERROR", "No_Such_Field", field="fields")
    assert error["missing"] == ["No_Such_Field"]


def test_fieldset_listing_a_field_twice_is_refused(admin_api, expect_error, custom_fields):
    """A field may appear once in a fieldset."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.x", "fields": ["Loyalty_Tier", "Loyalty_Tier"]})
    expect_error(answer, 400, "VALIDATION_ERROR", "repeated: Loyalty_Tier", field="fields")


def test_fieldset_fields_must_be_a_list(admin_api, expect_error):
    """fields must be a list of ids."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.x", "fields": "Loyalty_Tier"})
    expect_error(answer, 400, "VALIDATION_ERROR", "list of ids", field="fields")


def test_publicly_accessible_fieldset_cannot_be_created(admin_api, expect_error, custom_fields):
    """publiclyAccessible true is refused for fieldsets too."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.x", "fields": custom_fields, "publiclyAccessible": True})
    expect_error(answer, 400, "VALIDATION_ERROR", "Publicly accessible", field="publiclyAccessible")


def test_machine_token_cannot_create_fieldsets(machine_api, expect_error):
    """Fieldset writes need the admin scope."""
    answer = machine_api.post(FIELDSETS, json={"id": "acme.x", "fields": ["Context_City"]})
    expect_error(answer, 403, "FORBIDDEN", "contact-center-context:admin")


def test_base_fieldset_cannot_be_changed_or_deleted(admin_api, expect_error):
    """Cisco base fieldsets are read-only."""
    answer = admin_api.put(f"{FIELDSETS}/id/cisco.base.pod", json={"fields": ["Context_Notes"]})
    expect_error(answer, 403, "READ_ONLY", "cisco.base.pod", field="id")
    expect_error(admin_api.delete(f"{FIELDSETS}/id/cisco.base.pod"), 403, "READ_ONLY", "read-only")


def test_base_fields_can_join_custom_fieldsets(admin_api):
    """A custom fieldset may list Cisco base fields."""
    answer = admin_api.post(FIELDSETS, json={"id": "acme.contact", "fields": ["Context_City", "Context_ZIP"]})
    assert answer.status_code == 201
    assert admin_api.get(f"{FIELDS}/status/Context_City").json()["status"]["inUse"] is True


def test_fieldset_id_cannot_change(admin_api, expect_error, loyalty):
    """A PUT carrying another id is refused."""
    answer = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"id": "acme.other"})
    expect_error(answer, 400, "VALIDATION_ERROR", "cannot be changed", field="id")


def test_stale_fieldset_update_is_refused_with_conflict(admin_api, expect_error, loyalty):
    """A PUT carrying an old lastUpdated gets 409."""
    answer = admin_api.put(
        f"{FIELDSETS}/id/acme.loyalty", json={"description": "x", "lastUpdated": "2001-01-01T00:00:00.000Z"}
    )
    expect_error(answer, 409, "CONFLICT", "reload", field="lastUpdated")


def test_unused_fieldset_update_drops_removed_fields(admin_api, loyalty):
    """While no object uses the fieldset, removed fields leave it and stop being in use."""
    answer = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"fields": ["Loyalty_Points", "Account_Manager"]})
    assert answer.status_code == 200
    assert answer.json()["fields"] == ["Loyalty_Points", "Account_Manager"]
    assert answer.json()["inactiveFields"] == []
    assert admin_api.get(f"{FIELDS}/status/Loyalty_Tier").json()["status"]["inUse"] is False


def test_description_update_keeps_fields(admin_api, loyalty):
    """A PUT with only a description keeps the fields."""
    answer = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"description": "Gold and silver"})
    assert answer.json()["description"] == "Gold and silver"
    assert answer.json()["fields"] == loyalty["fields"]


def test_fieldset_status_follows_object_use(admin_api, machine_api, loyalty):
    """The status endpoint says inUse once a Context Service object (even a lab one) lists the fieldset."""
    assert admin_api.get(f"{FIELDSETS}/status/acme.loyalty").json() == {
        "status": {"inUse": False},
        "refUrl": f"{FIELDSETS}/id/acme.loyalty",
        "id": "acme.loyalty",
    }
    create_customer(machine_api, "acme.loyalty", lab=True)
    assert admin_api.get(f"{FIELDSETS}/status/acme.loyalty").json()["status"] == {"inUse": True}


def test_fieldset_is_free_again_once_its_lab_objects_are_flushed(admin_api, machine_api, loyalty):
    """Flushing the lab customers that used a fieldset lets it be deleted."""
    create_customer(machine_api, "acme.loyalty", lab=True)
    assert admin_api.delete(f"{FIELDSETS}/id/acme.loyalty").status_code == 409
    flushed = machine_api.delete("/context/v1/customer", headers={"cisco-context-labmode": "true"})
    assert flushed.status_code == 200, flushed.text
    assert admin_api.delete(f"{FIELDSETS}/id/acme.loyalty").status_code == 204


def test_removed_field_of_fieldset_in_use_becomes_inactive(admin_api, loyalty_in_use):
    """Removing a field from a fieldset in use keeps it in fields and lists it in inactiveFields."""
    answer = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"fields": ["Loyalty_Points", "Account_Manager"]})
    assert answer.status_code == 200
    fieldset = answer.json()
    assert fieldset["fields"] == ["Loyalty_Points", "Account_Manager", "Loyalty_Tier"]
    assert fieldset["inactiveFields"] == ["Loyalty_Tier"]


def test_re_added_field_moves_back_to_the_end(admin_api, loyalty_in_use):
    """An inactive field listed again becomes active and moves to the end of fields."""
    admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"fields": ["Loyalty_Points", "Account_Manager"]})
    answer = admin_api.put(
        f"{FIELDSETS}/id/acme.loyalty", json={"fields": ["Loyalty_Tier", "Loyalty_Points", "Account_Manager"]}
    )
    fieldset = answer.json()
    assert fieldset["fields"] == ["Loyalty_Points", "Account_Manager", "Loyalty_Tier"]
    assert fieldset["inactiveFields"] == []


def test_get_modify_put_of_fieldset_in_use_keeps_inactive_fields(admin_api, loyalty_in_use):
    """PUTting back what was read (with its inactiveFields) leaves inactive fields inactive."""
    fieldset = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"fields": ["Loyalty_Points"]}).json()
    fieldset["description"] = "Renamed"
    again = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json=fieldset).json()
    assert again["inactiveFields"] == ["Loyalty_Tier"]
    assert again["description"] == "Renamed"


def test_fieldset_in_use_needs_an_active_field(admin_api, expect_error, loyalty_in_use):
    """Removing every field of a fieldset in use is refused."""
    answer = admin_api.put(f"{FIELDSETS}/id/acme.loyalty", json={"fields": []})
    expect_error(answer, 400, "VALIDATION_ERROR", "at least one field", field="fields")


def test_fieldset_in_use_cannot_be_deleted(admin_api, expect_error, loyalty_in_use):
    """Deleting a fieldset an object uses gets 409 IN_USE; it stays."""
    expect_error(admin_api.delete(f"{FIELDSETS}/id/acme.loyalty"), 409, "IN_USE", "acme.loyalty", field="id")
    assert admin_api.get(f"{FIELDSETS}/id/acme.loyalty").status_code == 200


def test_unused_fieldset_is_deleted_and_frees_its_fields(admin_api, expect_error, loyalty):
    """DELETE of an unused fieldset answers 204; its fields are no longer in use and can be deleted."""
    assert admin_api.delete(f"{FIELDSETS}/id/acme.loyalty").status_code == 204
    expect_error(admin_api.get(f"{FIELDSETS}/id/acme.loyalty"), 404, "NOT_FOUND", "acme.loyalty")
    assert admin_api.delete(f"{FIELDS}/id/Loyalty_Tier").status_code == 204


def test_unknown_fieldset_is_not_found(machine_api, expect_error):
    """GET and status of an unknown fieldset get 404."""
    expect_error(machine_api.get(f"{FIELDSETS}/id/acme.none"), 404, "NOT_FOUND", "Fieldset acme.none does not exist")
    expect_error(machine_api.get(f"{FIELDSETS}/status/acme.none"), 404, "NOT_FOUND", "acme.none")
