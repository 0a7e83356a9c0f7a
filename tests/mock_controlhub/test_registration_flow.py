"""Registration over HTTP: /v1/authorize (sign-in, consent, accept/decline) and /v1/unauthorize."""

import base64
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity

CALLBACK = "https://finesse-a.example.com/cfadmin/contextservice/callback"


def authorize_path(callback_url=CALLBACK, app_type="custom"):
    """The registration URL a component sends the admin to."""
    return "/v1/authorize?" + urlencode({"callbackUrl": callback_url, "appType": app_type})


def unauthorize_path(connection_data, callback_url=CALLBACK):
    """The deregistration URL a component sends the admin to."""
    return "/v1/unauthorize?" + urlencode({"callbackUrl": callback_url, "connectionData": connection_data})


def accept(admin_client, callback_url=CALLBACK, decision="accept"):
    """Open the consent page and press Accept (or Decline); returns the redirect response."""
    return admin_client.submit(
        "/v1/authorize",
        {"callbackUrl": callback_url, "appType": "custom", "decision": decision},
        token_from=authorize_path(callback_url),
    )


def connection_data_of(response):
    """The raw and the decoded connectionData of a redirect to the callback."""
    raw = parse_qs(urlsplit(response.headers["Location"]).query)["connectionData"][0]
    return raw, json.loads(base64.b64decode(raw))


def machine_token(machine_flow, credentials):
    """The machine-account flow with ``credentials`` (a new authorized machine account); the response."""
    return machine_flow.grant(machine_flow.new_account(), credentials["clientId"], credentials["clientSecret"])


def resource_row(admin_client, name="finesse-a.example.com"):
    """The Resources tab's table row of the component ``name`` (HTML), or None."""
    page = admin_client.get("/services/context/resources").text
    match = re.search(rf'data-resource="{re.escape(name)}">(.*?)</tr>', page, re.S)
    return match.group(1) if match else None


def test_authorize_sends_an_admin_who_is_not_signed_in_to_sign_in_and_back(page_client):
    """Registration starts with the Control Hub admin sign-in, which then returns to the consent page."""
    answer = page_client.get(authorize_path())
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/signin"
    next_url = urlsplit(parse_qs(location.query)["next"][0])
    assert next_url.path == "/v1/authorize"
    assert parse_qs(next_url.query) == {"callbackUrl": [CALLBACK], "appType": ["custom"]}


def test_consent_posted_after_the_session_ended_leads_back_to_the_consent_page(page_client):
    """An Accept from a signed-out browser registers nothing and returns, via sign-in, to the consent page."""
    answer = page_client.post(
        "/v1/authorize", data={"callbackUrl": CALLBACK, "appType": "custom", "decision": "accept"}
    )
    assert answer.status_code == 302
    next_url = parse_qs(urlsplit(answer.headers["Location"]).query)["next"][0]
    assert parse_qs(urlsplit(next_url).query) == {"callbackUrl": [CALLBACK], "appType": ["custom"]}


def test_consent_page_names_the_component_host_and_the_org(admin_client, controlhub):
    """The consent page names the component by the callback's host name and the org by its name."""
    answer = admin_client.get(authorize_path())
    assert answer.status_code == 200
    assert 'id="consent-component">finesse-a.example.com<' in answer.text
    assert f'id="consent-org">{controlhub.app.config["ORG_NAME"]}<' in answer.text


def test_consent_page_shows_a_markup_callback_as_text(admin_client):
    """A callback URL carrying markup is shown escaped on the consent page, never as markup."""
    answer = admin_client.get(authorize_path("https://finesse.example.com/cb?x=<script>alert(1)</script>"))
    assert answer.status_code == 200
    assert "<script>alert(1)</script>" not in answer.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text


def test_accept_registers_and_redirects_with_base64_connection_data(admin_client, controlhub):
    """Accept redirects to the callback with connectionData = base64 JSON of prod and lab credentials."""
    answer = accept(admin_client)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(CALLBACK + "?connectionData=")
    _, data = connection_data_of(answer)
    for mode in ("credentials", "credentialsLabMode"):
        assert set(data[mode]) == {"clientId", "clientSecret", "orgId"}
        assert data[mode]["orgId"] == controlhub.app.config["ORG_ID"]
    assert data["credentials"]["clientId"] != data["credentialsLabMode"]["clientId"]


def test_connection_data_credentials_obtain_a_machine_token(admin_client, machine_flow):
    """The credentials handed to the callback work at the token endpoint, in both modes."""
    _, data = connection_data_of(accept(admin_client))
    for mode in ("credentials", "credentialsLabMode"):
        token = machine_token(machine_flow, data[mode])
        assert token.status_code == 200, token.text
        assert "contact-center-context:pod_write" in token.json()["scope"]


def test_accepted_component_is_listed_under_resources_as_registered(admin_client):
    """After Accept the component shows on the Resources tab with its type and state REGISTERED."""
    accept(admin_client)
    row = resource_row(admin_client)
    assert row and ">REGISTERED<" in row and ">custom<" in row


