"""Auto-answer hand-over under gunicorn with 2 workers: when the gadget has the prepared token to send the record.

Starts the mock cloud and the mock Finesse in threads and the proxy under ``gunicorn --workers 2 --threads 16``
(``start_harness(gadget_process=...)``), seeds one customer with an earlier call in an open request (so the
screen pop guesses the request in its first round), sets the mock's latency (``--cs-latency-ms``, default 60),
then for each of ``--calls`` dialogs sends the screen pop (``partial``, as the gadget does) at "ALERTING" and
the hand-over ``POST /screen-pop/prepared`` ``--active-ms`` later (default 105, auto-answer), each on a fresh
connection as the browser's second connection is. The token is the gadget's when the hand-over answers with it,
else when the screen pop answers. Which worker answered each is read from ``/proc`` (finesse_harness.workers).

With ``--old PATH`` (a checkout of an older commit: ``git worktree add --detach /tmp/old <sha>``) a second
proxy runs that tree's code (gunicorn ``--chdir PATH``), and calls alternate between the two, so both see the same load. Prints per tree:
the share of hand-overs answered by the other worker, the share answered with the token, the token's p50/p95
after ALERTING (all calls, and those whose hand-over the other worker answered), and the workers' CPU per call.

    python bench/bench_handover.py [--calls 60] [--cs-latency-ms 60] [--active-ms 105] [--old /tmp/old]
"""

import argparse
import os
import pathlib
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack
from typing import Any

from finesse_harness.harness import Harness, basic_auth, start_harness
from finesse_harness.workers import cpu_seconds, post_fresh, worker_pids

PHONE = "+15550108888"
HEADERS = {"Authorization": basic_auth("1001", "demo1001")}


def started(stack: ExitStack, tree: str | None) -> Harness:
    """A harness whose proxy runs under gunicorn from ``tree`` (None: this checkout), seeded."""
    folder = stack.enter_context(tempfile.TemporaryDirectory())
    # gunicorn imports the app from its --chdir (first on sys.path), whatever PYTHONPATH says.
    gunicorn = ["--workers", "2", "--threads", "16", "--chdir", tree or str(pathlib.Path(__file__).parents[1])]
    harness = stack.enter_context(start_harness(folder, gadget_process=gunicorn))
    api = harness.agent_api("1001")
    fields = {"Context_First_Name": "Bench", "Context_Last_Name": "Caller", "Context_Mobile_Phone": PHONE}
    customer = api.post("/customers", json={"fields": fields}).json()
    earlier = {"customerId": customer["id"], "mediaType": "voice", "dialogId": "bench-0", "source": {"phone": PHONE}}
    api.post("/activities", json=earlier)
    return harness


def one_call(harness: Harness, dialog_id: str, active_ms: float) -> dict[str, Any]:
    """The screen pop and, ``active_ms`` after it was sent, its hand-over: when the token was the gadget's."""
    base = f"{harness.gadget.url}/api/v1" if harness.gadget else ""
    pop: dict[str, Any] = {}
    body = {"phone": PHONE, "dialogId": dialog_id, "mediaType": "voice", "partial": True}
    alerting = time.monotonic()
    thread = threading.Thread(target=lambda: pop.update(r=post_fresh(base + "/screen-pop", body, HEADERS)))
    thread.start()
    time.sleep(active_ms / 1000)
    _, handed, hand_over_pid, handed_at = post_fresh(base + "/screen-pop/prepared", {"dialogId": dialog_id}, HEADERS)
    thread.join(30)
    _, _, pop_pid, pop_at = pop["r"]
    token_at = min(handed_at, pop_at) if handed.get("prepared") else pop_at
    return {
        "elsewhere": hand_over_pid != pop_pid,
        "handed": bool(handed.get("prepared")),
        "token_ms": (token_at - alerting) * 1000,
    }


def summary(name: str, calls: list[dict[str, Any]], cpu: float) -> str:
    """One line per tree."""
    elsewhere = [call for call in calls if call["elsewhere"]]

    def p(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values or [0.0])[0]

    every, other = [c["token_ms"] for c in calls], [c["token_ms"] for c in elsewhere]
    return (
        f"{name}: other worker answered {len(elsewhere)}/{len(calls)} hand-overs; with the token "
        f"{sum(c['handed'] for c in calls)}/{len(calls)} (other worker {sum(c['handed'] for c in elsewhere)}/"
        f"{len(elsewhere)}); token after ALERTING p50/p95 {p(every, 50):.0f}/{p(every, 95):.0f} ms "
        f"(other worker's: {p(other, 50):.0f}/{p(other, 95):.0f} ms); workers' CPU {cpu * 1000 / len(calls):.2f} ms/call"
    )


def main() -> None:
    """Run the calls, alternating between the trees, and print their summaries."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--cs-latency-ms", type=int, default=60)
    parser.add_argument("--active-ms", type=float, default=105)
    parser.add_argument("--old", help="a checkout of the commit to compare with, run side by side")
    args = parser.parse_args()
    with ExitStack() as stack:
        trees = {"new": started(stack, None), **({"old": started(stack, args.old)} if args.old else {})}
        for harness in trees.values():
            harness.controlhub.control("POST", "/faults", json={"latencyMs": args.cs_latency_ms})
        workers = {name: worker_pids(int(harness.gadget.url.rsplit(":", 1)[1])) for name, harness in trees.items()}
        for harness in trees.values():  # warm-up: each worker's first calls are not counted
            for index in range(4):
                one_call(harness, f"warm-{index}", args.active_ms)
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        cpu = {name: -sum(map(cpu_seconds, pids)) for name, pids in workers.items()}
        for index in range(args.calls):
            for name, harness in trees.items():
                results[name].append(one_call(harness, f"bench-{index + 1}", args.active_ms))
        cpu = {name: cpu[name] + sum(map(cpu_seconds, pids)) for name, pids in workers.items()}
        print(
            f"{args.calls} calls per tree, Context Service {args.cs_latency_ms} ms, hand-over at +{args.active_ms:g} ms"
        )
        print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
        for name, calls in results.items():
            print(summary(name, calls, cpu[name]))


if __name__ == "__main__":
    main()
