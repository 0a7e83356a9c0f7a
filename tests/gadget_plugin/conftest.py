"""Fixtures of the gadget server's API tests: an agent's HTTP client and seeded customers."""

import base64
import io
import json
import logging

import pytest
import requests

from gadget_plugin.logs import JsonFormatter

AGENT_ID = "1001"
AGENT_PASSWORD = "demo1001"


def basic_auth(agent_id=AGENT_ID, password=AGENT_PASSWORD):
    """``Basic <b64 id:password>`` as finesse.js sends it."""
    return "Basic " + base64.b64encode(f"{agent_id}:{password}".encode()).decode()


class AgentClient:
    """Calls ``/api/v1`` of the gadget server as one Finesse agent."""

    def __init__(self, base_url, authorization):
        self.base = base_url + "/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = authorization

    def call(self, method, path, **kwargs):
        """Any call; returns the ``requests.Response``."""
        return self.session.request(method, self.base + path, timeout=15, **kwargs)

    def ok(self, method, path, status=200, **kwargs):
        """A call that must answer ``status``; returns its JSON."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    def error(self, method, path, status, code, **kwargs):
        """A call that must fail with ``status`` and error ``code``; returns the error object."""
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert error["code"] == code, error
        return error


@pytest.fixture()
def client_for(gadget):
    """Factory: an AgentClient of the gadget server sending ``authorization``."""
    return lambda authorization: AgentClient(gadget.url, authorization)


@pytest.fixture()
def basic():
    """The ``basic_auth(agent_id, password)`` helper."""
    return basic_auth


@pytest.fixture()
def api(gadget):
    """Agent 1001's client of the freshly reset gadget server."""
    return AgentClient(gadget.url, basic_auth())


@pytest.fixture()
def customer(api):
    """A stored customer: Ann Smith, +15550102030, ann.smith@example.com."""
    return api.ok(
        "POST",
        "/customers",
        201,
        json={
            "fields": {
                "Context_First_Name": "Ann",
                "Context_Last_Name": "Smith",
                "Context_Mobile_Phone": "+1 555 010 2030",
                "Context_Home_Email": "Ann.Smith@Example.com",
            }
        },
    )


@pytest.fixture()
def call_activity(api, customer):
    """A voice activity for Ann's call, in a new request."""
    return api.ok(
        "POST",
        "/activities",
        201,
        json={
            "customerId": customer["id"],
            "mediaType": "voice",
            "dialogId": "16777217",
            "source": {"name": "Ann Smith", "phone": "+15550102030"},
        },
    )


@pytest.fixture()
def close_requests(controlhub):
    """Advance the mock cloud's clock past the 5 quiet days after which requests close."""

    def advance():
        controlhub.control("POST", "/clock", json={"advanceSeconds": 5 * 24 * 3600 + 60}).raise_for_status()

    return advance


@pytest.fixture()
def faults(controlhub):
    """Set the mock cloud's injected faults (``/_mock/faults``); cleared again after the test."""

    def inject(**settings):
        controlhub.control("POST", "/faults", json=settings).raise_for_status()

    yield inject
    inject()


@pytest.fixture()
def cloud_state(controlhub):
    """Object counts of the mock cloud by type (production partition), from its control API."""
    return lambda: controlhub.control("GET", "/state").json()["objects"]["production"]


@pytest.fixture()
def log_lines():
    """Everything the gadget_plugin loggers write during the test, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("gadget_plugin")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)
