"""What one mock Finesse desktop page costs the browser: a sign-in's CPU by Chromium process and by phase, the
requests of each load, and the CPU a signed-in desktop burns while idle, with and without our gadget.

A sign-in is what the ``desk`` fixture does, in a new browser context: the sign-in form (open it, type the agent's
ID, password and extension), the desktop until its notifications are connected, our Customer Context gadget's
iframe until it shows. CPU is read from ``/proc/<pid>/stat`` of the browser's process tree (user + system, with
the reaped children of each process), split by Chromium's process type (browser, renderer, GPU, network and other
utility processes, zygote) and the Playwright driver. Requests are every request of the page and its iframes: count,
response bytes (as received: compressed when gzipped; a 304 has none) and the 304s, by resource type; the same
sign-in again in the same context (signed out first) shows what the browser's HTTP cache saves when a context is
reused.

The idle figure is a signed-in desktop left alone for ``--idle`` seconds: the browser's CPU per second, and the
page's own counters from the Chrome DevTools Protocol (``Performance.getMetrics``: task, script, layout and
style-recalculation time and the number of layouts and style recalculations, per second, the page's frames
included), first with the default layout (no gadget), then with our gadget. ``--timers`` adds which callbacks
fire while idle (timers and animation frames by the script line that scheduled them, per second and frame) and
the CSS animations running, from an init script that counts them (it adds a little CPU of its own).

    python bench/bench_desktop_cpu.py [--sign-ins 3] [--idle 5] [--timers] [--browser PATH]
"""

import argparse
import os
import re
import tempfile
import time
from collections import Counter

from playwright.sync_api import expect, sync_playwright

from bench_suite import process_table
from finesse_harness.browser import launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.harness import TEST_GADGET_SETTINGS, start_harness

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_SECONDS = 1.0  # after the gadget shows, before the idle window (its first reads finish)
GADGET_READY = "#cc-app:visible, #cc-unavailable:visible"
PAGE_METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
PAGE_COUNTS = ("LayoutCount", "RecalcStyleCount")
# Counts every timer and animation-frame callback by the line that scheduled it, and lists running animations.
TIMER_PROBE = """
(() => {
  const fired = window.__benchFired = {};
  const where = () => ((new Error().stack || "").split("\\n")[3] || "?").trim().replace(/^at /, "");
  const wrap = (name) => {
    const original = window[name];
    window[name] = function (callback, ...rest) {
      if (typeof callback !== "function") { return original.call(this, callback, ...rest); }
      const key = name + " " + where();
      return original.call(this, function (...args) {
        fired[key] = (fired[key] || 0) + 1;
        return callback.apply(this, args);
      }, ...rest);
    };
  };
  ["setTimeout", "setInterval", "requestAnimationFrame"].forEach(wrap);
  window.__benchAnimations = () => document.getAnimations().map((a) => (a.animationName || a.constructor.name) +
    " on " + (a.effect && a.effect.target ? a.effect.target.tagName.toLowerCase() + "#" + a.effect.target.id : "?"));
})();
"""


def process_kind(pid, command):
    """The kind of one process of the browser's tree, from its command line."""
    args = command.replace(b"\0", b" ").split()  # Chromium rewrites its title: arguments joined by spaces
    if b"run-driver" in command:
        return "driver"
    process_type = next((a.split(b"=", 1)[1] for a in args if a.startswith(b"--type=")), b"browser").decode()
    if process_type == "utility":
        sub_type = next((a.split(b"=", 1)[1] for a in args if a.startswith(b"--utility-sub-type=")), b"")
        return "network" if b"NetworkService" in sub_type else "utility"
    return {"gpu-process": "gpu"}.get(process_type, process_type)


def tree_cpu():
    """``{kind: CPU seconds}`` of this process's Playwright drivers and every process under them (see
    ``process_kind``), each with its reaped children."""
    children = process_table()
    totals = Counter()
    pending = [(pid, ticks, cmd) for pid, ticks, cmd in children.get(os.getpid(), []) if b"run-driver" in cmd]
    while pending:
        pid, ticks, command = pending.pop()
        totals[process_kind(pid, command)] += ticks / CLOCK_TICKS
        pending.extend(children.get(pid, []))
    return totals


