"""Benchmark of the mock dictionary API over real HTTP: p50/p95 of reads and writes on a full-size org.

Run: ``python bench/bench_dictionary.py [--rounds 200]``. The org gets 100 custom fields (the limit) and
300 custom fieldsets of 10 fields each, then each call is timed ``rounds`` times.
"""

import argparse
import logging
import statistics
import time

import requests

from finesse_harness.registration_kit import admin_token
from finesse_harness.servers import ServerThread
from mock_controlhub import create_app


def percentiles(samples):
    """(p50, p95) in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def timed(session, rounds, method, url, **kwargs):
    """Time ``rounds`` calls; every answer must be a success."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        answer = session.request(method, url, **kwargs)
        samples.append(time.perf_counter() - start)
        answer.raise_for_status()
    return samples


def populate(session, base):
    """Fill the org: 100 custom fields, 300 fieldsets of 10 fields."""
    for number in range(100):
        session.post(
            f"{base}/dictionary/field/v1",
            json={
                "id": f"Bench_{number:03d}",
                "classification": "ENCRYPTED",
                "dataType": "string",
                "translations": {"en_US": f"Bench {number}"},
            },
        ).raise_for_status()
    for number in range(300):
        fields = [f"Bench_{(number + k) % 100:03d}" for k in range(10)]
        session.post(
            f"{base}/dictionary/fieldset/v1", json={"id": f"bench.set{number:03d}", "fields": fields}
        ).raise_for_status()


def main(argv=None):
    """Start a server, populate it, time the calls and print p50/p95."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request access log
    app = create_app({"DATABASE": ":memory:"})
    with ServerThread(app) as server, requests.Session() as session:
        base = server.url
        session.headers["Authorization"] = f"Bearer {admin_token(base, app.config)}"
        populate(session, base)
        calls = {
            "GET field": ("GET", "/dictionary/field/v1/id/Bench_050", {}),
            "GET fieldset": ("GET", "/dictionary/fieldset/v1/id/bench.set150", {}),
            "search fields id:* (127)": ("GET", "/dictionary/field/v1/search", {"params": {"q": "id:*"}}),
            "search fieldsets fieldId:": (
                "GET",
                "/dictionary/fieldset/v1/search",
                {"params": {"q": "fieldId:Bench_050"}},
            ),
            "search fieldsets id:* (305)": ("GET", "/dictionary/fieldset/v1/search", {"params": {"q": "id:*"}}),
            "field status": ("GET", "/dictionary/field/v1/status/Bench_050", {}),
            "PUT field label": (
                "PUT",
                "/dictionary/field/v1/id/Bench_099",
                {"json": {"translations": {"en_US": "Renamed"}}},
            ),
        }
        print(f"{'call':32} {'p50 ms':>8} {'p95 ms':>8}  ({args.rounds} rounds)")
        for name, (method, path, kwargs) in calls.items():
            p50, p95 = percentiles(timed(session, args.rounds, method, base + path, **kwargs))
            print(f"{name:32} {p50:8.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
