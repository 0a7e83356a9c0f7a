"""Dictionary fields over real HTTP: base fields, create/update/delete rules, in-use locks, search, auth."""

import pytest

from finesse_harness.registration_kit import admin_token
from finesse_harness.servers import ServerThread
from mock_controlhub import create_app, get_backend

FIELDS = "/dictionary/field/v1"
FIELDSETS = "/dictionary/fieldset/v1"


def new_field(field_id="Loyalty_Tier", **changes):
    """A valid custom field body."""
    body = {
        "id": field_id,
        "description": "Loyalty programme tier",
        "classification": "ENCRYPTED",
        "dataType": "string",
        "translations": {"en_US": "Loyalty Tier", "hr_HR": "Razina vjernosti"},
    }
    body.update(changes)
    return body


def enum_field(field_id="Contact_Reason", **changes):
    """A valid single-select custom field body."""
    definition = {
        "type": "enum",
        "enumerations": ["billing", "outage", "sales"],
        "translations": {"hr_HR": ["naplata", "prekid", "prodaja"]},
    }
    return new_field(field_id, classification="UNENCRYPTED", dataTypeDefinition=definition, **changes)


@pytest.fixture()
def in_use_field(admin_api):
    """A custom enum field that belongs to a custom fieldset (so it is in use)."""
    assert admin_api.post(FIELDS, json=enum_field(defaultValue="sales")).status_code == 201
    assert admin_api.post(FIELDSETS, json={"id": "acme.reasons", "fields": ["Contact_Reason"]}).status_code == 201
    return admin_api.get(f"{FIELDS}/id/Contact_Reason").json()


def test_base_customer_fields_are_seeded_pii_searchable_and_translated(machine_api):
    """Cisco base name fields are PII, searchable, public and labelled in en_US, hr_HR and sr_Latn_RS."""
    field = machine_api.get(f"{FIELDS}/id/Context_First_Name").json()
    assert field["classification"] == "PII"
    assert field["searchable"] is True
    assert field["publiclyAccessible"] is True
    assert field["translations"] == {"en_US": "First Name", "hr_HR": "Ime", "sr_Latn_RS": "Ime"}
    assert field["refUrl"] == f"{FIELDS}/id/Context_First_Name"
    assert field["lastUpdated"].endswith("Z")


def test_preferred_language_is_an_unencrypted_enum_of_language_tags(machine_api):
    """Context_Preferred_Language is a single-select list of language tags with translated option labels."""
    field = machine_api.get(f"{FIELDS}/id/Context_Preferred_Language").json()
    definition = field["dataTypeDefinition"]
    assert field["classification"] == "UNENCRYPTED"
    assert definition["type"] == "enum"
    assert {"en-US", "hr-HR", "sr-Latn-RS"} <= set(definition["enumerations"])
    index = definition["enumerations"].index("hr-HR")
    assert definition["translations"]["hr_HR"][index] == "hrvatski (Hrvatska)"
    assert len(definition["translations"]["sr_Latn_RS"]) == len(definition["enumerations"])


def test_base_classifications_follow_the_reference(machine_api):
    """Request text is ENCRYPTED, activity link UNENCRYPTED, Context_Visible boolean, rating points integer."""

    def get(field_id):
        return machine_api.get(f"{FIELDS}/id/{field_id}").json()

    assert get("Context_Title")["classification"] == "ENCRYPTED"
    assert get("Context_Notes")["classification"] == "ENCRYPTED"
    assert get("Context_POD_Activity_Link")["classification"] == "UNENCRYPTED"
    assert get("Context_POD_Source_Phone")["classification"] == "PII"
    assert get("Context_Visible")["dataType"] == "boolean"
    assert get("cccRatingPoints")["dataType"] == "integer"


def test_search_all_lists_base_fields_and_honours_max_entries(machine_api):
    """q=id:* lists every field; maxEntries caps the answer; id:<x> finds one."""
    every = machine_api.get(f"{FIELDS}/search", params={"q": "id:*"}).json()
    assert {"Context_First_Name", "Context_Comment", "cccRatingPoints"} <= {f["id"] for f in every}
    assert len(machine_api.get(f"{FIELDS}/search", params={"q": "id:*", "maxEntries": 3}).json()) == 3
    one = machine_api.get(f"{FIELDS}/search", params={"q": "id:Context_City"}).json()
    assert [f["id"] for f in one] == ["Context_City"]


