"""The recorded answers of the contract corpus fed to the proxy's Context Service client (no server): it reads
each shape Cisco's clients read, and the plausible variants where the evidence is silent (inferred)."""

import base64
import datetime as dt
import json

import pytest
import requests

from gadget_plugin.config import load_config
from gadget_plugin.connection import MachineAccount
from gadget_plugin.cs_client import ContextServiceClient
from gadget_plugin.tokens import HeldTokens
from mock_controlhub.identity.registration import encode_connection_data

CONNECTION_DATA = encode_connection_data(
    {
        "credentials": {"clientId": "Cprod", "clientSecret": "prod-secret", "orgId": "org-1"},
        "credentialsLabMode": {"clientId": "Clab", "clientSecret": "lab-secret", "orgId": "org-1"},
    }
)
# A search answer wrapped the way a service might (none is documented for the raw API): the proxy reads both.
ENVELOPES = [
    lambda items: items,
    lambda items: {"objects": items},
    lambda items: {"data": items},
    lambda items: {"items": items, "totalHits": len(items)},
]


class RecordedSession:
    """A requests-like session answering each (method, path) with a recorded body; keeps what was sent."""

    def __init__(self):
        self.answers, self.sent = {}, []

    def answer(self, method, path, body, status=200):
        """Answer ``method path`` with ``body`` (JSON) and ``status``."""
        self.answers[(method, path)] = (status, body)

    def request(self, method, url, **kwargs):
        """The recorded answer of the request, as a requests.Response."""
        path = "/" + url.split("/", 3)[3]
        self.sent.append((method, path, kwargs))
        status, body = self.answers[(method, path)]
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode()
        response.headers["trackingid"] = "RECORDED_0001"
        response.elapsed = dt.timedelta(milliseconds=1)
        return response


@pytest.fixture()
def client():
    """The proxy's client against the recorded session, lab mode (the corpus's partition)."""
    config = load_config(
        {"CONTEXT_SERVICE_URL": "https://cs-rest.example.invalid", "LAB_MODE": True, "CS_RETRIES": 0}, environ={}
    )
    account = MachineAccount("cs-utils-mocha-1", "eeFF12$-not-a-real-password")
    return ContextServiceClient(config, lambda: CONNECTION_DATA, lambda: account, session=RecordedSession())


def _step(contract, scenario, name):
    return next(step for step in contract.scenario(scenario)["steps"] if step["name"] == name)


SEARCHES = [
    ("search customers by last name", "customer"),
    ("search requests by several words after the key", "request"),
    ("search activities by several words after the key", "pod"),
    ("search details by several words after the key", "detail"),
]


@pytest.mark.parametrize("wrap", ENVELOPES, ids=["bare array", "objects", "data", "items"])
@pytest.mark.parametrize("name, object_type", SEARCHES)
def test_search_answers_are_read_as_the_list_of_objects(client, contract, name, object_type, wrap):
    """The recorded bare array [CSU] gives the objects; so do envelopes around it (inferred variants)."""
    step = _step(contract, "cs-utils data objects", name)
    client.tokens._tokens = _held_token()
    client.session.answer("GET", f"/context/v1/{object_type}", wrap(step["answer"]))
    assert client.search(object_type, step["request"]["query"]) == step["answer"]


def test_create_and_get_answers_are_read(client, contract):
    """``{id, refUrl}`` of a create and the object of a get [CSU] come back as they were answered."""
    client.tokens._tokens = _held_token()
    created = _step(contract, "cs-utils data objects", "create customer")
    client.session.answer("POST", "/context/v1/customer", created["answer"], status=201)
    assert client.create("customer", created["request"]["json"])["id"] == created["answer"]["id"]
    got = _step(contract, "cs-utils data objects", "get customer")
    client.session.answer("GET", f"/context/v1/customer/{got['answer']['id']}", got["answer"])
    assert client.get("customer", got["answer"]["id"]) == got["answer"]


def test_dictionary_lists_are_read(client, contract):
    """The field and fieldset searches' arrays [CSU] (and the ATL field with searchable as a string)."""
    client.tokens._tokens = _held_token()
    fields = _step(contract, "cs-utils dictionary", "list fields")["answer"]
    field = _step(contract, "cs-utils dictionary", "get field")["answer"]
    client.session.answer("GET", "/dictionary/field/v1/search", fields + [field])
    client.session.answer(
        "GET", "/dictionary/fieldset/v1/search", _step(contract, "cs-utils dictionary", "list fieldsets")["answer"]
    )
    assert [f["id"] for f in client.fields()] == ["Agent_ID", "Agent_ID"]
    assert client.fieldsets()[0]["id"] == "cisco.base.customer"


def test_recorded_token_answers_give_a_bearer_header_then_a_refreshed_one(client, contract):
    """GetBearerToken's ``BearerToken`` and the grants' ``access_token``/``refresh_token`` [CSU]: the proxy sends
    what Cisco's client sends (JSON name/password; Basic client id:secret; the SAML2 form) and uses the answers."""
    bearer = _step(contract, "machine account token flow", "get bearer token")
    grant = _step(contract, "machine account token flow", "SAML2-bearer grant")
    refresh = _step(contract, "machine account token flow", "refresh grant")
    session = client.session
    session.answer("POST", "/idb/token/org-1/v2/actions/GetBearerToken/invoke", bearer["answer"])
    session.answer("POST", "/idb/oauth2/v1/access_token", grant["answer"])
    assert client.tokens.header() == f"Bearer {grant['answer']['access_token']}"
    (_, _, bearer_call), (_, _, grant_call) = session.sent
    assert bearer_call["json"] == {"name": "cs-utils-mocha-1", "password": "eeFF12$-not-a-real-password"}
    assert grant_call["headers"]["Authorization"] == "Basic " + _basic("Clab", "lab-secret")
    assert grant_call["data"]["grant_type"] == grant["request"]["form"]["grant_type"]
    assert grant_call["data"]["assertion"] == bearer["answer"]["BearerToken"]
    assert set(grant_call["data"]["scope"].split()) == set(grant["request"]["form"]["scope"].split())
    held = client.tokens._tokens
    client.tokens._tokens = type(held)(held.access, 0.0, held.refresh, held.refresh_expires_at)
    session.answer("POST", "/idb/oauth2/v1/access_token", {**refresh["answer"], "access_token": "renewed"})
    assert client.tokens.header() == "Bearer renewed"
    assert session.sent[-1][2]["data"] == {
        "grant_type": "refresh_token",
        "refresh_token": grant["answer"]["refresh_token"],
    }


def _held_token():
    return HeldTokens("recorded-access", float("inf"), "", 0.0)


def _basic(client_id, secret):
    return base64.b64encode(f"{client_id}:{secret}".encode()).decode()
