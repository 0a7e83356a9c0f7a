"""The test suite's wall time, serial vs. ``pytest -n 2`` (pytest-xdist), and the state reset between tests.

The reset is what the per-test fixtures pay before a test, on a harness started as the plugin starts it:
``POST /_mock/reset`` of the mock cloud and of the mock Finesse, over HTTP with the control header (the
``controlhub`` and ``finesse`` fixtures), and the gadget server's registration again (the ``gadget`` fixture)
(target: all together <= 50 ms at the median; p95 is printed too, and on a loaded machine it measures the
load). The suite runs are the README's test command, once serial and once with two workers (``--workers``
picks them: ``--workers 2`` runs only the parallel one); the machine's load average is printed next to them, as
other work on the machine slows both runs. Each run also prints the CPU seconds of all its processes, the
browsers included (the benchmark is their child subreaper on Linux, so Chromium's processes, which Playwright
leaves to be reaped by whoever adopts them, are counted): a figure that, unlike the wall time, hardly depends on
what else the machine runs.

    python bench/bench_suite.py [--resets 200] [--no-suite] [--workers 0,2] [pytest arguments after --]
"""

import argparse
import ctypes
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from finesse_harness.harness import TEST_GADGET_SETTINGS, start_harness

RESET_TARGET_MS = 50
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
ORPHANS_GRACE_SECONDS = 10


def reset_timings(rounds):
    """Milliseconds of what the per-test fixtures do before a test, ``rounds`` times, on a harness started as the
    plugin starts it: the mock cloud's reset, the mock Finesse's reset, the gadget server's registration again;
    ``{"mock cloud": [...], "mock Finesse": [...], "gadget registration": [...], "all": [...]}``."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access line per reset
    steps = {
        "mock cloud": lambda h: h.controlhub.reset(),
        "mock Finesse": lambda h: h.finesse.reset(),
        "gadget registration": lambda h: h.gadget.register(),
    }
    timings = {name: [] for name in [*steps, "all"]}
    with (
        tempfile.TemporaryDirectory() as instance_dir,
        start_harness(instance_dir, gadget_settings=TEST_GADGET_SETTINGS) as harness,
    ):
        for _ in range(rounds):
            started = time.perf_counter()
            for name, step in steps.items():
                before = time.perf_counter()
                step(harness)
                timings[name].append((time.perf_counter() - before) * 1000)
            timings["all"].append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values, share):
    """The ``share`` percentile (0-1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def adopt_orphans():
    """Become the child subreaper (Linux): processes our children leave behind (the browsers) become ours, so
    their CPU time is counted once they are reaped; False where the system has no such thing."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def reap_orphans():
    """Reap the adopted processes as they end, for at most ``ORPHANS_GRACE_SECONDS`` (a crash handler that
    outlives the run is left alone)."""
    deadline = time.monotonic() + ORPHANS_GRACE_SECONDS
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)


def children_cpu_seconds():
    """User + system CPU seconds of every reaped child so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def suite_seconds(pytest_args, workers):
    """Wall seconds, CPU seconds (every process of the run) and exit code of one suite run (``-n workers``
    when given)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args]
    if workers:
        command[4:4] = ["-n", str(workers)]
    cpu_before, started = children_cpu_seconds(), time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = time.perf_counter() - started
    reap_orphans()
    return wall, children_cpu_seconds() - cpu_before, code


def main():
    """Print the reset figures, then (unless ``--no-suite``) the serial and ``-n 2`` suite wall times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=200)
    parser.add_argument("--no-suite", action="store_true", help="measure the reset only")
    parser.add_argument(
        "--workers", default="0,2", help="the suite runs, comma-separated pytest-xdist worker counts (0: serial)"
    )
    own, pytest_args = (
        (sys.argv[1:], [])
        if "--" not in sys.argv
        else (sys.argv[1 : sys.argv.index("--")], sys.argv[sys.argv.index("--") + 1 :])
    )
    args, _ = parser.parse_known_args(own)  # ./harness bench passes every benchmark the same options
    timings = reset_timings(args.resets)
    median = statistics.median(timings["all"])
    print(
        f"state reset between tests ({args.resets} rounds, ms): "
        + "; ".join(
            f"{name} p50 {statistics.median(values):.1f} p95 {percentile(values, 0.95):.1f}"
            for name, values in timings.items()
        )
        + f" (target: median of all <= {RESET_TARGET_MS}: {'met' if median <= RESET_TARGET_MS else 'MISSED'})"
    )
    if args.no_suite:
        return
    counted = "all processes" if adopt_orphans() else "without the browsers"
    for workers in (int(n) for n in args.workers.split(",")):
        load = os.getloadavg()[0]
        seconds, cpu, code = suite_seconds(pytest_args, workers)
        label = f"-n {workers}" if workers else "serial"
        print(
            f"suite {label}: {seconds:.0f} s wall, {cpu:.0f} CPU s ({counted}), exit code {code} (load average "
            f"{load:.1f} at start, {os.getloadavg()[0]:.1f} at end, {os.cpu_count()} cores)",
            flush=True,
        )


if __name__ == "__main__":
    main()
