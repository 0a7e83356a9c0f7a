"""Token endpoint, bearer checks, discovery and admin authorization status over real HTTP."""

import requests

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity

TOKEN_PATH = "/idb/oauth2/v1/access_token"
FIELDS_PATH = "/dictionary/field/v1/search?q=id:*"


def test_password_grant_issues_admin_token_with_admin_scope(controlhub, anonymous_api):
    """The admin's email and password buy a Bearer token carrying the admin scope, not cached."""
    cfg = controlhub.app.config
    answer = anonymous_api.post(
        TOKEN_PATH, data={"grant_type": "password", "username": cfg["ADMIN_EMAIL"], "password": cfg["ADMIN_PASSWORD"]}
    )
    assert answer.status_code == 200
    token = answer.json()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == cfg["TOKEN_TTL_SECONDS"]
    assert identity.SCOPE_ADMIN in token["scope"].split()
    assert answer.headers["Cache-Control"] == "no-store"


def test_wrong_admin_password_is_refused_with_unauthorized(controlhub, anonymous_api, expect_error):
    """A wrong password gets 401 and no token."""
    answer = anonymous_api.post(
        TOKEN_PATH,
        data={"grant_type": "password", "username": controlhub.app.config["ADMIN_EMAIL"], "password": "guess"},
    )
    expect_error(answer, 401, "UNAUTHORIZED", "Invalid admin email or password")


def test_client_credentials_grant_is_refused(anonymous_api, registration, expect_error):
    """Why 7: Webex offers no client-credentials grant for Context Service; the mock refuses it too."""
    answer = anonymous_api.post(
        TOKEN_PATH,
        data={
            "grant_type": "client_credentials",
            "client_id": registration["client_id"],
            "client_secret": registration["client_secret"],
        },
    )
    expect_error(answer, 400, "UNSUPPORTED_GRANT_TYPE", "client_credentials", "GetBearerToken", field="grant_type")


def test_machine_account_flow_issues_access_and_refresh_tokens_with_the_asked_scopes(
    controlhub, registration, machine_account, machine_flow, bearer_headers
):
    """GetBearerToken, then the SAML2-bearer grant with the connection data's client id/secret in HTTP Basic
    [CSU lib/machine-account.js]: an access token, a refresh token, their lifetimes and the scopes."""
    cfg = controlhub.app.config
    answer = machine_flow.grant(machine_account, registration["client_id"], registration["client_secret"])
    assert answer.status_code == 200, answer.text
    token = answer.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == cfg["TOKEN_TTL_SECONDS"]
    assert token["refresh_token"] and token["refresh_token_expires_in"] == cfg["REFRESH_TTL_SECONDS"]
    assert set(token["scope"].split()) == set(machine_flow.CS_SCOPES.split())
    assert answer.headers["Cache-Control"] == "no-store"
    data = requests.get(controlhub.url + "/context/v1/customer", headers=bearer_headers(token), timeout=10)
    assert data.status_code == 200, data.text


def test_lab_credentials_also_work_in_the_machine_account_flow(controlhub, registration, machine_account, machine_flow):
    """The lab-mode client id and secret of connectionData work in the same grant."""
    answer = machine_flow.grant(machine_account, registration["lab_client_id"], registration["lab_client_secret"])
    assert answer.status_code == 200, answer.text


