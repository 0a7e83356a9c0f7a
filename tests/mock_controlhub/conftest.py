"""Shared fixtures of the mock Control Hub API tests: bearer tokens obtained over HTTP, page clients."""

import html
import re
import uuid

import pytest
import requests

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity


class ApiSession(requests.Session):
    """A requests session bound to one server: paths are relative to its base URL."""

    def __init__(self, base_url, headers=None):
        super().__init__()
        self.base_url = base_url
        self.headers.update(headers or {})

    def request(self, method, url, *args, **kwargs):
        """Send ``method`` to ``base_url + url`` (10 s timeout unless given)."""
        kwargs.setdefault("timeout", 10)
        return super().request(method, self.base_url + url, *args, **kwargs)


def bearer(token):
    """The Authorization header for an access token answer."""
    return {"Authorization": f"Bearer {token['access_token']}"}


def grant(base_url, **form):
    """POST the token endpoint with ``form``; returns the response."""
    return requests.post(base_url + "/idb/oauth2/v1/access_token", data=form, timeout=10)


@pytest.fixture()
def admin_headers(controlhub):
    """Headers with a fresh Control Hub admin token (password grant)."""
    cfg = controlhub.app.config
    answer = grant(controlhub.url, grant_type="password", username=cfg["ADMIN_EMAIL"], password=cfg["ADMIN_PASSWORD"])
    answer.raise_for_status()
    return bearer(answer.json())


@pytest.fixture()
def registration(controlhub):
    """A registered component (Finesse) with its prod and lab client credentials."""
    return identity.register_component(
        get_backend(controlhub.app), "finesse-a.example.com", "custom", "https://finesse-a.example.com/cfadmin/callback"
    )


SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
# The scopes Cisco's clients ask for (reference §2.9 [CSU lib/utils.js getScopes]).
CS_SCOPES = (
    "contact-center-context:pod_write contact-center-context:pod_read webex-squared:kms_read "
    "webex-squared:kms_bind webex-squared:kms_write spark:kms"
)


def new_machine_account(base_url, headers, org_id, authorize=True):
    """Create a machine account over HTTP as the admin (and authorize it for Context Service) [CSU test.js];
    returns ``{id, name, password}``."""
    name = f"cs-utils-mocha-{uuid.uuid4().hex[:8]}"
    password = "eeFF12$" + uuid.uuid4().hex
    answer = requests.post(
        f"{base_url}/organization/{org_id}/v1/Machines",
        headers=headers,
        timeout=10,
        json={"name": name, "password": password, "machineType": "bot"},
    )
    assert answer.status_code == 201, answer.text
    account = {"id": answer.json()["id"], "name": name, "password": password}
    if authorize:
        answer = requests.post(
            f"{base_url}/v1/user/authorize",
            headers=headers,
            timeout=10,
            json={"orgId": org_id, "userId": account["id"], "type": "machine", "workgroup": "lab"},
        )
        assert answer.status_code == 200, answer.text
    return account


def bearer_assertion(base_url, org_id, account):
    """``GetBearerToken`` for a machine account; returns the response."""
    return requests.post(
        f"{base_url}/idb/token/{org_id}/v2/actions/GetBearerToken/invoke",
        timeout=10,
        json={"name": account["name"], "password": account["password"]},
    )


def machine_grant(base_url, org_id, account, client_id, client_secret, scope=CS_SCOPES):
    """The whole machine-account flow: GetBearerToken, then the SAML2-bearer grant with HTTP Basic client
    credentials [CSU lib/machine-account.js]; returns the token endpoint's response."""
    assertion = bearer_assertion(base_url, org_id, account)
    assert assertion.status_code == 200, assertion.text
    return requests.post(
        base_url + "/idb/oauth2/v1/access_token",
        auth=(client_id, client_secret),
        timeout=10,
        data={"grant_type": SAML2_BEARER, "assertion": assertion.json()["BearerToken"], "scope": scope},
    )


