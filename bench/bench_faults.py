"""Faults: 100 concurrent journeys and 20 concurrent creates while Context Service is slow (5 s), hung or down.

Starts the mock cloud and the mock Finesse in threads of this process, a TCP relay in front of the mock cloud
(``finesse_harness/fault_proxy.py``: ``hung`` accepts and never answers, ``down`` resets every connection) and the proxy in
its own process: ``customer-context serve`` (the development server) or, with ``--gunicorn``, gunicorn in the
documented production shape (``--workers 4 --threads 64``). Every Context Service call of the proxy goes
through the relay.

For each fault it fires the journeys and the creates at once, samples ``/healthz`` every 10 ms meanwhile, then
clears the fault and checks every create by searching for its unique last name. It prints the slowest answer,
the answers by status, ``/healthz`` p50/p99, and created-vs-acknowledged counts: acknowledged-but-missing and
refused-but-stored must be 0. A create whose budget ran out after its POST was sent is "unknown" (504, the
proxy says it may be stored); it is retried with its ``Idempotency-Key`` after the fault, as the gadget does,
and the number of customers each key left behind is counted (duplicates must be 0).

Targets (issue #10): slowest answer <= REQUEST_BUDGET_SECONDS + 1 s, /healthz p99 <= 50 ms, 0 acknowledged-but-
missing, 0 refused-but-stored.

    python bench/bench_faults.py [--gunicorn] [--faults slow,hung,down] [--journeys 100] [--creates 20]
"""

import argparse
import base64
import collections
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

from finesse_harness.fault_proxy import FaultProxy
from finesse_harness.harness import start_harness
from finesse_harness.mock_control import mock_control

BUDGET_SECONDS = 8.0
LATENCY_MS = 5000
HEALTH_P99_TARGET_MS = 50
GUNICORN_SHAPE = ["--workers", "4", "--threads", "64"]
AUTH = {"Authorization": "Basic " + base64.b64encode(b"1001:demo1001").decode()}
CLIENT_TIMEOUT = 60


def api_session(proxy_url):
    """Agent 1001's session to the proxy API (one per thread: sessions are not thread-safe)."""
    session = requests.Session()
    session.headers.update(AUTH)
    session.base = proxy_url + "/api/v1"
    return session


def seed(proxy_url, count):
    """``count`` customers with a call each; their ids."""
    session, ids = api_session(proxy_url), []
    for number in range(count):
        customer = session.post(
            session.base + "/customers",
            timeout=30,
            json={"fields": {"Context_First_Name": "Journey", "Context_Last_Name": f"Seed{number}"}},
        )
        customer.raise_for_status()
        session.post(
            session.base + "/activities",
            timeout=30,
            json={
                "customerId": customer.json()["id"],
                "mediaType": "voice",
                "source": {"phone": f"+3859100{number:04d}"},
            },
        ).raise_for_status()
        ids.append(customer.json()["id"])
    return ids


def set_fault(fault, hub, relay):
    """Put the mock cloud (latency) or the relay (hung, down) into ``fault``; ``None`` clears every fault."""
    mock_control(
        hub.url, "POST", "/faults", json={"latencyMs": LATENCY_MS} if fault == "slow" else {}
    ).raise_for_status()
    relay.mode = fault if fault in ("hung", "down") else "pass"


def timed_call(proxy_url, method, path, **kwargs):
    """``(status, seconds, json)`` of one call (status 0: no answer within the client's 60 s)."""
    session = api_session(proxy_url)
    started = time.monotonic()
    try:
        response = session.request(method, session.base + path, timeout=CLIENT_TIMEOUT, **kwargs)
        body = response.json() if response.content else {}
        return response.status_code, time.monotonic() - started, body
    except (requests.RequestException, ValueError):
        return 0, time.monotonic() - started, {}


def probe_health(proxy_url):
    """``--probe`` mode, a process of its own like a load balancer's: GET /healthz every 10 ms until stdin
    closes, then print the milliseconds one a line (a timeout counts as 5,000)."""
    stop, samples, session = threading.Event(), [], requests.Session()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    while not stop.is_set():
        started = time.monotonic()
        try:
            session.get(proxy_url + "/healthz", timeout=5).raise_for_status()
            samples.append((time.monotonic() - started) * 1000)
        except requests.RequestException:
            samples.append(5000.0)
        time.sleep(0.01)
    print("\n".join(f"{ms:.3f}" for ms in samples))
    return 0


def start_probe(proxy_url):
    """The /healthz probe process (``--probe``); ``finish_probe`` stops it and reads its samples."""
    probe = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--probe", proxy_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)
    return probe


def finish_probe(probe):
    """The probe's /healthz milliseconds."""
    output, _ = probe.communicate("", timeout=30)
    return [float(line) for line in output.split()]


def idle_health(proxy_url, seconds=3):
    """/healthz milliseconds with no load at all: what the machine itself allows right now."""
    probe = start_probe(proxy_url)
    time.sleep(seconds)
    return finish_probe(probe)


def run_load(proxy_url, customer_ids, journeys, creates, fault):
    """Fire the journeys and creates at once while a probe process samples /healthz; ``(journey answers,
    create answers, /healthz ms)``."""
    probe = start_probe(proxy_url)
    marks = [(f"F{fault}{number}x{uuid.uuid4().hex[:6]}", str(uuid.uuid4())) for number in range(creates)]
    with ThreadPoolExecutor(max_workers=journeys + creates) as pool:
        journey_futures = [
            pool.submit(timed_call, proxy_url, "GET", f"/customers/{customer_ids[n % len(customer_ids)]}/journey")
            for n in range(journeys)
        ]
        create_futures = [pool.submit(create, proxy_url, mark, key) for mark, key in marks]
        journey_answers = [future.result() for future in journey_futures]
        create_answers = [(mark, key, future.result()) for (mark, key), future in zip(marks, create_futures)]
    return journey_answers, create_answers, finish_probe(probe)


