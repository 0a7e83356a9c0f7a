"""The test suite's wall time, serial vs. ``pytest -n 2`` (pytest-xdist), and the state reset between tests.

The reset is what every per-test fixture pays before a test: ``POST /_mock/reset`` of the mock cloud and of
the mock Finesse, over HTTP with the control header, as the ``controlhub`` and ``finesse`` fixtures send it
(target: both together <= 50 ms at the median; p95 is printed too, and on a loaded machine it measures the
load). The suite runs are the README's test command, once serial and once with two workers; the machine's
load average is printed next to them, as other work on the machine slows both runs.

    python bench/bench_suite.py [--resets 200] [--no-suite] [pytest arguments after --, e.g. -- tests]
"""
import argparse
import logging
import os
import statistics
import subprocess
import sys
import time

from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread

RESET_TARGET_MS = 50


def reset_timings(rounds):
    """Milliseconds of ``/_mock/reset`` on both mocks, ``rounds`` times: (cloud, finesse, both) lists."""
    import mock_controlhub
    import mock_finesse

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access line per reset
    hub = ServerThread(mock_controlhub.create_app({"DATABASE": ":memory:"})).start()
    finesse = ServerThread(mock_finesse.create_app({"LAYOUTS_DIR": ""})).start()
    cloud, desk, both = [], [], []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            mock_control(hub.url, "POST", "/reset").raise_for_status()
            middle = time.perf_counter()
            mock_control(finesse.url, "POST", "/reset").raise_for_status()
            ended = time.perf_counter()
            cloud.append((middle - started) * 1000)
            desk.append((ended - middle) * 1000)
            both.append((ended - started) * 1000)
    finally:
        finesse.stop()
        hub.stop()
    return cloud, desk, both


def percentile(values, share):
    """The ``share`` percentile (0-1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def suite_seconds(pytest_args, workers):
    """Wall seconds and exit code of one suite run (``-n workers`` when given)."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args]
    if workers:
        command[4:4] = ["-n", str(workers)]
    started = time.perf_counter()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - started, code


def main():
    """Print the reset figures, then (unless ``--no-suite``) the serial and ``-n 2`` suite wall times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resets", type=int, default=200)
    parser.add_argument("--no-suite", action="store_true", help="measure the reset only")
    own, pytest_args = (sys.argv[1:], []) if "--" not in sys.argv else \
        (sys.argv[1:sys.argv.index("--")], sys.argv[sys.argv.index("--") + 1:])
    args, _ = parser.parse_known_args(own)  # ./harness bench passes every benchmark the same options
    cloud, desk, both = reset_timings(args.resets)
    print(f"state reset between tests ({args.resets} rounds, ms): "
          f"mock cloud p50 {statistics.median(cloud):.1f} p95 {percentile(cloud, 0.95):.1f}; "
          f"mock Finesse p50 {statistics.median(desk):.1f} p95 {percentile(desk, 0.95):.1f}; "
          f"both p50 {statistics.median(both):.1f} p95 {percentile(both, 0.95):.1f} "
          f"(target: median <= {RESET_TARGET_MS}: {'met' if statistics.median(both) <= RESET_TARGET_MS else 'MISSED'})")
    if args.no_suite:
        return
    for workers in (0, 2):
        load = os.getloadavg()[0]
        seconds, code = suite_seconds(pytest_args, workers)
        label = f"-n {workers}" if workers else "serial"
        print(f"suite {label}: {seconds:.0f} s wall, exit code {code} (load average {load:.1f} at start, "
              f"{os.getloadavg()[0]:.1f} at end, {os.cpu_count()} cores)", flush=True)


if __name__ == "__main__":
    main()