def test_refresh_grant_renews_the_access_token(controlhub, registration, machine_account, machine_flow, bearer_headers):
    """``grant_type=refresh_token`` with the client's Basic credentials gives a new, working access token."""
    first = machine_flow.grant(machine_account, registration["client_id"], registration["client_secret"]).json()
    answer = requests.post(
        controlhub.url + TOKEN_PATH,
        auth=(registration["client_id"], registration["client_secret"]),
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    renewed = answer.json()
    assert renewed["access_token"] != first["access_token"] and renewed["scope"] == first["scope"]
    assert requests.get(controlhub.url + "/context/v1/customer", headers=bearer_headers(renewed), timeout=10).ok


def test_refresh_token_of_another_component_is_refused(
    controlhub, registration, machine_account, expect_error, machine_flow
):
    """A refresh token works only with the client it was issued to."""
    first = machine_flow.grant(machine_account, registration["client_id"], registration["client_secret"]).json()
    other = identity.register_component(
        get_backend(controlhub.app), "finesse-b.example.com", "custom", "https://finesse-b.example.com/cb"
    )
    answer = requests.post(
        controlhub.url + TOKEN_PATH,
        auth=(other["client_id"], other["client_secret"]),
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
        timeout=10,
    )
    expect_error(answer, 401, "UNAUTHORIZED", "refresh token", field="refresh_token")


def test_only_the_asked_scopes_are_granted(
    controlhub, registration, machine_account, expect_error, machine_flow, bearer_headers
):
    """A token asked for pod_read only reads; writes get 403 naming pod_write."""
    answer = machine_flow.grant(
        machine_account,
        registration["client_id"],
        registration["client_secret"],
        scope="contact-center-context:pod_read",
    )
    headers = bearer_headers(answer.json())
    assert requests.get(controlhub.url + "/context/v1/customer", headers=headers, timeout=10).ok
    write = requests.post(
        controlhub.url + "/context/v1/customer",
        headers=headers,
        timeout=10,
        json={"fieldsets": ["cisco.base.customer"]},
    )
    expect_error(write, 403, "FORBIDDEN", "pod_write")


def test_wrong_machine_account_password_gets_no_bearer(controlhub, machine_account, expect_error, machine_flow):
    """GetBearerToken with a wrong password is a 401."""
    answer = machine_flow.bearer({**machine_account, "password": "x"})
    expect_error(answer, 401, "UNAUTHORIZED", "machine account")


def test_machine_account_not_authorized_for_context_service_gets_no_access_token(
    controlhub, admin_headers, registration, expect_error, machine_flow
):
    """Without ``POST /v1/user/authorize`` the SAML2-bearer grant is refused 403."""
    account = machine_flow.new_account(authorize=False)
    answer = machine_flow.grant(account, registration["client_id"], registration["client_secret"])
    expect_error(answer, 403, "FORBIDDEN", "/v1/user/authorize")


def test_expired_bearer_assertion_is_refused(controlhub, registration, machine_account, expect_error, machine_flow):
    """The GetBearerToken assertion expires on the mock clock; the grant then says to fetch a new one."""
    cfg = controlhub.app.config
    assertion = machine_flow.bearer(machine_account).json()["BearerToken"]
    controlhub.control("POST", "/clock", json={"advanceSeconds": cfg["BEARER_TTL_SECONDS"] + 1}).raise_for_status()
    answer = requests.post(
        controlhub.url + TOKEN_PATH,
        auth=(registration["client_id"], registration["client_secret"]),
        data={"grant_type": machine_flow.SAML2_BEARER, "assertion": assertion},
        timeout=10,
    )
    expect_error(answer, 401, "UNAUTHORIZED", "GetBearerToken", field="assertion")


def test_wrong_client_secret_is_refused_with_unauthorized(
    controlhub, registration, machine_account, expect_error, machine_flow
):
    """A wrong client secret gets 401."""
    answer = machine_flow.grant(machine_account, registration["client_id"], "nope")
    expect_error(answer, 401, "UNAUTHORIZED", "Invalid client credentials")


def test_deregistered_component_gets_no_token(controlhub, registration, machine_account, expect_error, machine_flow):
    """After deregistration the component's credentials are refused with NOT_REGISTERED."""
    identity.deregister(get_backend(controlhub.app), registration["id"])
    answer = machine_flow.grant(machine_account, registration["client_id"], registration["client_secret"])
    expect_error(answer, 403, "NOT_REGISTERED", "deregistered")


def test_unsupported_grant_type_is_refused_naming_grant_type(anonymous_api, expect_error):
    """An unknown grant type is a 400 that names grant_type and the supported ones."""
    answer = anonymous_api.post(TOKEN_PATH, data={"grant_type": "authorization_code", "code": "x"})
    expect_error(answer, 400, "UNSUPPORTED_GRANT_TYPE", "authorization_code", "saml2-bearer", field="grant_type")


def test_missing_grant_parameter_is_refused_naming_it(anonymous_api, registration, expect_error, machine_flow):
    """Each required form parameter missing is a 400 naming it."""
    expect_error(
        anonymous_api.post(TOKEN_PATH, data={}), 400, "BAD_REQUEST", "grant_type is required", field="grant_type"
    )
    answer = anonymous_api.post(
        TOKEN_PATH,
        auth=(registration["client_id"], registration["client_secret"]),
        data={"grant_type": machine_flow.SAML2_BEARER},
    )
    expect_error(answer, 400, "BAD_REQUEST", "assertion is required", field="assertion")


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


def test_authorizing_a_user_id_that_is_not_text_is_a_validation_error(controlhub, admin_api, expect_error):
    """``POST /v1/user/authorize`` whose ``userId`` is missing or not text (an object, a number) names
    ``userId`` (found while typing: an object reached SQLite and answered 500)."""
    org_id = controlhub.app.config["ORG_ID"]
    for user_id in ({"id": "x"}, 7, None, ""):
        body = {"orgId": org_id, "type": "machine", "workgroup": "lab", "userId": user_id}
        answer = admin_api.post("/v1/user/authorize", json=body)
        expect_error(answer, 400, "VALIDATION_ERROR", "userId", field="userId")