class Requests:
    """Every finished or failed request of a browser context, to be summed per load."""

    def __init__(self, context):
        self.seen = []
        context.on("requestfinished", self.add)
        context.on("requestfailed", self.add)

    def add(self, request):
        """Keep one request (a Playwright handler must be a Python function)."""
        self.seen.append(request)

    def take(self):
        """``{resource type: [count, bytes, 304s]}`` of the requests since the last call, and the URLs."""
        taken, self.seen = self.seen, []
        summary = {}
        for req in taken:
            response = req.response()
            row = summary.setdefault(req.resource_type, [0, 0, 0])
            row[0] += 1
            row[1] += max(0, req.sizes()["responseBodySize"]) if response else 0
            row[2] += 1 if response and response.status == 304 else 0
        return summary, [req.url for req in taken]


def sign_in(harness, page, spec):
    """Sign agent 1001 in on ``page`` and wait for the gadget at ``spec`` (or for the desktop when None);
    ``[(phase, {kind: CPU s})]`` marks, the first one before the sign-in form."""
    marks = [("start", tree_cpu())]
    desktop = Desktop(page, harness.finesse, "1001")
    page.goto(harness.finesse.url + "/desktop/signin")
    for field, value in (("#username", "1001"), ("#password", desktop.password), ("#extension", desktop.extension)):
        page.fill(field, value)
    marks.append(("sign-in form", tree_cpu()))
    page.locator("#password").press("Enter")
    expect(page).to_have_url(re.compile(r"/desktop/$"))
    desktop.wait_connected()
    marks.append(("desktop to connected", tree_cpu()))
    if spec:
        expect(desktop.gadget_frame(spec).locator(GADGET_READY)).to_have_count(1)
        marks.append(("gadget to shown", tree_cpu()))
    return marks


def phase_cpu(marks):
    """``{phase: {kind: CPU ms}}`` between consecutive marks."""
    return {
        name: {kind: (after[kind] - before.get(kind, 0)) * 1000 for kind in after}
        for (_, before), (name, after) in zip(marks, marks[1:])
    }


def sign_out(page):
    """Sign out from the desktop (the same context keeps its HTTP cache)."""
    page.click("#sign-out")
    expect(page).to_have_url(re.compile(r"/desktop/signin"))


def sign_in_figures(harness, browser, rounds):
    """Means over ``rounds`` of a first sign-in in a new context and a second one in the same context:
    ``{"first"|"again": (phases, requests summary)}``, and the URLs of the last first load."""
    spec = harness.gadget.url + "/gadget.xml"
    figures = {"first": [{}, {}], "again": [{}, {}]}
    urls = []
    for _ in range(rounds):
        harness.reset()
        set_team_layout(harness.finesse, "10", {"manageCustomer": [spec]})
        context = browser.new_context()
        page = context.new_page()
        requests = Requests(context)
        for label in ("first", "again"):
            phases = phase_cpu(sign_in(harness, page, spec))
            summary, seen = requests.take()
            urls = seen if label == "first" else urls
            add_mean(figures[label][0], phases, rounds)
            add_mean(figures[label][1], summary, rounds)
            sign_out(page)
            requests.take()  # the sign-out's own requests
        context.close()
    return figures, urls


def add_mean(total, part, rounds):
    """Add ``part / rounds`` into ``total``, nested dicts and lists of numbers alike."""
    for key, value in part.items():
        if isinstance(value, dict):
            add_mean(total.setdefault(key, {}), value, rounds)
        elif isinstance(value, float):
            total[key] = total.get(key, 0.0) + value / rounds
        else:
            row = total.setdefault(key, [0.0] * len(value))
            for i, number in enumerate(value):
                row[i] += number / rounds


def idle_figures(harness, browser, spec, seconds, timers):
    """A signed-in desktop (with the gadget at ``spec``, or the default layout when None) left alone for
    ``seconds``: ``(CPU ms per s of the settling second before, {kind: CPU ms per s}, {metric: per s}, fired callbacks per s by frame, animations)``."""
    harness.reset()
    if spec:
        set_team_layout(harness.finesse, "10", {"manageCustomer": [spec]})
    context = browser.new_context()
    if timers:
        context.add_init_script(TIMER_PROBE)
    page = context.new_page()
    sign_in(harness, page, spec)
    settle_before = tree_cpu()
    time.sleep(SETTLE_SECONDS)
    settle = sum(tree_cpu().values()) - sum(settle_before.values())
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    fired_before = frame_probe(page, "window.__benchFired || {}") if timers else {}
    metrics_before, cpu_before = page_metrics(cdp), tree_cpu()
    time.sleep(seconds)
    metrics_after, cpu_after = page_metrics(cdp), tree_cpu()
    fired_after = frame_probe(page, "window.__benchFired || {}") if timers else {}
    animations = frame_probe(page, "window.__benchAnimations ? window.__benchAnimations() : []") if timers else {}
    context.close()
    cpu = {kind: (cpu_after[kind] - cpu_before.get(kind, 0)) * 1000 / seconds for kind in cpu_after}
    per_second = {name: (metrics_after[name] - metrics_before[name]) / seconds for name in metrics_after}
    fired = {
        frame: {k: (n - fired_before.get(frame, {}).get(k, 0)) / seconds for k, n in counts.items()}
        for frame, counts in fired_after.items()
    }
    return settle * 1000 / SETTLE_SECONDS, cpu, per_second, fired, animations


