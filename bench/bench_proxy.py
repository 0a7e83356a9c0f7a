"""Proxy overhead: one gadget sequence (look-up, journey, update) through the proxy vs. straight to Context Service.

Starts the mock cloud, mock Finesse and the gadget server in threads on 127.0.0.1, registers the gadget server,
seeds one customer with a call, then, for each Context Service latency (by default none, as the in-memory
mock answers, and 20 ms, a cloud round trip), runs the sequence ``--rounds`` times each way, interleaved, and
prints p50/p95 of both and their ratio (target: proxy ≤ 1.1 × direct), plus the median of the per-round
ratios, which is the figure least disturbed by other load on the machine.

    python bench/bench_proxy.py [--rounds 200] [--gunicorn WORKERS] [--cs-latency-ms 0,20]

By default the proxy runs in a thread of the benchmark process (everything shares one GIL); with
``--gunicorn`` it runs as in production, ``gunicorn 'gadget_plugin:create_app()'`` in its own processes.

The direct path makes the Context Service calls the proxy makes for the same three gadget calls (searches,
gets, the update), with the proxy's own machine token, so the ratio is what the proxy adds: one extra HTTP hop
per gadget call, agent verification (cached), validation and mapping.
"""
import argparse
import base64
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

from e2e.mock_control import mock_control
from e2e.servers import ServerThread

PHONE = "+15550102030"
TARGET_RATIO = 1.10


def start_mocks():
    """Mock cloud and mock Finesse in threads."""
    import mock_controlhub
    import mock_finesse

    hub = ServerThread(mock_controlhub.create_app({"DATABASE": ":memory:"})).start()
    finesse = ServerThread(mock_finesse.create_app({"LAYOUTS_DIR": ""})).start()
    return hub, finesse


def register(hub, instance_dir):
    """Register through Control Hub's pages; store and return the connection data."""
    from gadget_plugin import connection, registration

    admin = hub.app.config
    data = registration.register_with_admin(hub.url, "http://127.0.0.1/registered", admin["ADMIN_EMAIL"],
                                            admin["ADMIN_PASSWORD"])
    connection.store(instance_dir, data)
    return data


def start_proxy(settings, workers):
    """The gadget server: in a thread of this process, or (``workers`` > 0) under gunicorn as in production.

    Returns ``(url, stop)``.
    """
    if not workers:
        import gadget_plugin

        thread = ServerThread(gadget_plugin.create_app(settings)).start()
        return thread.url, thread.stop
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, **{f"CUSTOMER_CONTEXT_{key}": ",".join(value) if isinstance(value, list) else str(value)
                            for key, value in settings.items()}}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "8",
                                "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "gadget_plugin:create_app()"],
                               env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/healthz", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            time.sleep(0.1)
    return url, lambda: (process.terminate(), process.wait(10))


def seed(api):
    """One customer with one voice activity; returns (customer, activity)."""
    customer = api.post("/customers", json={"fields": {"Context_First_Name": "Ann", "Context_Last_Name": "Smith",
                                                        "Context_Mobile_Phone": PHONE}}).json()
    activity = api.post("/activities", json={"customerId": customer["id"], "mediaType": "voice",
                                              "source": {"phone": PHONE}}).json()
    return customer, activity


class Api(requests.Session):
    """A session with a base URL."""

    def __init__(self, base, headers):
        super().__init__()
        self.base = base
        self.headers.update(headers)

    def request(self, method, url, *args, **kwargs):
        """Prefix the base URL; fail loudly on errors."""
        response = super().request(method, self.base + url, *args, timeout=30, **kwargs)
        response.raise_for_status()
        return response


def through_proxy(api, customer_id, activity_id, tag):
    """The gadget's three calls: look the caller up, load the journey, tag the activity shown in it."""
    api.get("/customers/lookup", params={"phone": PHONE})
    journey = api.get(f"/customers/{customer_id}/journey").json()
    shown = next(a for r in journey["requests"] for a in r["activities"] if a["id"] == activity_id)
    api.put(f"/activities/{activity_id}", json={"lastUpdated": shown["lastUpdated"], "tags": [tag]})


