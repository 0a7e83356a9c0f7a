"""Status says why the gadget is (not) available; field definitions come from the dictionary, localized."""

from gadget_plugin import get_backend, registration
from mock_controlhub import get_backend as hub_backend
from mock_controlhub.dictionary import fields as dictionary_fields
from mock_controlhub.identity import models as identity


def test_status_of_a_registered_entitled_org_is_available(api):
    """Registered and entitled: available, no reason, a current dictionary."""
    status = api.ok("GET", "/status")
    assert {key: status[key] for key in ("available", "entitled", "registered", "reason", "labMode")} == {
        "available": True,
        "entitled": True,
        "registered": True,
        "reason": None,
        "labMode": False,
    }
    assert status["dictionary"]["stale"] is False


def test_status_without_entitlement_says_not_entitled(api, controlhub, gadget):
    """Entitlement off in Control Hub: available false, reason NOT_ENTITLED; data calls answer 403."""
    identity.set_entitlement(hub_backend(controlhub.app), False)
    gadget.reset()
    status = api.ok("GET", "/status")
    assert status["available"] is False and status["entitled"] is False and status["reason"] == "NOT_ENTITLED"
    api.error("GET", "/customers/search", 403, "NOT_ENTITLED", params={"q": "Ann"})


def test_status_after_deregistration_says_not_registered(api, gadget):
    """Deregistered through Control Hub's /v1/unauthorize: reason NOT_REGISTERED."""
    backend = get_backend(gadget.app)
    registration.deregister(
        gadget.app.config["REGISTRATION_URL"], gadget.url + "/deregistered", backend.connection_data()
    )
    gadget.reset()
    status = api.ok("GET", "/status")
    assert status["registered"] is False and status["reason"] == "NOT_REGISTERED"
    api.error("GET", "/customers/search", 403, "NOT_REGISTERED", params={"q": "Ann"})


def test_status_when_context_service_is_unreachable_says_unreachable(api, gadget):
    """Context Service down: reason UNREACHABLE (the gadget keeps drafts)."""
    client = get_backend(gadget.app).cs
    saved = client.base_url
    client.base_url = "http://127.0.0.1:9"
    try:
        assert api.ok("GET", "/status")["reason"] == "UNREACHABLE"
    finally:
        client.base_url = saved


def test_fields_have_labels_in_the_agents_locale_with_english_fallback(api):
    """?locale=hr gives Croatian labels; an unknown locale falls back to en_US."""
    croatian = api.ok("GET", "/fields", params={"locale": "hr"})
    assert croatian["fields"]["Context_First_Name"]["label"] == "Ime"
    assert croatian["fieldsets"]["cisco.base.request"]["fields"] == ["Context_Title", "Context_Description"]
    assert api.ok("GET", "/fields", params={"locale": "de"})["fields"]["Context_First_Name"]["label"] == "First Name"


def test_fields_tell_how_long_the_proxy_keeps_its_copy(api, gadget):
    """cacheSeconds is the proxy's DICTIONARY_CACHE_SECONDS: the gadget reads the labels again after it."""
    assert api.ok("GET", "/fields")["cacheSeconds"] == gadget.app.config["DICTIONARY_CACHE_SECONDS"]


def test_fields_follow_accept_language_and_list_enum_options(api):
    """Accept-Language sr picks Serbian; enum fields list their options."""
    fields = api.ok("GET", "/fields", headers={"Accept-Language": "sr-Latn-RS,sr;q=0.9"})["fields"]
    assert fields["Context_Mobile_Phone"]["label"] == "Mobilni telefon"
    assert fields["Context_Preferred_Language"]["options"]
    assert fields["Context_Visible"]["dataType"] == "boolean"


def test_field_an_admin_adds_shows_up_after_the_cache_time(api, gadget, controlhub):
    """A custom field created in Control Hub is listed once the dictionary cache is refreshed."""
    dictionary_fields.create_field(
        hub_backend(controlhub.app),
        {
            "id": "Loyalty_Tier",
            "classification": "UNENCRYPTED",
            "dataType": "string",
            "translations": {"en_US": "Loyalty tier", "hr_HR": "Razina vjernosti"},
            "searchable": True,
        },
    )
    gadget.reset()
    assert api.ok("GET", "/fields", params={"locale": "hr"})["fields"]["Loyalty_Tier"]["label"] == "Razina vjernosti"


def test_status_with_connection_data_context_service_no_longer_knows_says_not_registered(api, gadget, controlhub):
    """The mock cloud was reset (registrations wiped): the token endpoint refuses, status says NOT_REGISTERED."""
    controlhub.reset()
    gadget.reset()
    status = api.ok("GET", "/status")
    assert status["registered"] is False and status["reason"] == "NOT_REGISTERED"
    error = api.error("GET", "/customers/search", 403, "NOT_REGISTERED", params={"q": "Ann"})
    assert "register again" in error["message"]


def test_unknown_api_route_is_a_json_404_naming_the_route(api):
    """GET or POST of an /api/v1 path that no route serves: 404 NOT_FOUND "No route for …", not a gadget file."""
    error = api.error("GET", "/customer/lookup", 404, "NOT_FOUND")
    assert error["message"] == "No route for GET /api/v1/customer/lookup."
    error = api.error("POST", "/comments", 404, "NOT_FOUND", json={})
    assert error["message"] == "No route for POST /api/v1/comments."


def test_unknown_api_route_needs_the_agents_credentials(client_for):
    """Without Finesse credentials an unknown API route answers 401, like every API route (no route probing)."""
    client_for("").error("GET", "/nothing-here", 401, "UNAUTHORIZED")