def test_search_with_bad_query_is_refused_naming_q(machine_api, expect_error):
    """A query that is not id:<value> gets 400 naming q."""
    answer = machine_api.get(f"{FIELDS}/search", params={"q": "label:City"})
    expect_error(answer, 400, "BAD_REQUEST", "id:<value>", field="q")


def test_search_with_bad_max_entries_is_refused_with_the_limit(machine_api, expect_error):
    """maxEntries outside 1..1500 gets 400 naming it and the limit."""
    answer = machine_api.get(f"{FIELDS}/search", params={"q": "id:*", "maxEntries": 0})
    expect_error(answer, 400, "BAD_REQUEST", "maxEntries", field="maxEntries", limit=1500)


def test_created_field_is_stored_with_defaults(admin_api):
    """A new field answers 201 with Location; it is searchable by default and not public."""
    answer = admin_api.post(FIELDS, json=new_field())
    assert answer.status_code == 201
    assert answer.headers["Location"].endswith(f"{FIELDS}/id/Loyalty_Tier")
    field = admin_api.get(f"{FIELDS}/id/Loyalty_Tier").json()
    assert field["searchable"] is True
    assert field["publiclyAccessible"] is False
    assert field["translations"]["hr_HR"] == "Razina vjernosti"
    assert field == answer.json()


def test_searchable_accepts_true_false_strings(admin_api):
    """searchable "false" (a string, as Control Hub sends it) is stored as false."""
    answer = admin_api.post(FIELDS, json=new_field(searchable="false"))
    assert answer.status_code == 201
    assert answer.json()["searchable"] is False


def test_long_data_type_is_allowed(admin_api):
    """long is one of the element data types."""
    assert admin_api.post(FIELDS, json=new_field(dataType="long")).json()["dataType"] == "long"


def test_duplicate_field_id_is_refused_with_conflict(admin_api, expect_error):
    """Creating a field whose id exists (here a base one) gets 409."""
    answer = admin_api.post(FIELDS, json=new_field("Context_City"))
    error = expect_error(answer, 409, "CONFLICT", "Context_City", "already exists", field="id")
    assert error["current"]["id"] == "Context_City"


@pytest.mark.parametrize("bad_id", ["Has Space", "dotted.id", "semi;colon", "ščć"])
def test_field_id_outside_the_pattern_is_refused(admin_api, expect_error, bad_id):
    """Field ids allow only letters, digits, '-' and '_'."""
    answer = admin_api.post(FIELDS, json=new_field(bad_id))
    expect_error(answer, 400, "VALIDATION_ERROR", "may contain only letters, digits, '-' and '_'", field="id")


def test_missing_field_id_is_refused(admin_api, expect_error):
    """A field without id gets 400 naming id."""
    body = new_field()
    del body["id"]
    expect_error(admin_api.post(FIELDS, json=body), 400, "VALIDATION_ERROR", "Field id is required", field="id")


def test_too_long_field_id_is_refused_with_the_limit(admin_api, expect_error):
    """Field ids are at most 128 characters."""
    answer = admin_api.post(FIELDS, json=new_field("x" * 129))
    expect_error(answer, 400, "VALIDATION_ERROR", "128", field="id", limit=128)


def test_missing_en_us_label_is_refused(admin_api, expect_error):
    """translations.en_US is required."""
    answer = admin_api.post(FIELDS, json=new_field(translations={"hr_HR": "Razina"}))
    expect_error(answer, 400, "VALIDATION_ERROR", "translations.en_US", field="translations.en_US")


def test_bad_locale_in_translations_is_refused(admin_api, expect_error):
    """Translation keys must be locales like sr_Latn_RS."""
    answer = admin_api.post(FIELDS, json=new_field(translations={"en_US": "Tier", "Croatian!": "Razina"}))
    expect_error(answer, 400, "VALIDATION_ERROR", "is not a locale", field="translations")


def test_unknown_classification_is_refused_listing_the_allowed_ones(admin_api, expect_error):
    """classification must be UNENCRYPTED, ENCRYPTED or PII."""
    answer = admin_api.post(FIELDS, json=new_field(classification="SECRET"))
    expect_error(answer, 400, "VALIDATION_ERROR", "UNENCRYPTED, ENCRYPTED, PII", "SECRET", field="classification")


def test_unknown_data_type_is_refused_listing_the_allowed_ones(admin_api, expect_error):
    """dataType must be string, integer, long, double or boolean."""
    answer = admin_api.post(FIELDS, json=new_field(dataType="date"))
    expect_error(answer, 400, "VALIDATION_ERROR", "string, integer, long, double, boolean", field="dataType")


def test_bad_searchable_value_is_refused(admin_api, expect_error):
    """searchable must be a boolean or "true"/"false"."""
    answer = admin_api.post(FIELDS, json=new_field(searchable="yes"))
    expect_error(answer, 400, "VALIDATION_ERROR", "true or false", field="searchable")


def test_too_long_description_is_refused_with_the_limit(admin_api, expect_error):
    """Descriptions are at most 1024 characters."""
    answer = admin_api.post(FIELDS, json=new_field(description="d" * 1025))
    expect_error(answer, 400, "VALIDATION_ERROR", "1024", field="description", limit=1024)


def test_publicly_accessible_field_cannot_be_created(admin_api, expect_error):
    """publiclyAccessible true is refused since SDK 2.0.1."""
    answer = admin_api.post(FIELDS, json=new_field(publiclyAccessible=True))
    expect_error(answer, 400, "VALIDATION_ERROR", "Publicly accessible", field="publiclyAccessible")


def test_unknown_property_is_ignored(admin_api):
    """A property the dictionary does not know is ignored: the field is created without it (issue #11)."""
    answer = admin_api.post(FIELDS, json=new_field(colour="red"))
    assert answer.status_code == 201, answer.text
    assert "colour" not in answer.json()


def test_non_object_body_is_refused(admin_api, expect_error):
    """A JSON array body gets 400."""
    expect_error(admin_api.post(FIELDS, json=["x"]), 400, "BAD_REQUEST", "JSON object")


def test_enum_field_stores_options_translations_and_default(admin_api):
    """A single-select field keeps its options in order, en_US labels default to the options."""
    field = admin_api.post(FIELDS, json=enum_field(defaultValue="outage")).json()
    definition = field["dataTypeDefinition"]
    assert definition["enumerations"] == ["billing", "outage", "sales"]
    assert definition["translations"]["en_US"] == ["billing", "outage", "sales"]
    assert definition["translations"]["hr_HR"] == ["naplata", "prekid", "prodaja"]
    assert definition["inactiveEnumerations"] == []
    assert field["defaultValue"] == "outage"


@pytest.mark.parametrize(
    "options, message, details",
    [
        (["only"], "at least 2 active options", {"field": "enumerations", "limit": 2}),
        (["a", "a", "b"], "repeated: a", {"field": "enumerations"}),
        (["a", " ", "b"], "non-empty text", {"field": "enumerations"}),
    ],
)
def test_bad_enum_options_are_refused(admin_api, expect_error, options, message, details):
    """Options: at least two, unique, non-empty."""
    body = enum_field()
    body["dataTypeDefinition"] = {"type": "enum", "enumerations": options}
    expect_error(admin_api.post(FIELDS, json=body), 400, "VALIDATION_ERROR", message, **details)


def test_enum_option_labels_must_match_the_options(admin_api, expect_error):
    """Each locale's option labels list one label per option."""
    body = enum_field()
    body["dataTypeDefinition"]["translations"] = {"hr_HR": ["naplata"]}
    expect_error(admin_api.post(FIELDS, json=body), 400, "VALIDATION_ERROR", "3 non-empty texts", field="translations")


def test_enum_needs_string_data_type(admin_api, expect_error):
    """A single-select list on an integer field is refused."""
    answer = admin_api.post(FIELDS, json=enum_field(dataType="integer"))
    expect_error(answer, 400, "VALIDATION_ERROR", "dataType string", field="dataTypeDefinition")


def test_default_value_must_be_an_option(admin_api, expect_error):
    """defaultValue outside the options is refused."""
    answer = admin_api.post(FIELDS, json=enum_field(defaultValue="refund"))
    expect_error(answer, 400, "VALIDATION_ERROR", "billing, outage, sales", field="defaultValue")


def test_default_value_needs_an_enum_field(admin_api, expect_error):
    """defaultValue on a plain text field is refused."""
    answer = admin_api.post(FIELDS, json=new_field(defaultValue="gold"))
    expect_error(answer, 400, "VALIDATION_ERROR", "single-select", field="defaultValue")


