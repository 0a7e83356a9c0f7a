"""Load: simulated agents against the proxy under gunicorn, with the mock Context Service 60 ms away.

Starts the mock cloud and the mock Finesse as their own processes and the proxy under gunicorn in the
production shape (``--workers``, ``--threads``), all on 127.0.0.1; registers the proxy through Control Hub's
pages, seeds ``--customers`` customers, sets the mock's latency, then runs ``--agents`` simulated agents (threads
of this process: the load generator runs on the same two cores and is counted in) for ``--duration`` seconds.
Each agent loops over simulated contacts as the gadget makes them: the screen pop (``POST /screen-pop`` with the
dialog id and media type: look-up, journey and the ``prepared`` token), recording the call with that token, the
dialog id and an ``Idempotency-Key`` (only the write is left), back to back, then 5 edits of the activity (tags
and notes, each with the ``lastUpdated`` the previous one returned) and 1 comment, ``--think-ms`` apart on
average (uniform 0.5–1.5×; 3 s is several times busier than a real agent). ``--separate`` uses look-up + journey
instead of the screen pop (no token: the record then makes its own reads).

It prints calls/s, p50/p95/p99 per call kind and overall, errors, the proxy's CPU per call and RSS per worker
(from /proc), then a step search: ``--step-agents`` more agents each ``--step-seconds`` until p99 passes 500 ms
(or ``--max-agents``). Targets (issue #14): 200 agents with p99 <= 300 ms and 0 errors; RSS <= 150 MB per worker.

    python bench/bench_load.py [--agents 200] [--duration 120] [--quick] [--workers 2] [--threads 64]
"""

import argparse
import functools
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

from finesse_harness.mock_control import mock_control
from finesse_harness.registration_kit import register
from gadget_plugin.config import DEFAULTS
from load_agents import Recorder, agent_session, contact, seed  # bench/ is the script's own folder

KINDS = ("lookup", "journey", "screen-pop", "record", "edit", "comment")
P99_TARGET_MS, STEP_LIMIT_MS, RSS_TARGET_MB, TARGET_AGENTS = 300, 500, 150, 200
PAUSES_PER_CONTACT = 7  # think times in one contact: after the record, each of the 5 edits and the comment


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url):
    """Poll ``url`` until it answers (30 s at most)."""
    for _ in range(300):
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"bench_load: {url} did not come up")


def start(command, env=None, log=subprocess.DEVNULL):
    """A server process (its output discarded unless ``log`` is a file)."""
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def start_servers(instance_dir, args):
    """Mock cloud, mock Finesse and the registered proxy under gunicorn; ``(hub_url, proxy_url, processes)``."""
    hub_port, finesse_port, proxy_port = free_port(), free_port(), free_port()
    hub_url, finesse_url = f"http://127.0.0.1:{hub_port}", f"http://127.0.0.1:{finesse_port}"
    processes = [
        start([sys.executable, "-m", "finesse_harness.servers", str(hub_port)]),
        start([sys.executable, "-m", "mock_finesse", "--port", str(finesse_port), "--layouts-dir", instance_dir]),
    ]
    wait_until_up(hub_url + "/context/v1/ping")
    wait_until_up(finesse_url + "/desktop/")
    register(
        hub_url,
        {"ADMIN_EMAIL": "admin@example.com", "ADMIN_PASSWORD": "ContextDemo1!"},
        "http://127.0.0.1/registered",
        instance_dir,
    )
    settings = {
        "FINESSE_URLS": finesse_url,
        "CONTEXT_SERVICE_URL": hub_url,
        "INSTANCE_PATH": instance_dir,
        "LOG_LEVEL": "INFO",
    }
    pools = {"READ_POOL_SIZE": args.read_pool, "WRITE_POOL_SIZE": args.write_pool, "POOL_QUEUE_SIZE": args.queue}
    settings.update({key: value for key, value in pools.items() if value != DEFAULTS[key]})
    env = {**os.environ, **{f"CUSTOMER_CONTEXT_{key}": str(value) for key, value in settings.items()}}
    # Keep-alive longer than an agent's think time: else a connection the server just closed gets the next call.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--keep-alive",
        "30",
        "--bind",
        f"127.0.0.1:{proxy_port}",
        "gadget_plugin:create_app()",
    ]
    with open(os.path.join(instance_dir, "proxy.log"), "w") as log:
        processes.append(start(command, env=env, log=log))
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    wait_until_up(proxy_url + "/healthz")
    return hub_url, proxy_url, processes