def straight_to_cs(cs, customer_id, activity_id, tag):
    """The same three results built from Context Service calls (read-modify-write for the update)."""
    digits = PHONE.lstrip("+")
    found = cs.get("/context/v1/customer", params={
        "q": " ".join(f'{f}:"{digits}"' for f in ("Context_Mobile_Phone", "Context_Home_Phone", "Context_Work_Phone")),
        "operation": "or", "maxEntries": 10}).json()["objects"]
    for match in found:
        cs.get("/context/v1/pod", params={"q": f'customerId:"{match["id"]}"', "maxEntries": 1, "sortedBy": "created"})
    cs.get("/context/v1/request", params={"q": f'customerId:"{customer_id}"', "maxEntries": 10, "sortedBy": "created"})
    pods = cs.get("/context/v1/pod", params={"q": f'customerId:"{customer_id}"', "sortedBy": "created"}).json()
    cs.get("/context/v1/detail", params={"q": " ".join(f'parentId:"{p["id"]}"' for p in pods["objects"]),
                                         "operation": "or", "sortedBy": "created"})
    current = cs.get(f"/context/v1/pod/{activity_id}").json()
    cs.put(f"/context/v1/pod/{activity_id}", json={"lastUpdated": current["lastUpdated"], "tags": [tag]})
    cs.get("/context/v1/detail", params={"q": f'parentId:"{activity_id}"', "operation": "or"})


def percentile(values, share):
    """The ``share`` percentile (0–1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(api, cs, customer, activity, rounds):
    """``{"proxy": [ms], "direct": [ms]}``: the sequence run ``rounds`` times each way, interleaved."""
    timings = {"proxy": [], "direct": []}
    for round_no in range(rounds + 10):
        for name, run, client in (("proxy", through_proxy, api), ("direct", straight_to_cs, cs)):
            started = time.perf_counter()
            run(client, customer["id"], activity["id"], f"tag{round_no}")
            if round_no >= 10:  # warm-up rounds are not counted
                timings[name].append((time.perf_counter() - started) * 1000)
    return timings


def report(timings, latency_ms):
    """Print p50/p95 of both ways and their ratios against the target."""
    print(f"Context Service latency {latency_ms} ms per call"
          + (" (in-memory mock: the ratio is the cost of the proxy's own HTTP hop)" if not latency_ms else ""))
    for name, values in timings.items():
        print(f"{name:>6}: p50 {statistics.median(values):7.2f} ms   p95 {percentile(values, 0.95):7.2f} ms   "
              f"({len(values)} sequences)")
    ratio50 = statistics.median(timings["proxy"]) / statistics.median(timings["direct"])
    ratio95 = percentile(timings["proxy"], 0.95) / percentile(timings["direct"], 0.95)
    paired = statistics.median(p / d for p, d in zip(timings["proxy"], timings["direct"]))
    verdict = "met" if max(ratio50, ratio95) <= TARGET_RATIO else "missed"
    print(f" ratio: p50 {ratio50:.2f}x   p95 {ratio95:.2f}x   median of per-round ratios {paired:.2f}x "
          f"(target <= {TARGET_RATIO:.2f}x: {verdict})")


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--gunicorn", type=int, default=0, metavar="WORKERS",
                        help="run the proxy under gunicorn with this many workers (default: a thread here)")
    parser.add_argument("--cs-latency-ms", default="0,20", metavar="MS[,MS...]",
                        help="latencies added to every Context Service call (the mock's /_mock/faults), one run "
                             "each: 0 compares against the in-memory mock, 20 is a cloud service's round trip "
                             "(default: 0,20)")
    args = parser.parse_args(argv)
    try:
        latencies = [int(ms) for ms in args.cs_latency_ms.split(",")]
    except ValueError:
        parser.error(f"--cs-latency-ms takes whole milliseconds separated by commas, got {args.cs_latency_ms!r}")
    import logging

    from gadget_plugin import connection

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    hub, finesse = start_mocks()
    results = []
    with tempfile.TemporaryDirectory() as instance_dir:
        creds = connection.decode(register(hub, instance_dir))["prod"]
        proxy_url, stop_proxy = start_proxy({"FINESSE_URLS": [finesse.url], "CONTEXT_SERVICE_URL": hub.url,
                                             "INSTANCE_PATH": instance_dir, "LOG_LEVEL": "WARNING"}, args.gunicorn)
        try:
            auth = "Basic " + base64.b64encode(b"1001:demo1001").decode()
            api = Api(proxy_url + "/api/v1", {"Authorization": auth})
            customer, activity = seed(api)
            token = requests.post(hub.url + "/idb/oauth2/v1/access_token", timeout=10, data={
                "grant_type": "client_credentials", "client_id": creds.client_id,
                "client_secret": creds.client_secret}).json()["access_token"]
            cs = Api(hub.url, {"Authorization": f"Bearer {token}", "cisco-context-labmode": "false"})
            for latency_ms in latencies:
                mock_control(hub.url, "POST", "/faults", json={"latencyMs": latency_ms},
                              timeout=10).raise_for_status()
                results.append((measure(api, cs, customer, activity, args.rounds), latency_ms))
        finally:
            stop_proxy()
            finesse.stop()
            hub.stop()
    print(f"proxy in {'gunicorn, %d workers' % args.gunicorn if args.gunicorn else 'a thread of this process'}")
    for timings, latency_ms in results:
        report(timings, latency_ms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