def create(proxy_url, mark, key):
    """POST one customer named by its unique ``mark``, with an Idempotency-Key."""
    return timed_call(
        proxy_url,
        "POST",
        "/customers",
        headers={"Idempotency-Key": key},
        json={"fields": {"Context_First_Name": "Fault", "Context_Last_Name": mark}},
    )


def stored_count(proxy_url, mark):
    """How many customers carry this last name (after the fault is cleared)."""
    status, _, body = timed_call(proxy_url, "GET", "/customers/search", params={"q": mark})
    if status != 200:
        raise RuntimeError(f"search for {mark} answered {status}: {body}")
    return body["totalHits"]


def wait_until_available(proxy_url, seconds=30):
    """Poll /api/v1/status until the proxy says Context Service is available again."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, _, body = timed_call(proxy_url, "GET", "/status")
        if status == 200 and body.get("available"):
            return
        time.sleep(0.5)
    raise RuntimeError("Context Service did not become available again")


def settle_creates(proxy_url, create_answers):
    """Classify each create against what was stored; unknown outcomes are retried with their key first."""
    counts = collections.Counter()
    for mark, key, (status, _, _body) in create_answers:
        outcome = "acknowledged" if 200 <= status < 300 else "unknown" if status in (0, 504) else "refused"
        counts[outcome] += 1
        if outcome == "unknown":
            retry_status = create(proxy_url, mark, key)[0]
            counts["unknown, retried: " + ("stored" if 200 <= retry_status < 300 else f"HTTP {retry_status}")] += 1
        stored = stored_count(proxy_url, mark)
        if outcome == "acknowledged" and stored == 0:
            counts["acknowledged-but-missing"] += 1
        if outcome == "refused" and stored > 0:
            counts["refused-but-stored"] += 1
        if stored > 1:
            counts["duplicates"] += stored - 1
    return counts


def percentile(values, share):
    """The ``share`` percentile (0–1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def codes(answers):
    """``{"504 UPSTREAM_TIMEOUT": n, …}`` of answers."""
    return dict(
        collections.Counter(
            f"{status} {(body.get('error') or {}).get('code', '')}".strip() for status, _, body in answers
        )
    )


def report(fault, journey_answers, create_answers, health, counts):
    """Print one fault's figures against the targets."""
    slowest = max(seconds for _, seconds, _ in journey_answers + [answer for _, _, answer in create_answers])
    p99 = percentile(health, 0.99)
    print(f"\n== Context Service {fault} ({f'latency {LATENCY_MS} ms' if fault == 'slow' else fault}) ==")
    print(
        f"slowest answer {slowest:.2f} s (target <= {BUDGET_SECONDS + 1:g} s: "
        f"{'met' if slowest <= BUDGET_SECONDS + 1 else 'MISSED'})"
    )
    print(
        f"/healthz during the load: p50 {percentile(health, 0.5):.1f} ms, p99 {p99:.1f} ms over {len(health)} "
        f"samples (target p99 <= {HEALTH_P99_TARGET_MS} ms: {'met' if p99 <= HEALTH_P99_TARGET_MS else 'MISSED'})"
    )
    print(f"journeys: {codes(journey_answers)}")
    print(f"creates:  {codes([answer for _, _, answer in create_answers])}")
    safe = counts["acknowledged-but-missing"] == 0 and counts["refused-but-stored"] == 0
    print(
        f"created vs acknowledged: {dict(sorted(counts.items()))} "
        f"(target 0 acknowledged-but-missing, 0 refused-but-stored: {'met' if safe else 'MISSED'})"
    )


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--gunicorn",
        action="store_true",
        help="run the proxy under gunicorn "
        + " ".join(GUNICORN_SHAPE)
        + " (default: the development server in a thread)",
    )
    parser.add_argument("--faults", default="slow,hung,down")
    parser.add_argument("--journeys", type=int, default=100)
    parser.add_argument("--creates", type=int, default=20)
    parser.add_argument("--probe", metavar="PROXY_URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        return probe_health(args.probe)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as instance_dir, start_harness(instance_dir, gadget=False) as harness:
        hub = harness.controlhub
        relay = FaultProxy(hub.url, max_hold_seconds=30).start()
        proxy_url = harness.start_gadget(
            {"CONTEXT_SERVICE_URL": relay.url, "LOG_LEVEL": "ERROR", "REQUEST_BUDGET_SECONDS": BUDGET_SECONDS},
            GUNICORN_SHAPE if args.gunicorn else "cli",
        ).url
        try:
            customer_ids = seed(proxy_url, 10)
            print(
                f"proxy: {'gunicorn ' + ' '.join(GUNICORN_SHAPE) if args.gunicorn else 'development server'}; "
                f"budget {BUDGET_SECONDS:g} s; {args.journeys} journeys + {args.creates} creates at once; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            idle = idle_health(proxy_url)
            print(
                f"/healthz with no load (the machine's own floor): p50 {percentile(idle, 0.5):.1f} ms, "
                f"p99 {percentile(idle, 0.99):.1f} ms over {len(idle)} samples"
            )
            for fault in args.faults.split(","):
                set_fault(fault, hub, relay)
                journey_answers, create_answers, health = run_load(
                    proxy_url, customer_ids, args.journeys, args.creates, fault
                )
                set_fault(None, hub, relay)
                wait_until_available(proxy_url)
                time.sleep(LATENCY_MS / 1000 + 1)  # writes the mock was still sleeping on are stored by now
                report(fault, journey_answers, create_answers, health, settle_creates(proxy_url, create_answers))
        finally:
            relay.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
