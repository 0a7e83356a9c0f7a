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

``--sign-ins N`` first measures where a browser test's CPU goes: N desktop sign-ins with the Customer Context gadget,
as the ``desk`` fixture makes them, each split into its phases (a new browser context and page, the sign-in and
the desktop until its notifications are connected, the gadget until it shows, one idle second, closing the
context), in CPU milliseconds of the browser's processes (the Playwright driver included), for each Chromium the
plugin may launch: the full Chromium headless and its headless shell (finesse_harness/browser.py), each signed in
both ways: through the sign-in page (``Desktop.sign_in``) and over HTTP (``Desktop.open_signed_in``, what the
``desktop`` fixture does).

    python bench/bench_suite.py [--resets 200] [--sign-ins 0] [--no-suite] [--workers 0,2] [pytest args after --]

Flags: ``--resets N`` rounds of the reset measurement; ``--sign-ins N`` sign-ins per browser for the phase figures
(0: none); ``--no-suite`` skips the suite runs; ``--workers 0,2`` the suite runs, as pytest-xdist worker counts
(0: serial); everything after ``--`` goes to pytest (e.g. ``-- e2e`` for the browser tests only).
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

from playwright.sync_api import expect, sync_playwright

from finesse_harness.browser import SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL, launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.harness import TEST_GADGET_SETTINGS, Harness, start_harness

RESET_TARGET_MS = 50
PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h
ORPHANS_GRACE_SECONDS = 10
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
IDLE_SECONDS = 1.0
SIGN_IN_WAYS = {"sign-in page": True, "over HTTP": False}  # way → through the form


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


def process_table():
    """``{parent pid: [(pid, its CPU clock ticks with those of its reaped children, its command line)]}``."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                fields, command = stat.read().rsplit(")", 1)[1].split(), cmdline.read()
        except OSError:  # ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append((int(entry), sum(int(f) for f in fields[11:15]), command))
    return children


def browser_cpu_seconds():
    """User + system CPU seconds of this process's Playwright drivers and everything under them (the browsers;
    a closed page's renderer is counted once the browser has reaped it); not the harness's Prosody."""
    children = process_table()
    drivers = [(pid, ticks) for pid, ticks, command in children.get(os.getpid(), []) if b"run-driver" in command]
    total, pending = sum(ticks for _, ticks in drivers), [pid for pid, _ in drivers]
    while pending:
        for pid, ticks, _ in children.get(pending.pop(), []):
            total += ticks
            pending.append(pid)
    return total / CLOCK_TICKS


def one_sign_in(harness: Harness, browser, spec, form):
    """One desktop sign-in with the gadget at ``spec`` in a new context, through the sign-in page (``form``) or
    signed in over the context's HTTP (``Desktop.open_signed_in``, what the ``desktop`` fixture does);
    ``[(phase, browser CPU seconds at its end)]`` from a ``start`` mark on."""
    marks = [("start", browser_cpu_seconds())]
    context = browser.new_context()
    page = context.new_page()
    marks.append(("context and page", browser_cpu_seconds()))
    agent = Desktop(page, harness.finesse, "1001")
    desktop = agent.sign_in() if form else agent.open_signed_in()
    marks.append(("sign-in and desktop connected", browser_cpu_seconds()))
    expect(desktop.gadget_frame(spec).locator("#cc-app:visible, #cc-unavailable:visible")).to_have_count(1)
    marks.append(("gadget shown", browser_cpu_seconds()))
    time.sleep(IDLE_SECONDS)
    marks.append(("idle second", browser_cpu_seconds()))
    context.close()
    marks.append(("context closed", browser_cpu_seconds()))
    return marks


def sign_in_phases(harness: Harness, browser, rounds, form):
    """Browser CPU milliseconds per phase of a desktop sign-in with the gadget (through the sign-in page when
    ``form``), the mean of ``rounds``."""
    spec = harness.gadget.url + "/gadget.xml"
    phases = {}
    for _ in range(rounds):
        harness.reset()
        set_team_layout(harness.finesse, "10", {"manageCustomer": [spec]})
        marks = one_sign_in(harness, browser, spec, form)
        for (_, before), (name, after) in zip(marks, marks[1:], strict=False):
            phases[name] = phases.get(name, 0.0) + (after - before) * 1000 / rounds
    return phases


def sign_in_figures(rounds):
    """``{(browser, way): {phase: CPU ms}}`` for the full Chromium (headless) and the headless shell, where
    installed, each signed in through the sign-in page and over HTTP, alternately (the machine's load falls on
    both ways alike)."""
    figures = {}
    with (
        tempfile.TemporaryDirectory() as instance_dir,
        start_harness(instance_dir, gadget_settings=TEST_GADGET_SETTINGS) as harness,
        sync_playwright() as playwright,
    ):
        for path in (SYSTEM_CHROMIUM, SYSTEM_HEADLESS_SHELL):
            if not os.path.exists(path):
                continue
            browser = launch_chromium(playwright, executable_path=path)
            try:
                for _ in range(rounds):
                    for way, form in SIGN_IN_WAYS.items():
                        phases = figures.setdefault((path, way), {})
                        for name, ms in sign_in_phases(harness, browser, 1, form).items():
                            phases[name] = phases.get(name, 0.0) + ms / rounds
            finally:
                browser.close()
    return figures


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
    parser.add_argument("--sign-ins", type=int, default=0, help="sign-ins per browser for the phase figures")
    parser.add_argument("--no-suite", action="store_true", help="no suite runs")
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
    if args.sign_ins:
        load = os.getloadavg()[0]
        for (path, way), phases in sign_in_figures(args.sign_ins).items():
            print(
                f"desktop sign-in {way}, browser CPU ms ({path}, {args.sign_ins} rounds, load average {load:.1f}): "
                + "; ".join(f"{name} {ms:.0f}" for name, ms in phases.items())
                + f"; all but the idle second {sum(ms for n, ms in phases.items() if n != 'idle second'):.0f}",
                flush=True,
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