class MachineFlow:
    """The machine-account token flow against one mock cloud (helpers above, bound to its URL and org)."""

    SAML2_BEARER = SAML2_BEARER
    CS_SCOPES = CS_SCOPES

    def __init__(self, base_url, org_id, admin_headers):
        self.base_url, self.org_id, self.admin_headers = base_url, org_id, admin_headers

    def new_account(self, authorize=True):
        """A new machine account ``{id, name, password}`` (authorized for Context Service unless told not)."""
        return new_machine_account(self.base_url, self.admin_headers, self.org_id, authorize)

    def bearer(self, account):
        """GetBearerToken's response for the account."""
        return bearer_assertion(self.base_url, self.org_id, account)

    def grant(self, account, client_id, client_secret, scope=CS_SCOPES):
        """The token endpoint's response to the whole flow."""
        return machine_grant(self.base_url, self.org_id, account, client_id, client_secret, scope)


@pytest.fixture()
def machine_flow(controlhub, admin_headers):
    """A MachineFlow on the mock cloud."""
    return MachineFlow(controlhub.url, controlhub.app.config["ORG_ID"], admin_headers)


@pytest.fixture()
def bearer_headers():
    """``bearer_headers(token_answer)`` → the Authorization header."""
    return bearer


@pytest.fixture()
def machine_account(controlhub, admin_headers):
    """A machine account of the org, authorized for Context Service: ``{id, name, password}``."""
    return new_machine_account(controlhub.url, admin_headers, controlhub.app.config["ORG_ID"])


@pytest.fixture()
def machine_headers(controlhub, registration, machine_account):
    """Headers with the registered component's access token for the machine account (SAML2-bearer grant)."""
    answer = machine_grant(
        controlhub.url,
        controlhub.app.config["ORG_ID"],
        machine_account,
        registration["client_id"],
        registration["client_secret"],
    )
    answer.raise_for_status()
    return bearer(answer.json())


@pytest.fixture()
def admin_api(controlhub, admin_headers):
    """An ApiSession on the mock cloud authenticated as the Control Hub admin."""
    with ApiSession(controlhub.url, admin_headers) as session:
        yield session


@pytest.fixture()
def machine_api(controlhub, machine_headers):
    """An ApiSession on the mock cloud authenticated as the registered component."""
    with ApiSession(controlhub.url, machine_headers) as session:
        yield session


@pytest.fixture()
def make_api():
    """``make_api(base_url, headers=None)`` → an ApiSession closed after the test (for other servers)."""
    sessions = []

    def make(base_url, headers=None):
        sessions.append(ApiSession(base_url, headers))
        return sessions[-1]

    yield make
    for session in sessions:
        session.close()


@pytest.fixture()
def anonymous_api(controlhub):
    """An ApiSession on the mock cloud without credentials."""
    with ApiSession(controlhub.url) as session:
        yield session