def run_agents(proxy_url, customers, count, seconds, think_ms, combined, recorder, pids):
    """``count`` agents measured for ``seconds`` after a ramp of one contact's length; the figures.

    Agents start spread over one whole contact (``PAUSES_PER_CONTACT`` think times), as agents on a shift are
    each somewhere else in their own contact, rather than all answering in the same few seconds.
    """
    stop = threading.Event()
    ramp = PAUSES_PER_CONTACT * think_ms / 1000

    def think():
        return not stop.wait(random.uniform(0.5, 1.5) * think_ms / 1000)

    def agent(number):
        session = agent_session(proxy_url, number)
        if stop.wait(random.uniform(0, ramp)):
            return
        while contact(recorder, session, random.choice(customers), think, combined):
            pass

    threads = [threading.Thread(target=agent, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    time.sleep(ramp)
    recorder.reset()
    cloud = [pids.cloud]
    cpu_before, cloud_before, own_before = cpu_seconds(pids()), cpu_seconds(cloud), os.times()
    time.sleep(seconds)
    figures = summary(recorder, cpu_seconds(pids()) - cpu_before, os.times(), own_before, pids())
    figures["cloud_cpu"] = (cpu_seconds(cloud) - cloud_before) / figures["window"]
    stop.set()
    for thread in threads:
        thread.join(35)
    return figures


def cpu_seconds(pids):
    """User + system CPU seconds of these processes (from /proc)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    """Resident memory of a process in MB (VmRSS)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration):
        return 0.0


def worker_pids(master):
    """The gunicorn master's worker processes."""
    try:
        with open(f"/proc/{master}/task/{master}/children") as children:
            return [int(pid) for pid in children.read().split()]
    except OSError:
        return []


def percentile(values, share):
    """The ``share`` percentile (0–1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def summary(recorder, proxy_cpu, own_after, own_before, pids):
    """The measured window's figures."""
    with recorder.lock:
        ms, errors, causes = dict(recorder.ms), dict(recorder.errors), dict(recorder.causes)
        window = time.monotonic() - recorder.started
    every = [value for values in ms.values() for value in values]
    return {
        "window": window,
        "calls": len(every),
        "ms": ms,
        "errors": errors,
        "causes": causes,
        "all": every,
        "proxy_cpu_ms": 1000 * proxy_cpu / max(1, len(every)),
        "generator_cpu": (own_after.user + own_after.system - own_before.user - own_before.system) / window,
        "rss": [rss_mb(pid) for pid in pids],
    }


def report(agents, figures):
    """Print one run's figures."""
    print(
        f"{agents} agents: {figures['calls'] / figures['window']:.1f} calls/s over {figures['window']:.0f} s, "
        f"{sum(figures['errors'].values())} errors"
        + "".join(f"; {count} x {cause}" for cause, count in sorted(figures["causes"].items()))
    )
    for kind in KINDS:
        values = figures["ms"].get(kind)
        if values:
            print(f"  {kind:>10}: {spread(values)}  ({len(values)} calls, {figures['errors'].get(kind, 0)} errors)")
    print(f"  {'all':>10}: {spread(figures['all'])}")
    rss = ", ".join(f"{mb:.0f}" for mb in figures["rss"])
    print(
        f"  proxy CPU {figures['proxy_cpu_ms']:.2f} ms per call; load generator "
        f"{100 * figures['generator_cpu']:.0f} % of a core; mock cloud {100 * figures['cloud_cpu']:.0f} % of a "
        f"core; RSS per worker {rss} MB"
    )


def spread(values):
    """``p50 … p95 … p99 … ms`` of the values."""
    return (
        f"p50 {statistics.median(values):6.1f}  p95 {percentile(values, 0.95):6.1f}  "
        f"p99 {percentile(values, 0.99):6.1f} ms"
    )


def verdict(figures):
    """Print the main run against the targets; its p99."""
    p99, errors = percentile(figures["all"], 0.99), sum(figures["errors"].values())
    rss = max(figures["rss"], default=0)
    print(
        f"verdict: p99 {p99:.0f} ms (target <= {P99_TARGET_MS}): {'met' if p99 <= P99_TARGET_MS else 'missed'}; "
        f"{errors} errors (target 0): {'met' if not errors else 'missed'}; "
        f"RSS max {rss:.0f} MB (target <= {RSS_TARGET_MB}): {'met' if rss <= RSS_TARGET_MB else 'missed'}"
    )
    return p99


def main(argv=None):
    """Run the load, the step search, and print figures and verdicts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=TARGET_AGENTS)
    parser.add_argument("--duration", type=float, default=120, help="seconds of the main run (default 120)")
    parser.add_argument("--quick", action="store_true", help="20 s main run, 10 s steps")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=64, help="gunicorn threads per worker (default 64)")
    for option, key in (
        ("--read-pool", "READ_POOL_SIZE"),
        ("--write-pool", "WRITE_POOL_SIZE"),
        ("--queue", "POOL_QUEUE_SIZE"),
    ):
        parser.add_argument(
            option,
            type=int,
            default=DEFAULTS[key],
            help=f"{key} of each worker (default: the proxy's, {DEFAULTS[key]})",
        )
    parser.add_argument("--cs-latency-ms", type=int, default=60)
    parser.add_argument("--think-ms", type=float, default=3000)
    parser.add_argument("--customers", type=int, default=1000)
    parser.add_argument(
        "--separate", action="store_true", help="look-up + journey instead of POST /screen-pop (the gadget's one call)"
    )
    parser.add_argument("--step-agents", type=int, default=100)
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--max-agents", type=int, default=800, help="end of the step search (0: no step search)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.step_seconds = 20, 10
    with tempfile.TemporaryDirectory() as instance_dir:
        hub_url, proxy_url, processes = start_servers(instance_dir, args)
        try:
            customers = seed(proxy_url, args.customers)
            mock_control(hub_url, "POST", "/faults", json={"latencyMs": args.cs_latency_ms}).raise_for_status()
            pids = functools.partial(worker_pids, processes[-1].pid)
            pids.cloud = processes[0].pid  # the mock Context Service's process
            print(
                f"proxy: gunicorn {args.workers} workers x {args.threads} threads, pools of {args.read_pool} "
                f"reads and {args.write_pool} writes + {args.queue} waiting each; Context Service latency "
                f"{args.cs_latency_ms} ms; think time "
                f"{args.think_ms:.0f} ms; {'look-up + journey' if args.separate else 'screen-pop'}; "
                f"{os.cpu_count()} cores"
            )
            main_run = run_agents(
                proxy_url, customers, args.agents, args.duration, args.think_ms, not args.separate, Recorder(), pids
            )
            report(args.agents, main_run)
            step_search(args, proxy_url, customers, pids, verdict(main_run))
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(10)


def step_search(args, proxy_url, customers, pids, main_p99):
    """Agents in steps of ``--step-agents`` until p99 crosses 500 ms: upwards from the main run while it stays
    under, downwards while it is over; prints each step and the agent count where it crossed."""
    if not args.max_agents:
        return
    up = main_p99 <= STEP_LIMIT_MS
    agents = args.agents
    while 0 < agents + (args.step_agents if up else -args.step_agents) <= args.max_agents:
        previous, agents = agents, agents + (args.step_agents if up else -args.step_agents)
        figures = run_agents(
            proxy_url, customers, agents, args.step_seconds, args.think_ms, not args.separate, Recorder(), pids
        )
        p99 = percentile(figures["all"], 0.99)
        print(
            f"step {agents} agents: {figures['calls'] / figures['window']:.1f} calls/s, p99 {p99:.0f} ms, "
            f"{sum(figures['errors'].values())} errors, proxy CPU {figures['proxy_cpu_ms']:.2f} ms per call, "
            f"mock cloud {100 * figures['cloud_cpu']:.0f} % of a core"
        )
        if (p99 > STEP_LIMIT_MS) == up:
            low, high = sorted((previous, agents))
            print(f"step search: p99 passes {STEP_LIMIT_MS} ms between {low} and {high} agents")
            return
    print(f"step search: p99 {'stayed under' if up else 'stayed over'} {STEP_LIMIT_MS} ms  ({agents} agents last)")


if __name__ == "__main__":
    sys.exit(main())
