"""Proxy overhead: the gadget's call sequence through the proxy vs. the same work straight to Context Service.

Starts the mock cloud, mock Finesse and the gadget server in threads on 127.0.0.1, registers the gadget server,
seeds one known customer per round (each with a past call), then, for each Context Service latency (by default
none, as the in-memory mock answers, and 60 ms, what an on-premises Finesse sees to the Webex cloud), runs the
sequence ``--rounds`` times each way, interleaved (each way first every other round), and prints p50/p95 of both,
their ratio, the median of the per-round ratios (the figure least disturbed by other load on the machine) and
the verdict against the target for that latency (≤ 1.1× at 0 ms, ≤ 0.7× at 60 ms) on the p50 and paired
ratios; the p95 ratio is printed but moves with other load, so it is no verdict.

    python bench/bench_proxy.py [--rounds 100] [--gunicorn WORKERS] [--cs-latency-ms 0,60]

The sequence is one answered call as the gadget makes it: the screen pop (``POST /screen-pop`` with the
interaction's ``dialogId`` and ``mediaType``: look-up, whether the dialog is recorded, the single match's journey
and the ``prepared`` token of its create), recording the call (``POST /activities`` with that token, its dialog
id and an ``Idempotency-Key``: only the write is left) and a tag on it (``PUT /activities/{id}``). By default the
proxy runs in a thread of the benchmark process (everything shares one GIL); with ``--gunicorn`` it runs as in
production, ``gunicorn 'gadget_plugin:create_app()'`` in its own processes.

The direct path is "the same work straight against Context Service": the calls a client without a proxy needs
for the same three results, one after another, with the proxy's own machine token. The screen pop's five: the
customer search by phone, the dialog-link search (is this call recorded already?), the customer's requests, its
activities, their comments; the record's one: ``POST pod`` into the open request the journey showed (the client
holds it already, as the proxy's token does); the tag's three: read the activity, write it, its comments (what
the proxy's answer shows). Nine calls direct against five rounds through the proxy (screen pop 3, record 1, tag
1: the proxy holds the version it stored, so the write goes beside the comments read; the twin check after the
record runs behind the answer), so at 60 ms the floor is 300 / 540 ms = 0.56x; the ratio is what the proxy adds
(one extra HTTP hop per gadget call, agent verification (cached), validation, mapping) less what its parallel
rounds save. The proxy's calls: the screen pop's five (the look-up beside one activity search that answers both
whether the dialog is recorded and the caller's newest activities for the guess, reference §2.4's OR; the
journey's two; the comments), the record's three (the write beside the dialog-link check and the request's read)
and the tag's two: ten, and the twin check after the record's answer (eleven; twelve before the shared search).

Where the proxy's CPU goes at 0 ms (2026-12-01, proxycpu branch; py-spy ``--gil`` on a gunicorn worker and
thread CPU in process; the machine shared with three other engineers' suites, load 10-24, so figures are CPU,
steadier than wall time, and side by side in one run): before, the outgoing HTTP client (urllib3 over
``http.client``: URL re-encoding, ``email``'s header parser, response wrapper, timeout objects) cost ≈ 0.4 ms a
Context Service call, 11 calls a sequence (the twin check included); the proxy's own HTTP/1.1
(``gadget_plugin/http11.py``) costs ≈ 0.05 ms against a trivial server, and the client's whole call (headers,
JSON, error mapping) ≈ 0.2 ms against the mock here.
Side by side (old and new proxy, 2 workers each, against one harness, sequences interleaved): worker CPU per
sequence 18.1 → 12.2 ms at 0 ms and 20.7 → 14.7 ms at 60 ms (6.0 → 4.1 and 6.9 → 4.9 ms a gadget call). What
is left per gadget call: gunicorn's gthread worker ≈ 0.45 ms (a bare WSGI app under the same gunicorn:
parsing, the poller's hand-over of each kept-alive request to a thread and back, two writes), Flask's own
dispatch ≈ 60 µs and the app's hooks (request id, access log, bulkhead, budget, security headers) ≈ 65 µs,
the cached agent verification a few µs, each JSON log line ≈ 20 µs at ``LOG_LEVEL`` INFO (none at WARNING, as
here), the hand-over of a parallel round's second call to a pool thread (``ThreadPoolExecutor.submit`` ≈ 11 %
of the worker's GIL samples, gunicorn's own hand-overs included), the rest the flows' own validation, shaping
and JSON. The mock cloud costs ≈ 0.6 ms of CPU a call (Flask, its session opening, the search's parsing and
SQLite) and runs in threads of this process under one lock and one GIL: it answers the proxy's parallel calls
one after another, where the real cloud answers them side by side. So at 0 ms the proxy's parallel rounds save
nothing here and its extra hop and work are all cost; a mock in a process of its own would still answer one
call at a time (one GIL, one lock), and only several mock processes sharing one state (data, faults, clock,
tokens) would be as parallel as the cloud: not built. The 60 ms figure, where the rounds matter, is the one
that models production.

2026-12-02 (proxy0 branch; old and new one after the other in one run, ``--gunicorn 2``, 100 rounds, load
2.8 and 1.8): 0 ms p50 29.42 vs 23.99 ms, 1.23x (paired 1.22x) before, 28.09 vs 24.01 ms, 1.17x (paired 1.15x)
with the shared search; 60 ms 0.59x / 0.58x before (342.4 / 584.7 ms), 0.58x / 0.58x after (337.1 / 582.7 ms).
CPU per sequence at 0 ms (load 2.2; /proc of the workers, this process's own): this process (the mock and the
bench's client) 24.3 → 22.9 ms through the proxy (one mock call fewer) against ≈ 24-28 ms direct, the workers
9.9 → 9.6 ms more; ≈ 1.8 ms a mock call (Flask, werkzeug, SQLite), ≈ 1.4 ms a ``requests`` call of the bench's
client. So at 0 ms the path is the mock's eleven calls one after another (the proxy's parallel checks cost
their whole CPU here: the mock answers one call at a time) plus, per gadget call, ≈ 3 ms from the client's send
to the first Context Service call reaching the mock and ≈ 1.5 ms from the last one's answer to the client's
(the gunicorn hop, the proxy's own work, the mock's HTTP parsing): a cheaper mock would raise the ratio, not
lower it. What is left above 1.1x is the record's safety (the dialog check and the request's read beside the
write, the twin check after it), which the cloud answers side by side and which only a mock as parallel as the
cloud would show as free at 0 ms. With latency, the mock now handles a call when it arrives and answers it once
its latency plus its own processing is over (``mock_controlhub.state.Latency``): parallel calls are answered side
by side, not one lock turn after another on top of the latency.

2026-12-02 14:21-14:55 (quiet machine, load 0.3; the mock quicker, ≈ 0.5 ms a call): ``--gunicorn 2`` 0 ms
1.38x (18.66 vs 13.53 ms), 60 ms 0.47x (its callers found at 0 ms: the screen pop is one round with caller
hints). In-thread, side by side in one run, with the prepared record's safety calls taken out one by one
(``activities._write_prepared``; an experiment, not kept): all three 1.38x, without the request's read beside
the write 1.29x, without the twin check after the answer 1.27x, without both 1.16x, the write alone 1.06x. So
each of them costs about 0.1x at 0 ms, and the target is met only without the checks that keep a dialog to one
activity and its activity off a request closed since the screen pop. The mock cloud in gunicorn processes of
its own on one SQLite file (searches as deferred transactions; an experiment, not kept): 1.34x with one
process, 1.32x with three, so a mock as parallel as the cloud does not move the 0 ms ratio on two cores.
"""

import argparse
import logging
import statistics
import sys
import tempfile
import time
import uuid

from finesse_harness.handles import set_cs_faults
from finesse_harness.harness import start_harness

PHONE_PREFIX = "+1555011"
TARGETS = {0: 1.10, 60: 0.70}  # proxy / direct, by Context Service latency (ms); issue #14
WARM_UP = 5


def seed(api, count):
    """``count`` customers, each with its own phone and one past call; their ids."""
    customers = []
    for number in range(count):
        customer = api.post(
            "/customers",
            json={
                "fields": {
                    "Context_First_Name": "Ann",
                    "Context_Last_Name": "Smith",
                    "Context_Mobile_Phone": phone(number),
                }
            },
        ).json()
        api.post(
            "/activities", json={"customerId": customer["id"], "mediaType": "voice", "source": {"phone": phone(number)}}
        )
        customers.append(customer["id"])
    return customers


def phone(number):
    """The phone of the ``number``-th seeded customer."""
    return f"{PHONE_PREFIX}{number:04d}"


def through_proxy(api, number, customer_id, dialog_id):
    """The gadget's three calls for one answered call: screen pop, record the call with its token, tag it."""
    pop = api.post(
        "/screen-pop", json={"phone": phone(number), "maxEntries": 50, "dialogId": dialog_id, "mediaType": "voice"}
    ).json()
    assert pop["journey"] is not None and pop["matches"][0]["id"] == customer_id and pop["prepared"]
    activity = api.post(
        "/activities",
        headers={"Idempotency-Key": str(uuid.uuid4())},
        json={
            "customerId": customer_id,
            "mediaType": "voice",
            "dialogId": dialog_id,
            "source": {"phone": phone(number)},
            "prepared": pop["prepared"],
        },
    ).json()
    api.put(f"/activities/{activity['id']}", json={"lastUpdated": activity["lastUpdated"], "tags": ["billing"]})


def straight_to_cs(cs, number, customer_id, dialog_id):
    """The same three results from the Context Service calls a client without the proxy needs, one after
    another."""
    digits = phone(number).lstrip("+")
    cs.get(
        "/context/v1/customer",
        params={
            "q": " ".join(
                f'{f}:"{digits}"' for f in ("Context_Mobile_Phone", "Context_Home_Phone", "Context_Work_Phone")
            ),
            "operation": "or",
            "maxEntries": 10,
        },
    )
    link = f'Context_POD_Activity_Link:"finesse:dialog:{dialog_id}"'  # a dialog's link is its key
    cs.get("/context/v1/pod", params={"q": link, "maxEntries": 10})
    requests = cs.get(
        "/context/v1/request", params={"q": f'customerId:"{customer_id}"', "maxEntries": 50, "sortedBy": "created"}
    ).json()
    pods = cs.get(
        "/context/v1/pod", params={"q": f'customerId:"{customer_id}"', "maxEntries": 200, "sortedBy": "created"}
    ).json()
    cs.get(
        "/context/v1/detail",
        params={"q": " ".join(f'parentId:"{p["id"]}"' for p in pods), "operation": "or", "sortedBy": "created"},
    )
    open_request = next(r for r in requests if r.get("state", "active") == "active")
    created = cs.post(
        "/context/v1/pod",
        json={
            "type": "activity",
            "mediaType": "voice",
            "fieldsets": ["cisco.base.pod"],
            "customerId": customer_id,
            "parentId": open_request["id"],
            "contributors": [{"type": "USER", "username": "1001"}],
            "dataElements": [
                {"Context_POD_Activity_Link": f"finesse:dialog:{dialog_id}", "type": "string"},
                {"Context_POD_Source_Phone": phone(number), "type": "string"},
            ],
        },
    ).json()
    current = cs.get(f"/context/v1/pod/{created['id']}").json()
    cs.put(f"/context/v1/pod/{created['id']}", json={"lastUpdated": current["lastUpdated"], "tags": ["billing"]})
    cs.get("/context/v1/detail", params={"q": f'parentId:"{created["id"]}"', "operation": "or"})


def percentile(values, share):
    """The ``share`` percentile (0–1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(api, cs, customers, rounds, latency_ms):
    """``{"proxy": [ms], "direct": [ms]}``: the sequence run ``rounds`` times each way, interleaved (alternating
    which goes first), each round on its own customer and with new dialogs."""
    timings = {"proxy": [], "direct": []}
    ways = (("proxy", through_proxy, api), ("direct", straight_to_cs, cs))
    for round_no in range(rounds + WARM_UP):
        number = round_no % len(customers)
        # Each way goes first every other round, so a drift in the machine's load hits both alike.
        for name, run, client in ways[:: 1 if round_no % 2 == 0 else -1]:
            started = time.perf_counter()
            run(client, number, customers[number], f"bench-{latency_ms}-{round_no}-{name}")
            if round_no >= WARM_UP:
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def report(timings, latency_ms):
    """Print p50/p95 of both ways, their ratios and the verdict against the target for this latency."""
    print(
        f"Context Service latency {latency_ms} ms per call"
        + (" (in-memory mock: the ratio is the cost of the proxy's own HTTP hops)" if not latency_ms else "")
    )
    for name, values in timings.items():
        print(
            f"{name:>6}: p50 {statistics.median(values):7.2f} ms   p95 {percentile(values, 0.95):7.2f} ms   "
            f"({len(values)} sequences)"
        )
    ratio50 = statistics.median(timings["proxy"]) / statistics.median(timings["direct"])
    ratio95 = percentile(timings["proxy"], 0.95) / percentile(timings["direct"], 0.95)
    paired = statistics.median(p / d for p, d in zip(timings["proxy"], timings["direct"]))
    target = TARGETS.get(latency_ms)
    # The verdict takes the p50 and the paired median, both steady from run to run; the p95 of a 3-call sequence
    # with parallel rounds against a 9-call one moves with whatever else the machine runs, so it is shown only.
    verdict = (
        "no target at this latency"
        if target is None
        else f"target <= {target:.2f}x at p50 and paired: {'met' if max(ratio50, paired) <= target else 'missed'}"
    )
    print(f" ratio: p50 {ratio50:.2f}x   p95 {ratio95:.2f}x   median of per-round ratios {paired:.2f}x ({verdict})")


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100, help="sequences each way per latency (default 100)")
    parser.add_argument(
        "--gunicorn",
        type=int,
        default=0,
        metavar="WORKERS",
        help="run the proxy under gunicorn with this many workers (default: a thread here)",
    )
    parser.add_argument(
        "--cs-latency-ms",
        default="0,60",
        metavar="MS[,MS...]",
        help="latencies added to every Context Service call (the mock's /_mock/faults), one run "
        "each: 0 compares against the in-memory mock, 60 is the Webex cloud seen from an "
        "on-premises Finesse (default: 0,60)",
    )
    args = parser.parse_args(argv)
    try:
        latencies = [int(ms) for ms in args.cs_latency_ms.split(",")]
    except ValueError:
        parser.error(f"--cs-latency-ms takes whole milliseconds separated by commas, got {args.cs_latency_ms!r}")

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    results = []
    gunicorn = ["--workers", str(args.gunicorn), "--threads", "8"] if args.gunicorn else None
    with tempfile.TemporaryDirectory() as instance_dir, start_harness(instance_dir, gadget_process=gunicorn) as harness:
        api = harness.agent_api("1001")
        customers = seed(api, args.rounds + WARM_UP)
        cs = harness.context_service_api()
        for latency_ms in latencies:
            set_cs_faults(harness.controlhub, latencyMs=latency_ms)
            results.append((measure(api, cs, customers, args.rounds, latency_ms), latency_ms))
    print(f"proxy in {f'gunicorn, {args.gunicorn} workers' if args.gunicorn else 'a thread of this process'}")
    for timings, latency_ms in results:
        report(timings, latency_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