def page_metrics(cdp):
    """The page's duration metrics in milliseconds and its layout/style counts (CDP ``Performance``)."""
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return {
        **{name: values[name] * 1000 for name in PAGE_METRICS},
        **{name: values[name] for name in PAGE_COUNTS},
    }


def frame_probe(page, expression):
    """``{frame: value of expression}`` for the page and each of its frames, by the frame's path."""
    return {frame.url.split("?")[0]: frame.evaluate(expression) for frame in page.frames}


def print_sign_ins(figures, urls, rounds):
    """Print the sign-in phases by process kind and the requests of each load."""
    for label, (phases, summary) in figures.items():
        title = "first sign-in, new context" if label == "first" else "sign-in again, same context (its cache)"
        total = sum(sum(kinds.values()) for kinds in phases.values())
        print(f"{title} ({rounds} rounds): browser CPU {total:.0f} ms")
        for phase, kinds in phases.items():
            split = ", ".join(f"{kind} {ms:.0f}" for kind, ms in sorted(kinds.items(), key=lambda kv: -kv[1]))
            print(f"  {phase}: {sum(kinds.values()):.0f} ms ({split})")
        count, size, not_modified = (sum(row[i] for row in summary.values()) for i in range(3))
        print(f"  requests: {count:.0f}, {size / 1024:.0f} KiB received, {not_modified:.0f} answered 304")
        for kind, (n, b, nm) in sorted(summary.items(), key=lambda kv: -kv[1][0]):
            print(f"    {kind}: {n:.0f} requests, {b / 1024:.1f} KiB, {nm:.0f} x 304")
    print("requests of the last first load:")
    for url, n in Counter(u.split("?")[0] for u in urls).most_common():
        print(f"    {n} x {url}")


def print_idle(label, figures, seconds):
    """Print one idle measurement."""
    settle, cpu, metrics, fired, animations = figures
    split = ", ".join(f"{kind} {ms:.1f}" for kind, ms in sorted(cpu.items(), key=lambda kv: -kv[1]) if ms)
    print(
        f"idle desktop {label} ({seconds:.0f} s): browser CPU {sum(cpu.values()):.1f} ms/s ({split}); "
        f"in the {SETTLE_SECONDS:.0f} s before, right after it showed: {settle:.0f} ms/s"
    )
    print("  page per second: " + ", ".join(f"{name} {value:.1f}" for name, value in metrics.items()))
    for frame, counts in fired.items():
        for key, per_second in sorted(counts.items(), key=lambda kv: -kv[1]):
            if per_second:
                print(f"  {per_second:.1f}/s {key} ({frame})")
    for frame, running in animations.items():
        if running:
            print(f"  animations in {frame}: {', '.join(running)}")


def main():
    """Measure and print the sign-in and idle figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=3, help="rounds of the sign-in figures (0: none)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of each idle measurement (0: none)")
    parser.add_argument("--timers", action="store_true", help="count the callbacks that fire while idle")
    parser.add_argument("--browser", help="the Chromium to launch (default: as the plugin picks it)")
    args, _ = parser.parse_known_args()  # ./harness bench passes every benchmark the same options
    with (
        tempfile.TemporaryDirectory() as instance_dir,
        start_harness(instance_dir, gadget_settings=TEST_GADGET_SETTINGS) as harness,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright, **({"executable_path": args.browser} if args.browser else {}))
        print(f"browser {browser.version}, load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")
        try:
            if args.sign_ins:
                figures, urls = sign_in_figures(harness, browser, args.sign_ins)
                print_sign_ins(figures, urls, args.sign_ins)
            if args.idle:
                spec = harness.gadget.url + "/gadget.xml"
                for label, gadget in (("without a gadget", None), ("with our gadget", spec)):
                    print_idle(label, idle_figures(harness, browser, gadget, args.idle, args.timers), args.idle)
        finally:
            browser.close()
        print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
