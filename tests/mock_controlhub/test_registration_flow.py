"""Registration over HTTP: /v1/authorize (sign-in, consent, accept/decline) and /v1/unauthorize."""
import base64
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

CALLBACK = "https://finesse-a.example.com/cfadmin/contextservice/callback"


def csrf_of(html):
    """The CSRF token of the first form in a Control Hub page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def error_of(response):
    """``(type, message)`` shown on a Control Hub error page."""
    match = re.search(r'id="error-message" data-error-type="([^"]*)">([^<]*)<', response.text)
    assert match, response.text
    return match.group(1), match.group(2)


def authorize_path(callback_url=CALLBACK, app_type="custom"):
    """The registration URL a component sends the admin to."""
    return "/v1/authorize?" + urlencode({"callbackUrl": callback_url, "appType": app_type})


@pytest.fixture()
def browser(controlhub):
    """A cookie-keeping HTTP client on the mock cloud that does not follow redirects."""
    session = requests.Session()
    session.base = controlhub.url
    yield session
    session.close()


def get(browser, path):
    """GET a path of the mock cloud without following redirects."""
    return browser.get(browser.base + path, allow_redirects=False, timeout=10)


def post(browser, path, data):
    """POST a form to a path of the mock cloud without following redirects."""
    return browser.post(browser.base + path, data=data, allow_redirects=False, timeout=10)


@pytest.fixture()
def admin(browser, controlhub):
    """The HTTP client signed in as the Control Hub admin."""
    cfg = controlhub.app.config
    token = csrf_of(get(browser, "/signin").text)
    answer = post(browser, "/signin", {"csrf_token": token, "email": cfg["ADMIN_EMAIL"],
                                       "password": cfg["ADMIN_PASSWORD"], "next": "/services"})
    assert answer.status_code == 302
    return browser


def accept(admin, callback_url=CALLBACK, decision="accept"):
    """Open the consent page and press Accept (or Decline); returns the redirect response."""
    consent = get(admin, authorize_path(callback_url))
    assert consent.status_code == 200, consent.text
    return post(admin, "/v1/authorize", {"csrf_token": csrf_of(consent.text), "callbackUrl": callback_url,
                                         "appType": "custom", "decision": decision})


def connection_data_of(response):
    """The decoded connectionData JSON of a redirect to the callback."""
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return query["connectionData"][0], json.loads(base64.b64decode(query["connectionData"][0]))


def test_authorize_sends_an_admin_who_is_not_signed_in_to_sign_in_and_back(browser):
    """Registration starts with the Control Hub admin sign-in, which then returns to the consent page."""
    answer = get(browser, authorize_path())
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert location.path == "/signin"
    assert parse_qs(location.query)["next"] == [authorize_path()]


def test_consent_page_names_the_component_host_and_the_org(admin, controlhub):
    """The consent page names the component by the callback's host name and the org by its name."""
    answer = get(admin, authorize_path())
    assert answer.status_code == 200
    assert 'id="consent-component">finesse-a.example.com<' in answer.text
    assert f'id="consent-org">{controlhub.app.config["ORG_NAME"]}<' in answer.text


def test_accept_registers_and_redirects_with_base64_connection_data(admin, controlhub):
    """Accept redirects to the callback with connectionData = base64 JSON of prod and lab credentials."""
    answer = accept(admin)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(CALLBACK + "?connectionData=")
    _, data = connection_data_of(answer)
    org_id = controlhub.app.config["ORG_ID"]
    for mode in ("credentials", "credentialsLabMode"):
        assert set(data[mode]) == {"clientId", "clientSecret", "orgId"}
        assert data[mode]["orgId"] == org_id
    assert data["credentials"]["clientId"] != data["credentialsLabMode"]["clientId"]


def test_connection_data_credentials_obtain_a_machine_token(admin, controlhub):
    """The credentials handed to the callback work at the token endpoint, in both modes."""
    _, data = connection_data_of(accept(admin))
    for mode in ("credentials", "credentialsLabMode"):
        token = requests.post(controlhub.url + "/idb/oauth2/v1/access_token", timeout=10, data={
            "grant_type": "client_credentials", "client_id": data[mode]["clientId"],
            "client_secret": data[mode]["clientSecret"]})
        assert token.status_code == 200, token.text
        assert "contact-center-context:pod_write" in token.json()["scope"]


def test_accepted_component_is_listed_under_resources_as_registered(admin):
    """After Accept the component shows on the Resources tab with state REGISTERED."""
    accept(admin)
    page = get(admin, "/services/context/resources")
    row = re.search(r'data-resource="finesse-a.example.com">(.*?)</tr>', page.text, re.S)
    assert row and "REGISTERED" in row.group(1) and "custom" in row.group(1)


def test_accept_keeps_the_callback_query_and_fragment(admin):
    """connectionData is added to the callback's own query; its parameters and fragment stay."""
    answer = accept(admin, CALLBACK + "?step=2#done")
    location = urlsplit(answer.headers["Location"])
    assert parse_qs(location.query)["step"] == ["2"]
    assert "connectionData" in parse_qs(location.query)
    assert location.fragment == "done"