def _expect_error(response, status, error_type, *fragments, **details):
    """Assert an error answer: status, ``error.type``, message fragments and detail values."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["type"] == error_type, error
    for fragment in fragments:
        assert fragment in error["message"], error
    for key, value in details.items():
        assert error.get(key) == value, error
    return error


@pytest.fixture()
def expect_error():
    """``expect_error(response, status, type, *message_fragments, field=..., limit=...)``."""
    return _expect_error


LAB = {"cisco-context-labmode": "true"}


class ContextApi:
    """The Context Service object API over HTTP, with helpers that create objects and assert success."""

    def __init__(self, session):
        self.session = session

    def create(self, path_type, body, lab=False):
        """POST an object; asserts 201 and returns ``{id, refUrl, lastUpdated}``."""
        response = self.session.post(f"/context/v1/{path_type}", json=body, headers=LAB if lab else {})
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, path_type, object_id, lab=False):
        """GET an object; asserts 200 and returns it."""
        response = self.session.get(f"/context/v1/{path_type}/{object_id}", headers=LAB if lab else {})
        assert response.status_code == 200, response.text
        return response.json()

    def search_response(self, path_type, lab=False, **params):
        """GET a search; asserts 200 and a bare JSON array answer [CSU]; returns the response."""
        response = self.session.get(f"/context/v1/{path_type}", params=params, headers=LAB if lab else {})
        assert response.status_code == 200, response.text
        assert isinstance(response.json(), list), response.text
        return response

    def search(self, path_type, lab=False, **params):
        """GET a search; returns the page of objects (the answer's array)."""
        return self.search_response(path_type, lab, **params).json()

    def total(self, path_type, lab=False, **params):
        """GET a search; returns the hit count from the mock-only X-Mock-Total-Hits header."""
        return int(self.search_response(path_type, lab, **params).headers["X-Mock-Total-Hits"])

    def customer(self, lab=False, tags=(), **values):
        """Create a customer from ``Context_*`` values; returns its id."""
        elements = [{field: value, "type": "string"} for field, value in values.items()]
        body = {"fieldsets": ["cisco.base.customer"], "dataElements": elements, "tags": list(tags)}
        return self.create("customer", body, lab)["id"]

    def request(self, customer_id, title="Router keeps disconnecting", lab=False):
        """Create a request of a customer; returns its id."""
        body = {
            "customerId": customer_id,
            "fieldsets": ["cisco.base.request"],
            "dataElements": [{"Context_Title": title, "type": "string"}],
        }
        return self.create("request", body, lab)["id"]

    def activity(self, customer_id=None, request_id=None, media_type="voice", tags=(), lab=False):
        """Create an activity (optionally under a customer and a request); returns its id."""
        body = {"mediaType": media_type, "fieldsets": ["cisco.base.pod"], "tags": list(tags)}
        body.update({key: value for key, value in (("customerId", customer_id), ("parentId", request_id)) if value})
        return self.create("activity", body, lab)["id"]


@pytest.fixture()
def context_api(machine_api):
    """ContextApi on the mock cloud with the registered component's machine token."""
    return ContextApi(machine_api)


# --- Control Hub pages over HTTP (browser-like: cookies, CSRF form tokens, no redirect following) ----------


class PageClient(ApiSession):
    """An ApiSession for the Control Hub pages: keeps the session cookie and never follows redirects."""

    def request(self, method, url, *args, **kwargs):
        """Send the request; redirects are returned, not followed."""
        kwargs["allow_redirects"] = False  # Session.get() passes allow_redirects=True itself
        return super().request(method, url, *args, **kwargs)

    def csrf(self, path="/signin"):
        """The CSRF token of the form on the page at ``path``."""
        return re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text).group(1)

    def submit(self, path, form, token_from=None):
        """POST ``form`` to ``path`` with the session's CSRF token (read from ``token_from``, default ``path``)."""
        return self.post(path, data={"csrf_token": self.csrf(token_from or path), **form})


@pytest.fixture()
def page_client(controlhub):
    """A PageClient on the mock cloud, not signed in."""
    with PageClient(controlhub.url) as client:
        yield client


@pytest.fixture()
def admin_client(controlhub, page_client):
    """A PageClient signed in to Control Hub as the admin."""
    cfg = controlhub.app.config
    answer = page_client.submit("/signin", {"email": cfg["ADMIN_EMAIL"], "password": cfg["ADMIN_PASSWORD"]})
    assert answer.status_code == 302, answer.text
    return page_client


def _expect_page_error(response, status, error_type, *fragments):
    """Assert a Control Hub error page: status, the error type it carries and message fragments."""
    assert response.status_code == status, response.text
    match = re.search(r'id="error-message" data-error-type="([^"]*)">([^<]*)<', response.text)
    assert match, response.text
    assert match.group(1) == error_type, match.group(0)
    message = html.unescape(match.group(2))
    for fragment in fragments:
        assert fragment in message, message
    return message


@pytest.fixture()
def expect_page_error():
    """``expect_page_error(response, status, type, *message_fragments)`` for the HTML error pages."""
    return _expect_page_error