def test_accept_keeps_the_callback_query_and_fragment(admin_client):
    """connectionData is added to the callback's own query; its parameters and fragment stay."""
    location = urlsplit(accept(admin_client, CALLBACK + "?step=2#done").headers["Location"])
    assert parse_qs(location.query)["step"] == ["2"]
    assert "connectionData" in parse_qs(location.query)
    assert location.fragment == "done"


def test_decline_redirects_with_access_denied_and_registers_nothing(admin_client):
    """Decline returns to the callback with error=access_denied; no component is registered."""
    answer = accept(admin_client, decision="decline")
    assert answer.status_code == 302
    assert answer.headers["Location"] == CALLBACK + "?error=access_denied"
    assert 'id="no-resources"' in admin_client.get("/services/context/resources").text


@pytest.mark.parametrize(
    "callback_url, fragment",
    [
        ("", "callbackUrl is required"),
        ("/relative/callback", "callbackUrl must be an absolute http or https URL"),
        ("ftp://finesse.example.com/cb", "callbackUrl must be an absolute http or https URL"),
        ("javascript:alert(1)", "callbackUrl must be an absolute http or https URL"),
        ("https://" + "a" * 2050 + ".example.com/", "callbackUrl must be at most 2048 characters"),
    ],
)
def test_invalid_callback_url_is_refused_with_a_clear_error_page(
    page_client, expect_page_error, callback_url, fragment
):
    """A missing, relative, non-http(s) or over-long callbackUrl gets a 400 page naming callbackUrl."""
    expect_page_error(page_client.get(authorize_path(callback_url)), 400, "BAD_REQUEST", fragment)


def test_missing_app_type_is_refused_with_a_clear_error_page(page_client, expect_page_error):
    """appType is required and limited to 64 letters, digits, '_', '.', '-'."""
    answer = page_client.get("/v1/authorize?" + urlencode({"callbackUrl": CALLBACK}))
    expect_page_error(answer, 400, "BAD_REQUEST", "appType is required")


def test_accept_without_the_csrf_token_is_refused(admin_client, expect_page_error):
    """A consent POST without the session's CSRF token registers nothing."""
    answer = admin_client.post(
        "/v1/authorize",
        data={"csrf_token": "forged", "callbackUrl": CALLBACK, "appType": "custom", "decision": "accept"},
    )
    expect_page_error(answer, 400, "CSRF_FAILED", "csrf_token")
    assert resource_row(admin_client) is None


def test_accept_is_refused_while_the_org_is_not_entitled(admin_client, controlhub, expect_page_error):
    """An org without the contact-center-context entitlement cannot register components."""
    identity.set_entitlement(get_backend(controlhub.app), False)
    expect_page_error(accept(admin_client), 403, "NOT_ENTITLED", "not entitled to Context Service")
    assert resource_row(admin_client) is None


def test_unauthorize_deregisters_the_component_and_returns_to_the_callback(admin_client, machine_flow):
    """Unauthorize with the connection data marks the component UNREGISTERED; its credentials stop working."""
    raw, data = connection_data_of(accept(admin_client))
    answer = admin_client.get(unauthorize_path(raw))
    assert answer.status_code == 302
    assert answer.headers["Location"] == CALLBACK + "?deregistered=true"
    assert ">UNREGISTERED<" in resource_row(admin_client)
    token = machine_token(machine_flow, data["credentials"])
    assert token.status_code == 403
    assert token.json()["error"]["type"] == "NOT_REGISTERED"


@pytest.mark.parametrize(
    "connection_data",
    [
        "",
        "not base64 at all!",
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(json.dumps({"credentials": {"clientId": "C1"}}).encode()).decode(),
    ],
)
def test_unauthorize_with_malformed_connection_data_is_refused(page_client, expect_page_error, connection_data):
    """connectionData that is missing, not base64 JSON, or without client credentials gets a 400 page."""
    expect_page_error(page_client.get(unauthorize_path(connection_data)), 400, "BAD_REQUEST", "connectionData")


def test_unauthorize_with_a_wrong_secret_is_refused(admin_client, expect_page_error):
    """Credentials whose secret does not match deregister nothing (401)."""
    _, data = connection_data_of(accept(admin_client))
    data["credentials"]["clientSecret"] = "guessed"
    forged = base64.b64encode(json.dumps(data).encode()).decode()
    expect_page_error(
        admin_client.get(unauthorize_path(forged)), 401, "UNAUTHORIZED", "do not belong to any registered component"
    )
    assert ">REGISTERED<" in resource_row(admin_client)


def test_unauthorize_with_invalid_callback_url_is_refused(admin_client, expect_page_error):
    """Unauthorize validates callbackUrl like authorize does."""
    raw, _ = connection_data_of(accept(admin_client))
    expect_page_error(
        admin_client.get(unauthorize_path(raw, callback_url="mailto:admin@example.com")),
        400,
        "BAD_REQUEST",
        "callbackUrl must be an absolute http or https URL",
    )
    assert ">REGISTERED<" in resource_row(admin_client)
