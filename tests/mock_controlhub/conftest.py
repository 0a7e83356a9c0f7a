"""Shared fixtures of the mock Control Hub API tests: bearer tokens obtained over HTTP."""
import pytest
import requests


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
    from mock_controlhub import get_backend, identity

    return identity.register_component(get_backend(controlhub.app), "finesse-a.example.com", "custom",
                                       "https://finesse-a.example.com/cfadmin/callback")


@pytest.fixture()
def machine_headers(controlhub, registration):
    """Headers with a machine token of the registered component (client-credentials grant)."""
    answer = grant(controlhub.url, grant_type="client_credentials", client_id=registration["client_id"],
                   client_secret=registration["client_secret"])
    answer.raise_for_status()
    return bearer(answer.json())
