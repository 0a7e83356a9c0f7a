"""Helpers for the mock Finesse API tests: agent credentials, a notification-stream reader, XML errors."""

import base64
import json
import queue
import threading

import pytest
import requests
from lxml import etree

from finesse_harness.servers import ServerThread
from e2e.test_gadget.server import create_app as gadget_server_app


def basic(agent_id, password):
    """An ``Authorization`` header value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{agent_id}:{password}".encode()).decode()


def api_error(response):
    """(ErrorType, ErrorMessage, ErrorData) of an ``<ApiErrors>`` answer."""
    root = etree.fromstring(response.content)
    assert root.tag == "ApiErrors"
    error = root.find("ApiError")
    return error.findtext("ErrorType"), error.findtext("ErrorMessage"), error.findtext("ErrorData")


class NotificationStream:
    """``GET /desktop/notifications`` read in a thread; ``next()`` returns ``(node, <Update> element)``."""

    def __init__(self, base_url, headers):
        self.response = requests.get(f"{base_url}/desktop/notifications", headers=headers, stream=True, timeout=10)
        self.response.raise_for_status()
        self.events = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event, data = None, None
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and event == "update":
                    message = json.loads(data)
                    self.events.put((message["node"], etree.fromstring(message["update"])))
                    event, data = None, None
        except (requests.RequestException, AttributeError, ValueError):
            pass  # the stream was closed by the test

    def next(self, timeout=5):
        """The next update as ``(node, Update element)``; fails the test after ``timeout`` seconds."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no notification within {timeout} s")

    def drain(self, timeout=0.3):
        """Every update that arrives within ``timeout`` seconds of the last one."""
        found = []
        while True:
            try:
                found.append(self.events.get(timeout=timeout))
            except queue.Empty:
                return found

    def close(self):
        """Hang up."""
        self.response.close()


@pytest.fixture(name="basic")
def basic_fixture():
    """``basic(id, password)`` → an HTTP Basic ``Authorization`` value."""
    return basic


@pytest.fixture(name="api_error")
def api_error_fixture():
    """``api_error(response)`` → (ErrorType, ErrorMessage, ErrorData) of an ``<ApiErrors>`` answer."""
    return api_error


@pytest.fixture()
def agent_1001():
    """Headers of agent 1001 (Ana Horvat) for REST calls with an XML body."""
    return {"Authorization": basic("1001", "demo1001"), "Content-Type": "application/xml"}


@pytest.fixture(name="call_variables")
def call_variables_fixture():
    """``call_variables(dialog_element)`` → {name: value} of its mediaProperties/callvariables."""
    return lambda dialog: {
        v.findtext("name"): v.findtext("value") for v in dialog.iterfind("mediaProperties/callvariables/CallVariable")
    }


@pytest.fixture()
def login(finesse):
    """``login(agent_id="1001", state="READY")``: LOGIN on the agent's extension over REST, then ``state``;
    returns the agent's headers for XML requests."""

    def sign_in(agent_id="1001", state="READY"):
        agent = next(a for a in finesse.app.config["AGENTS"] if a["id"] == agent_id)
        headers = {"Authorization": basic(agent_id, agent["password"]), "Content-Type": "application/xml"}
        url = f"{finesse.url}/finesse/api/User/{agent_id}"
        body = f"<User><state>LOGIN</state><extension>{agent['extension']}</extension></User>"
        requests.put(url, data=body, headers=headers, timeout=5).raise_for_status()
        if state != "NOT_READY":
            body = f"<User><state>{state}</state></User>"
            requests.put(url, data=body, headers=headers, timeout=5).raise_for_status()
        return headers

    return sign_in


@pytest.fixture()
def notifications(finesse):
    """Factory: open agent streams (``notifications("1001", "demo1001")``); all closed after the test."""
    streams = []

    def open_stream(agent_id="1001", password="demo1001"):
        stream = NotificationStream(finesse.url, {"Authorization": basic(agent_id, password)})
        streams.append(stream)
        return stream

    yield open_stream
    finesse.reset()  # the server ends every open stream, so the readers stop at once
    for stream in streams:
        stream.close()


@pytest.fixture()
def control(finesse):
    """POST JSON to the control API (``control("/calls", {...})``) and return the JSON answer, checking 2xx."""

    def post(path, body):
        response = finesse.control("POST", path, json=body)
        assert response.ok, response.text
        return response.json()

    return post


@pytest.fixture(scope="session")
def outsider():
    """A web server (the test gadget's app) that is on no allow-list and in no layout."""
    with ServerThread(gadget_server_app()) as server:
        yield server
