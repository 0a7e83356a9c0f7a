"""Fixtures of the gadget server's API tests: an agent's HTTP client and seeded customers."""

import base64
import io
import json
import logging
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests

from gadget_plugin import get_backend
from gadget_plugin.logs import JsonFormatter
from gadget_plugin.transport import Answer

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


class ContextServiceCalls:
    """The Context Service calls of one proxy: ``calls`` ``(method, path, started, ended)`` made for the requests
    themselves, ``settled`` ``(method, path)`` made by the background settles after the answer."""

    def __init__(self):
        self.calls = []
        self.settled = []
        self._lock = threading.Lock()

    def add(self, method, path, started, ended):
        """Record one finished call (on a ``cs-settle`` thread: a settle's)."""
        with self._lock:
            if threading.current_thread().name.startswith("cs-settle"):
                self.settled.append((method, path))
            else:
                self.calls.append((method, path, started, ended))

    def made(self):
        """``[(method, path)]`` of the requests' calls in the order they started."""
        return [(method, path) for method, path, _, _ in sorted(self.calls, key=lambda call: call[2])]

    def clear(self):
        """Forget the calls so far."""
        with self._lock:
            self.calls.clear()
            self.settled.clear()

    def rounds(self):
        """The longest chain of calls each starting after the previous one ended."""
        ordered = sorted(self.calls, key=lambda call: call[2])
        depth = []
        for _, _, started, _ in ordered:
            before = [d for d, (_, _, _, ended) in zip(depth, ordered) if ended <= started]
            depth.append(1 + max(before, default=0))
        return max(depth, default=0)

    def after(self, method, path_start):
        """The calls that started after the first ``method`` call to a path starting with ``path_start`` ended."""
        ends = [ended for m, path, _, ended in self.calls if m == method and path.startswith(path_start)]
        return [(m, path) for m, path, started, _ in self.calls if ends and started >= min(ends)]


@pytest.fixture()
def cs_recorder(gadget):
    """Factory: ``cs_recorder(app=None, around=None)`` records the Context Service calls of ``app`` (default the
    gadget server's) until the test ends, as a ContextServiceCalls; ``around(method, path, send)``, if given,
    makes each call (``send()`` makes the real one) to inject what the mock cannot play."""
    installed = []

    def install(app=None, around=None):
        session = get_backend(app or gadget.app).cs.session
        original, log = session.request, ContextServiceCalls()

        def recorded(method, url, **kwargs):
            started, path = time.monotonic(), urlsplit(url).path
            try:
                if around:
                    return around(method, path, lambda: original(method, url, **kwargs))
                return original(method, url, **kwargs)
            finally:
                log.add(method, path, started, time.monotonic())

        session.request = recorded
        installed.append((session, original))
        return log

    yield install
    for session, original in reversed(installed):
        session.request = original


# Context Service's answer to an update is inferred (reference §2.2, §7.2): the mock answers the whole object;
# these are the other plausible answers, each played by cutting the mock's real answer.
PUT_ANSWERS = {
    "200 with id and lastUpdated": (200, lambda full: {"id": full["id"], "lastUpdated": full["lastUpdated"]}),
    "202 with id and lastUpdated": (202, lambda full: {"id": full["id"], "lastUpdated": full["lastUpdated"]}),
    "200 with an empty object": (200, lambda full: {}),
    "204 without a body": (204, lambda full: None),
}


@pytest.fixture()
def put_answered(cs_recorder):
    """``put_answered(name)``: until the test ends, every update the gadget server makes (stored for real by the
    mock) is answered as ``PUT_ANSWERS[name]`` says instead of with the whole object."""

    def install(name):
        status, body = PUT_ANSWERS[name]

        def around(method, path, send):
            response = send()
            if method != "PUT" or response.status_code != 200:
                return response
            shown = body(response.json())
            content = b"" if shown is None else json.dumps(shown).encode()
            return Answer(status, response.headers, content, response.elapsed)

        return cs_recorder(around=around)

    return install


def waiting_for(gadget, dialog_id, agent_id="1001"):
    """Poll until a request of this process holds the hand-over slot of the agent's dialog (10 s at most)."""
    pops = get_backend(gadget.app).pops
    deadline = time.monotonic() + 10
    while not pops.pending((agent_id, dialog_id)):
        assert time.monotonic() < deadline, "no hand-over slot"
        time.sleep(0.01)


def in_thread(call):
    """Start ``call`` in a thread; ``join()`` gives ``(its result, when it returned)``."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=call(), at=time.monotonic()))
    thread.start()

    def join():
        thread.join(15)
        return result["value"], result["at"]

    return join


def simultaneous(*calls):
    """Run the calls at the same moment (a barrier), each in its own thread; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        answers[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers
