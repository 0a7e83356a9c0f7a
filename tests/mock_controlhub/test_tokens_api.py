"""Token endpoint, bearer checks, discovery and admin authorization status over real HTTP."""
from mock_controlhub import get_backend

from mock_controlhub.identity import models as identity

TOKEN_PATH = "/idb/oauth2/v1/access_token"
FIELDS_PATH = "/dictionary/field/v1/search?q=id:*"


def test_password_grant_issues_admin_token_with_admin_scope(controlhub, anonymous_api):
    """The admin's email and password buy a Bearer token carrying the admin scope, not cached."""
    cfg = controlhub.app.config
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "password", "username": cfg["ADMIN_EMAIL"],
                                                  "password": cfg["ADMIN_PASSWORD"]})
    assert answer.status_code == 200
    token = answer.json()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == cfg["TOKEN_TTL_SECONDS"]
    assert identity.SCOPE_ADMIN in token["scope"].split()
    assert answer.headers["Cache-Control"] == "no-store"


def test_client_credentials_grant_issues_machine_token_without_admin_scope(anonymous_api, registration):
    """A registered component's client id and secret buy a pod_read/pod_write token."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                                  "client_id": registration["client_id"],
                                                  "client_secret": registration["client_secret"]})
    assert answer.status_code == 200
    assert answer.json()["scope"].split() == [identity.SCOPE_READ, identity.SCOPE_WRITE]


def test_lab_credentials_also_issue_machine_tokens(anonymous_api, registration):
    """The lab-mode client id and secret of connectionData work at the same token endpoint."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                                  "client_id": registration["lab_client_id"],
                                                  "client_secret": registration["lab_client_secret"]})
    assert answer.status_code == 200


def test_wrong_admin_password_is_refused_with_unauthorized(controlhub, anonymous_api, expect_error):
    """A wrong password gets 401 and no token."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "password",
                                                  "username": controlhub.app.config["ADMIN_EMAIL"],
                                                  "password": "guess"})
    expect_error(answer, 401, "UNAUTHORIZED", "Invalid admin email or password")


def test_wrong_client_secret_is_refused_with_unauthorized(anonymous_api, registration, expect_error):
    """A wrong client secret gets 401."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                                  "client_id": registration["client_id"], "client_secret": "nope"})
    expect_error(answer, 401, "UNAUTHORIZED", "Invalid client credentials")


def test_deregistered_component_gets_no_token(controlhub, anonymous_api, registration, expect_error):
    """After deregistration the component's credentials are refused with NOT_REGISTERED."""
    identity.deregister(get_backend(controlhub.app), registration["id"])
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                                  "client_id": registration["client_id"],
                                                  "client_secret": registration["client_secret"]})
    expect_error(answer, 403, "NOT_REGISTERED", "deregistered")


def test_unsupported_grant_type_is_refused_naming_grant_type(anonymous_api, expect_error):
    """An unknown grant type is a 400 that names grant_type and the supported ones."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "authorization_code", "code": "x"})
    expect_error(answer, 400, "BAD_REQUEST", "authorization_code", "client_credentials or password",
                 field="grant_type")


def test_missing_grant_parameter_is_refused_naming_it(anonymous_api, registration, expect_error):
    """Each required form parameter missing is a 400 naming it."""
    expect_error(anonymous_api.post(TOKEN_PATH, data={}), 400, "BAD_REQUEST", "grant_type is required",
                 field="grant_type")
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "client_credentials",
                                                  "client_id": registration["client_id"]})
    expect_error(answer, 400, "BAD_REQUEST", "client_secret is required", field="client_secret")


def test_request_without_token_is_unauthorized(anonymous_api, expect_error):
    """A dictionary read without a bearer token gets 401."""
    expect_error(anonymous_api.get(FIELDS_PATH), 401, "UNAUTHORIZED", "Missing bearer token")


def test_unknown_token_is_unauthorized(anonymous_api, expect_error):
    """A made-up bearer token gets 401."""
    answer = anonymous_api.get(FIELDS_PATH, headers={"Authorization": "Bearer not-a-token"})
    expect_error(answer, 401, "UNAUTHORIZED", "Invalid bearer token")


def test_token_expires_on_the_mock_clock(controlhub, machine_api, expect_error):
    """A token works until its lifetime has passed on the mock clock, then gets 401."""
    assert machine_api.get(FIELDS_PATH).status_code == 200
    ttl = controlhub.app.config["TOKEN_TTL_SECONDS"]
    controlhub.control("POST", "/clock", json={"advanceSeconds": ttl + 1}).raise_for_status()
    expect_error(machine_api.get(FIELDS_PATH), 401, "UNAUTHORIZED", "expired")


def test_org_without_entitlement_gets_not_entitled(controlhub, machine_api, expect_error):
    """With the contact-center-context entitlement off, valid tokens get 403 NOT_ENTITLED."""
    identity.set_entitlement(get_backend(controlhub.app), False)
    expect_error(machine_api.get(FIELDS_PATH), 403, "NOT_ENTITLED", "not entitled")


def test_discovery_lists_every_service_at_this_server(controlhub, anonymous_api):
    """Discovery names context, dictionary, management, ccfs and idbroker, all located at this server."""
    answer = anonymous_api.get("/discovery/apps/v1")
    assert answer.status_code == 200
    services = {entry["service"]: entry["endpoints"][0]["location"] for entry in answer.json()}
    assert set(services) == {"context", "dictionary", "management", "ccfs", "idbroker"}
    assert set(services.values()) == {controlhub.url}


def test_admin_authorization_status_is_authorized_for_the_admin(controlhub, admin_api):
    """The org admin's token gets 200 Authorized for the org."""
    org_id = controlhub.app.config["ORG_ID"]
    answer = admin_api.get(f"/AdminAuthorizationStatus/{org_id}")
    assert answer.status_code == 200
    assert answer.json() == {"orgId": org_id, "status": "Authorized"}


def test_admin_authorization_status_is_forbidden_for_machine_tokens(controlhub, machine_api, expect_error):
    """A component's machine token is not an authorized admin: 403 (Control Hub shows Unauthorized)."""
    answer = machine_api.get(f"/AdminAuthorizationStatus/{controlhub.app.config['ORG_ID']}")
    expect_error(answer, 403, "FORBIDDEN", identity.SCOPE_ADMIN)


def test_admin_authorization_status_of_unknown_org_is_not_found(admin_api, expect_error):
    """Another org id gets 404 naming orgId."""
    expect_error(admin_api.get("/AdminAuthorizationStatus/other-org"), 404, "NOT_FOUND", "other-org", field="orgId")


def test_token_of_a_deregistered_component_is_refused(controlhub, machine_api, registration, expect_error):
    """A deregistered component's token gets 403 NOT_REGISTERED on its next call, never data."""
    assert machine_api.get(FIELDS_PATH).status_code == 200
    identity.deregister(get_backend(controlhub.app), registration["id"])
    expect_error(machine_api.get(FIELDS_PATH), 403, "NOT_REGISTERED", "deregistered")
