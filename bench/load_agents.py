"""The simulated agents of ``bench/bench_load.py``: an agent's authenticated session, the seeded customers, the
timed calls (``Recorder``) and one contact as the gadget makes it (screen pop or look-up + journey, the record,
5 edits, 1 comment, with think times)."""

import base64
import threading
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import requests

AGENTS = [("1001", "demo1001"), ("1002", "demo1002"), ("1003", "demo1003")]


def agent_session(proxy_url, number):
    """A requests session of one simulated agent (one of the mock Finesse's agents, by turns)."""
    agent_id, password = AGENTS[number % len(AGENTS)]
    session = requests.Session()
    session.headers["Authorization"] = "Basic " + base64.b64encode(f"{agent_id}:{password}".encode()).decode()
    session.base = proxy_url + "/api/v1"
    return session


def seed(proxy_url, count):
    """``count`` customers with their own phone numbers, each with one past call (so each has the open request a
    new call joins, as callers with a history do), stored through the proxy; ``[(id, phone)]``."""
    session = agent_session(proxy_url, 0)

    def one(number):
        phone = f"+1555{number:07d}"
        answer = session.post(
            session.base + "/customers",
            timeout=30,
            json={
                "fields": {
                    "Context_First_Name": "Load",
                    "Context_Last_Name": f"Customer{number}",
                    "Context_Mobile_Phone": phone,
                }
            },
        )
        answer.raise_for_status()
        customer_id = answer.json()["id"]
        past = {"customerId": customer_id, "mediaType": "voice", "source": {"phone": phone}}
        session.post(session.base + "/activities", timeout=30, json=past).raise_for_status()
        return customer_id, phone

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


class Recorder:
    """Latencies and errors per call kind, for the calls that started inside the measured window."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        """Start a new window."""
        with self.lock:
            self.ms, self.errors, self.causes = defaultdict(list), defaultdict(int), defaultdict(int)
            self.started = time.monotonic()

    def call(self, session, kind, method, path, **kwargs):
        """One API call, timed; its JSON, or None when it failed (counted as an error)."""
        began = time.monotonic()
        try:
            answer = session.request(method, session.base + path, timeout=30, **kwargs)
            outcome = answer.status_code if answer.status_code >= 300 else None
            if outcome:
                outcome = f"{outcome} {answer.json().get('error', {}).get('code', '')}".strip()
                if answer.status_code == 503:  # shedding is the documented answer only with its Retry-After
                    retry = answer.headers.get("Retry-After")
                    outcome += f" (Retry-After {retry} s)" if retry else " without Retry-After"
        except (requests.RequestException, ValueError) as exc:
            answer, outcome = None, type(exc).__name__
        elapsed = (time.monotonic() - began) * 1000
        with self.lock:
            if began >= self.started:
                self.ms[kind].append(elapsed)
                if outcome:
                    self.errors[kind] += 1
                    self.causes[outcome] += 1
        return answer.json() if not outcome else None


def contact(recorder, session, customer, think, combined):
    """One simulated contact: screen pop, 5 edits and a comment with think time. A failed call skips the calls
    that need its answer, but the agent keeps the contact's pace (a failure never makes the next calls come
    sooner); False once the run is over."""
    customer_id, phone = customer
    dialog_id = str(uuid.uuid4())
    prepared = None
    if combined:
        body = {"phone": phone, "maxEntries": 50, "dialogId": dialog_id, "mediaType": "voice"}
        pop = recorder.call(session, "screen-pop", "POST", "/screen-pop", json=body)  # as the gadget sends it
        prepared = pop.get("prepared") if pop else None
    else:
        recorder.call(session, "lookup", "GET", "/customers/lookup", params={"phone": phone})
        recorder.call(session, "journey", "GET", f"/customers/{customer_id}/journey")
    activity = recorder.call(
        session,
        "record",
        "POST",
        "/activities",
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={
            "customerId": customer_id,
            "mediaType": "voice",
            "dialogId": dialog_id,
            "source": {"phone": phone},
            "prepared": prepared,
        },
    )
    tags = []
    for edit in range(5):
        if not think():
            return False
        if activity is not None:
            change = (
                {"tags": (tags := tags + [f"tag{edit}"])}
                if edit % 2 == 0
                else {"fields": {"Context_Notes": f"Note {edit} about the call"}}
            )
            activity = recorder.call(
                session,
                "edit",
                "PUT",
                f"/activities/{activity['id']}",
                json={"lastUpdated": activity["lastUpdated"], **change},
            )
    if not think():
        return False
    if activity is not None:
        recorder.call(
            session,
            "comment",
            "POST",
            f"/activities/{activity['id']}/comments",
            headers={"Idempotency-Key": str(uuid.uuid4())},
            json={"text": "Customer called about a bill"},
        )
    return think()
