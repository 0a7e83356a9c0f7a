"""Org dictionary limits: the management property API and refusals at the limits (a small-limits server)."""

import pytest

from finesse_harness.mock_control import mock_control
from finesse_harness.registration_kit import admin_token
from finesse_harness.servers import ServerThread
from mock_controlhub import create_app
from mock_controlhub.config import ConfigError, load_config

SMALL_LIMITS = {"MAX_CUSTOM_FIELDS": 3, "MAX_FIELDSETS": 6, "MAX_FIELDS_PER_FIELDSET": 2}
PROPERTY = "/management/property/v1/propertyName"


@pytest.fixture(scope="module")
def small_server():
    """A mock cloud whose limits are 3 custom fields, 6 fieldsets (5 are Cisco's), 2 fields per fieldset."""
    app = create_app({"DATABASE": ":memory:", **SMALL_LIMITS})
    with ServerThread(app) as thread:
        yield thread, app


@pytest.fixture()
def small_admin(small_server, make_api):
    """An admin ApiSession on the small-limits server, reset first."""
    thread, app = small_server
    session = make_api(thread.url)
    mock_control(thread.url, "POST", "/reset").raise_for_status()
    session.headers["Authorization"] = f"Bearer {admin_token(thread.url, app.config)}"
    return session


def field_body(field_id):
    """A valid custom text field body."""
    return {"id": field_id, "classification": "UNENCRYPTED", "dataType": "string", "translations": {"en_US": field_id}}


@pytest.mark.parametrize(
    "name, value", [("org.max.fields", "100"), ("org.max.fieldsets", "1000"), ("org.max.fields.per.fieldset", "50")]
)
def test_default_org_limits_are_readable_as_management_properties(controlhub, machine_api, name, value):
    """The limits Control Hub reads: 100 custom fields, 1,000 fieldsets, 50 fields per fieldset."""
    answer = machine_api.get(f"{PROPERTY}/{name}.org.{controlhub.app.config['ORG_ID']}")
    assert answer.status_code == 200
    assert answer.json() == {"value": value}


def test_configured_limits_are_what_the_property_api_reports(small_server, small_admin):
    """Limits come from the settings."""
    org_id = small_server[1].config["ORG_ID"]
    assert small_admin.get(f"{PROPERTY}/org.max.fields.org.{org_id}").json() == {"value": "3"}


def test_unknown_property_is_not_found_listing_the_known_ones(controlhub, machine_api, expect_error):
    """An unknown property name gets 404 naming the known ones."""
    answer = machine_api.get(f"{PROPERTY}/org.max.tags.org.{controlhub.app.config['ORG_ID']}")
    expect_error(answer, 404, "NOT_FOUND", "org.max.tags", "org.max.fields.org.<orgId>", field="propertyName")


def test_property_of_another_org_is_not_found(machine_api, expect_error):
    """A property of an org the mock does not hold gets 404 naming orgId."""
    expect_error(machine_api.get(f"{PROPERTY}/org.max.fields.org.other"), 404, "NOT_FOUND", "other", field="orgId")


def test_property_needs_a_token(anonymous_api, expect_error):
    """The management API needs a bearer token."""
    expect_error(anonymous_api.get(f"{PROPERTY}/org.max.fields.org.x"), 401, "UNAUTHORIZED", "bearer")


def test_custom_field_over_the_limit_is_refused(small_admin, expect_error):
    """The fourth custom field is refused with LIMIT_EXCEEDED and the limit; base fields do not count."""
    for number in range(3):
        assert small_admin.post("/dictionary/field/v1", json=field_body(f"F{number}")).status_code == 201
    answer = small_admin.post("/dictionary/field/v1", json=field_body("F3"))
    expect_error(answer, 400, "LIMIT_EXCEEDED", "At most 3 custom fields", "org.max.fields", field="id", limit=3)
    assert small_admin.get("/dictionary/field/v1/id/F3").status_code == 404


def test_fieldset_over_the_limit_is_refused(small_admin, expect_error):
    """With 5 Cisco fieldsets and a limit of 6, the second custom fieldset is refused."""
    first = small_admin.post("/dictionary/fieldset/v1", json={"id": "a.one", "fields": ["Context_City"]})
    assert first.status_code == 201
    answer = small_admin.post("/dictionary/fieldset/v1", json={"id": "a.two", "fields": ["Context_City"]})
    expect_error(answer, 400, "LIMIT_EXCEEDED", "At most 6 fieldsets", field="id", limit=6)


def test_fieldset_with_too_many_fields_is_refused(small_admin, expect_error):
    """Three fields in one fieldset, over a limit of 2, are refused naming fields."""
    answer = small_admin.post(
        "/dictionary/fieldset/v1", json={"id": "a.big", "fields": ["Context_City", "Context_ZIP", "Context_State"]}
    )
    expect_error(answer, 400, "LIMIT_EXCEEDED", "At most 2 fields in one fieldset", field="fields", limit=2)


def test_fieldset_update_over_the_field_limit_is_refused(small_admin, expect_error):
    """Growing a fieldset past the per-fieldset limit is refused and leaves it unchanged."""
    small_admin.post("/dictionary/fieldset/v1", json={"id": "a.one", "fields": ["Context_City"]})
    answer = small_admin.put(
        "/dictionary/fieldset/v1/id/a.one", json={"fields": ["Context_City", "Context_ZIP", "Context_State"]}
    )
    expect_error(answer, 400, "LIMIT_EXCEEDED", "org.max.fields.per.fieldset", field="fields", limit=2)
    assert small_admin.get("/dictionary/fieldset/v1/id/a.one").json()["fields"] == ["Context_City"]


@pytest.mark.parametrize("value", ["many", "0"])
def test_bad_limit_setting_stops_start_up_naming_it(value):
    """A non-positive or non-numeric limit setting is a ConfigError naming the setting."""
    with pytest.raises(ConfigError, match="MAX_FIELDSETS"):
        load_config({"MAX_FIELDSETS": value}, environ={})