def test_machine_token_cannot_write_the_dictionary(machine_api, expect_error):
    """Dictionary writes need the admin scope: 403 FORBIDDEN for a component."""
    expect_error(machine_api.post(FIELDS, json=new_field()), 403, "FORBIDDEN", "contact-center-context:admin")


def test_base_field_cannot_be_changed_or_deleted(admin_api, expect_error):
    """Cisco base fields are read-only: PUT and DELETE get 403 READ_ONLY."""
    answer = admin_api.put(f"{FIELDS}/id/Context_City", json={"description": "Town"})
    expect_error(answer, 403, "READ_ONLY", "Context_City", field="id")
    expect_error(admin_api.delete(f"{FIELDS}/id/Context_City"), 403, "READ_ONLY", "read-only")


def test_update_changes_label_and_keeps_other_properties(admin_api):
    """A PUT with only some properties changes those and keeps the rest; lastUpdated moves on."""
    created = admin_api.post(FIELDS, json=new_field()).json()
    answer = admin_api.put(f"{FIELDS}/id/Loyalty_Tier", json={"translations": {"en_US": "Tier"}})
    assert answer.status_code == 200
    field = admin_api.get(f"{FIELDS}/id/Loyalty_Tier").json()
    assert field["translations"] == {"en_US": "Tier"}
    assert field["classification"] == "ENCRYPTED"
    assert field["lastUpdated"] > created["lastUpdated"]


def test_get_modify_put_round_trip_is_accepted(admin_api):
    """A client may PUT back what it read (server-owned properties included) with a change."""
    field = admin_api.post(FIELDS, json=enum_field()).json()
    field["description"] = "Why the customer called"
    answer = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=field)
    assert answer.status_code == 200
    assert answer.json()["description"] == "Why the customer called"


def test_field_id_cannot_change(admin_api, expect_error):
    """A PUT carrying another id is refused naming id."""
    admin_api.post(FIELDS, json=new_field())
    answer = admin_api.put(f"{FIELDS}/id/Loyalty_Tier", json={"id": "Tier"})
    expect_error(answer, 400, "VALIDATION_ERROR", "cannot be changed", field="id")


def test_stale_last_updated_is_refused_with_conflict(admin_api, expect_error):
    """A PUT carrying an old lastUpdated gets 409 with the stored field."""
    admin_api.post(FIELDS, json=new_field())
    answer = admin_api.put(
        f"{FIELDS}/id/Loyalty_Tier", json={"lastUpdated": "2001-01-01T00:00:00.000Z", "description": "x"}
    )
    error = expect_error(answer, 409, "CONFLICT", "reload", field="lastUpdated")
    assert error["current"]["description"] == "Loyalty programme tier"


def test_field_not_in_use_may_change_data_type(admin_api):
    """While in no fieldset, dataType, classification and searchable may change."""
    admin_api.post(FIELDS, json=new_field())
    answer = admin_api.put(
        f"{FIELDS}/id/Loyalty_Tier", json={"dataType": "integer", "classification": "PII", "searchable": False}
    )
    assert answer.status_code == 200
    assert (answer.json()["dataType"], answer.json()["classification"]) == ("integer", "PII")


def test_removed_option_of_unused_field_is_dropped(admin_api):
    """Options removed while the field is not in use simply disappear."""
    admin_api.post(FIELDS, json=enum_field())
    body = {"dataTypeDefinition": {"type": "enum", "enumerations": ["billing", "sales"]}}
    definition = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=body).json()["dataTypeDefinition"]
    assert definition["enumerations"] == ["billing", "sales"]
    assert definition["inactiveEnumerations"] == []


def test_field_in_a_fieldset_reports_in_use(admin_api, in_use_field):
    """The status endpoint says inUse once the field is in a fieldset."""
    status = admin_api.get(f"{FIELDS}/status/Contact_Reason").json()
    assert status == {"status": {"inUse": True}, "refUrl": f"{FIELDS}/id/Contact_Reason", "id": "Contact_Reason"}
    admin_api.post(FIELDS, json=new_field())
    assert admin_api.get(f"{FIELDS}/status/Loyalty_Tier").json()["status"] == {"inUse": False}