def test_decline_redirects_with_access_denied_and_registers_nothing(admin):
    """Decline returns to the callback with error=access_denied; no component is registered."""
    answer = accept(admin, decision="decline")
    assert answer.status_code == 302
    assert answer.headers["Location"] == CALLBACK + "?error=access_denied"
    assert 'id="no-resources"' in get(admin, "/services/context/resources").text


@pytest.mark.parametrize("callback_url, fragment", [
    ("", "callbackUrl is required"),
    ("/relative/callback", "callbackUrl must be an absolute http or https URL"),
    ("ftp://finesse.example.com/cb", "callbackUrl must be an absolute http or https URL"),
    ("javascript:alert(1)", "callbackUrl must be an absolute http or https URL"),
    ("https://" + "a" * 2050 + ".example.com/", "callbackUrl must be at most 2048 characters"),
])
def test_invalid_callback_url_is_refused_with_a_clear_error_page(browser, callback_url, fragment):
    """A missing, relative, non-http(s) or over-long callbackUrl gets a 400 page naming callbackUrl."""
    answer = get(browser, authorize_path(callback_url))
    assert answer.status_code == 400
    error_type, message = error_of(answer)
    assert error_type == "BAD_REQUEST"
    assert fragment in message


def test_missing_app_type_is_refused_with_a_clear_error_page(browser):
    """appType is required and limited to 64 letters, digits, '_', '.', '-'."""
    answer = get(browser, "/v1/authorize?" + urlencode({"callbackUrl": CALLBACK}))
    assert answer.status_code == 400
    error_type, message = error_of(answer)
    assert error_type == "BAD_REQUEST"
    assert "appType is required" in message


def test_accept_without_the_csrf_token_is_refused(admin):
    """A consent POST without the session's CSRF token registers nothing."""
    answer = post(admin, "/v1/authorize", {"csrf_token": "forged", "callbackUrl": CALLBACK, "appType": "custom",
                                           "decision": "accept"})
    assert answer.status_code == 400
    error_type, message = error_of(answer)
    assert error_type == "CSRF_FAILED"
    assert "csrf_token" in message
    assert 'id="no-resources"' in get(admin, "/services/context/resources").text


def test_accept_is_refused_while_the_org_is_not_entitled(admin, controlhub):
    """An org without the contact-center-context entitlement cannot register components."""
    from mock_controlhub import get_backend, identity

    identity.set_entitlement(get_backend(controlhub.app), False)
    answer = accept(admin)
    assert answer.status_code == 403
    error_type, message = error_of(answer)
    assert error_type == "NOT_ENTITLED"
    assert "not entitled to Context Service" in message


def unauthorize_path(connection_data, callback_url=CALLBACK):
    """The deregistration URL a component sends the admin to."""
    return "/v1/unauthorize?" + urlencode({"callbackUrl": callback_url, "connectionData": connection_data})


def test_unauthorize_deregisters_the_component_and_returns_to_the_callback(admin, controlhub):
    """Unauthorize with the connection data marks the component UNREGISTERED; its credentials stop working."""
    raw, data = connection_data_of(accept(admin))
    answer = get(admin, unauthorize_path(raw))
    assert answer.status_code == 302
    assert answer.headers["Location"] == CALLBACK + "?deregistered=true"
    page = get(admin, "/services/context/resources")
    assert re.search(r'data-resource="finesse-a.example.com">.*?UNREGISTERED', page.text, re.S)
    token = requests.post(controlhub.url + "/idb/oauth2/v1/access_token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": data["credentials"]["clientId"],
        "client_secret": data["credentials"]["clientSecret"]})
    assert token.status_code == 403
    assert token.json()["error"]["type"] == "NOT_REGISTERED"


@pytest.mark.parametrize("connection_data", [
    "",
    "not base64 at all!",
    base64.b64encode(b"[1, 2]").decode(),
    base64.b64encode(json.dumps({"credentials": {"clientId": "C1"}}).encode()).decode(),
])
def test_unauthorize_with_malformed_connection_data_is_refused(browser, connection_data):
    """connectionData that is missing, not base64 JSON, or without client credentials gets a 400 page."""
    answer = get(browser, unauthorize_path(connection_data))
    assert answer.status_code == 400
    error_type, message = error_of(answer)
    assert error_type == "BAD_REQUEST"
    assert "connectionData" in message


def test_unauthorize_with_unknown_or_wrong_credentials_is_refused(admin):
    """Credentials of no component, or a wrong secret, deregister nothing (401)."""
    _, data = connection_data_of(accept(admin))
    data["credentials"]["clientSecret"] = "guessed"
    forged = base64.b64encode(json.dumps(data).encode()).decode()
    answer = get(admin, unauthorize_path(forged))
    assert answer.status_code == 401
    error_type, message = error_of(answer)
    assert error_type == "UNAUTHORIZED"
    assert "do not belong to any registered component" in message
    assert re.search(r'data-resource="finesse-a.example.com">.*?>REGISTERED<',
                     get(admin, "/services/context/resources").text, re.S)


def test_unauthorize_with_invalid_callback_url_is_refused(admin):
    """Unauthorize validates callbackUrl like authorize does."""
    raw, _ = connection_data_of(accept(admin))
    answer = get(admin, unauthorize_path(raw, callback_url="mailto:admin@example.com"))
    assert answer.status_code == 400
    assert "callbackUrl must be an absolute http or https URL" in error_of(answer)[1]