@pytest.mark.parametrize("change", [{"dataType": "integer"}, {"classification": "PII"}, {"searchable": False}])
def test_locked_properties_of_field_in_use_cannot_change(admin_api, expect_error, in_use_field, change):
    """dataType, classification and searchable are locked while the field is in a fieldset (409 IN_USE)."""
    prop = next(iter(change))
    if prop == "dataType":
        change.update(dataTypeDefinition=None, defaultValue=None)
    answer = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=change)
    expect_error(answer, 409, "IN_USE", prop, "in a fieldset", field=prop)


def test_enum_field_in_use_cannot_become_plain_text(admin_api, expect_error, in_use_field):
    """Dropping the single-select definition of a field in use is refused."""
    answer = admin_api.put(f"{FIELDS}/id/Contact_Reason", json={"dataTypeDefinition": None, "defaultValue": None})
    expect_error(answer, 409, "IN_USE", "single-select", field="dataTypeDefinition")


def test_removed_option_of_field_in_use_becomes_inactive(admin_api, in_use_field):
    """Removing an option of a field in use keeps it, marked in inactiveEnumerations; re-adding revives it."""
    body = {
        "dataTypeDefinition": {
            "type": "enum",
            "enumerations": ["billing", "sales", "refund"],
            "translations": {"hr_HR": ["naplata", "prodaja", "povrat"]},
        }
    }
    definition = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=body).json()["dataTypeDefinition"]
    assert definition["enumerations"] == ["billing", "sales", "refund", "outage"]
    assert definition["inactiveEnumerations"] == ["outage"]
    assert definition["translations"]["hr_HR"] == ["naplata", "prodaja", "povrat", "prekid"]
    body = {"dataTypeDefinition": {"type": "enum", "enumerations": ["billing", "sales", "refund", "outage"]}}
    definition = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=body).json()["dataTypeDefinition"]
    assert definition["inactiveEnumerations"] == []


def test_default_value_cannot_be_an_inactive_option(admin_api, expect_error, in_use_field):
    """Deactivating the default option without changing the default is refused."""
    body = {"dataTypeDefinition": {"type": "enum", "enumerations": ["billing", "outage"]}}
    answer = admin_api.put(f"{FIELDS}/id/Contact_Reason", json=body)
    expect_error(answer, 400, "VALIDATION_ERROR", "active options (billing, outage)", field="defaultValue")


def test_field_in_use_cannot_be_deleted(admin_api, expect_error, in_use_field):
    """Deleting a field that is in a fieldset gets 409 IN_USE naming the fieldset."""
    answer = admin_api.delete(f"{FIELDS}/id/Contact_Reason")
    error = expect_error(answer, 409, "IN_USE", "acme.reasons", field="id")
    assert error["fieldsets"] == ["acme.reasons"]
    assert admin_api.get(f"{FIELDS}/id/Contact_Reason").status_code == 200


def test_unused_field_is_deleted(admin_api, expect_error):
    """DELETE of an unused custom field answers 204; the field is gone."""
    admin_api.post(FIELDS, json=new_field())
    assert admin_api.delete(f"{FIELDS}/id/Loyalty_Tier").status_code == 204
    expect_error(admin_api.get(f"{FIELDS}/id/Loyalty_Tier"), 404, "NOT_FOUND", "Loyalty_Tier", field="id")


def test_unknown_field_is_not_found(machine_api, expect_error):
    """GET, status, PUT and DELETE of an unknown field get 404."""
    expect_error(machine_api.get(f"{FIELDS}/id/Nope"), 404, "NOT_FOUND", "Field Nope does not exist")
    expect_error(machine_api.get(f"{FIELDS}/status/Nope"), 404, "NOT_FOUND", "Nope")


def test_custom_fields_survive_a_restart_without_duplicating_base_fields(tmp_path, make_api):
    """On a database file, a restarted server still has the custom field and the 27 base fields once each."""
    settings = {"DATABASE": str(tmp_path / "controlhub.sqlite")}
    for run in ("first", "second"):
        app = create_app(settings)
        with ServerThread(app) as server:
            api = make_api(server.url)
            api.headers["Authorization"] = f"Bearer {admin_token(server.url, app.config)}"
            if run == "first":
                assert api.post(FIELDS, json=new_field()).status_code == 201
            every = [f["id"] for f in api.get(f"{FIELDS}/search", params={"q": "id:*"}).json()]
        get_backend(app).db.close()
    assert "Loyalty_Tier" in every
    assert len(every) == len(set(every)) == 28
