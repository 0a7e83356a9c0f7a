"""Screen pop: from a call ringing to the customer, a 200-activity journey and the call itself on screen, at the
Context Service latencies and ring times a contact centre sees.

Starts the three servers in threads on 127.0.0.1 (finesse_harness.harness.start_harness), seeds one customer with 200
activities, signs agent 1001 in to the mock desktop in headless Chromium and, for each combination of
``--cs-latency-ms`` (the mock's ``/_mock/faults`` latency on every Context Service call; default 0 and 60, the
Webex cloud seen from an on-premises Finesse) and ``--ring-ms`` (how long a call rings before it is answered;
default 1000 and 100, auto-answer), answers ``--calls`` calls from that customer. Measured inside the gadget's
frame from the hub notifications that carry the ALERTING and the ACTIVE dialog:

- shown: the customer's name, the journey and the current interaction (its "recording…" row or the stored
  activity) are on screen;
- stored: the stored activity has replaced the row, selected.

The physical limit of "stored" is what no gadget can beat: one Context Service round after a 1 s ring (the
look-up and journey are done while it rings; storing the activity remains), two rounds with auto-answer (the
look-up, then the store), each plus the gadget's measured local render. With auto-answer it is counted from
ALERTING, as the agent never waits for the ring. A timeline (p50 after ALERTING) says where the time goes: ACTIVE,
each proxy call the gadget made before "stored" (sent → answered, from Resource Timing) and the two marks. Also prints the gadget's first-load weight over the wire
(gzip) and checks that every file comes from the gadget server or from Finesse itself (no third-party host).

    python bench/bench_screen_pop.py [--calls 50] [--cs-latency-ms 0,60] [--ring-ms 1000,100] [--gunicorn WORKERS]
                                     [--no-caller-hints]

Every call comes from the same customer, so after the first one the proxy knows who the caller is (its caller
hints, gadget_plugin/caller_hints.py) and reads the journey in the look-up's round; ``--no-caller-hints``
measures every call as a first-time caller's (the journey read after the look-up).

By default the gadget server runs in a thread of this process, beside the mock cloud and the mock Finesse (one
GIL for all three); ``--gunicorn 2`` runs it as the README deploys it, in processes of its own.

Targets (issue #14, at 60 ms): shown <= 50 ms after ACTIVE with a 1 s ring; stored p95 <= 1.6 x limit with a
1 s ring and with auto-answer (after ALERTING); at 0 ms shown p95 <= 150 ms; first load <= 100 KB.
"""

import argparse
import base64
import logging
import re
import statistics
import sys
import tempfile
import time
import uuid
from urllib.parse import urljoin, urlsplit

import requests
from playwright.sync_api import sync_playwright

from finesse_harness.browser import launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.handles import set_cs_faults
from finesse_harness.harness import start_harness

PHONE = "+15550109999"
ACTIVITIES = 200
PER_REQUEST = 10
JOURNEY_SHOWN = 200  # the proxy's journey holds the newest 200 activities (the new call comes on top)
AGENT = "1001"
WARM_UP = 3  # calls per combination not counted
AUTO_ANSWER_BELOW_MS = 500  # a ring this short is auto-answer: the look-up cannot finish before ACTIVE
# With auto-answer, also printed: when Finesse answered, and what the gadget and the proxy took after that.
AFTER_ANSWER = (("ACTIVE after ALERTING:", "activeAfterAlerting"), ("stored after ACTIVE:", "storedAfterActive"))
TARGET_LATENCY_MS = 60

# Runs in the gadget frame before a call rings: window.__screenPop resolves with the ms from the ALERTING and
# from the ACTIVE notification to "shown" (the customer's name, the journey's activities and the current
# interaction: its recording row or the stored activity, selected) and to "stored" (the stored activity selected,
# no recording row left); checked on every DOM change. The customer is closed between calls, so nothing of
# theirs is on screen before.
MEASURE = """([name, expected]) => { performance.clearResourceTimings(); window.__screenPop = new Promise((resolve, reject) => {
  const marks = {};
  const on = (selector) => document.querySelector(selector);
  const customer = () => on('#cc-customer-name')?.textContent === name &&
    document.querySelectorAll('#cc-journey .cc-activity').length >= expected;
  const check = () => {
    if (marks.active === undefined) { return; }
    const now = performance.now();
    if (marks.shown === undefined && customer() && (on('#cc-journey .cc-recording') ||
        on('#cc-journey .cc-activity--selected'))) { marks.shown = now; }
    if (marks.stored === undefined && customer() && on('#cc-journey .cc-activity--selected') &&
        !on('#cc-journey .cc-recording')) { marks.stored = now; }
    if (marks.shown !== undefined && marks.stored !== undefined) {
      observer.disconnect();
      const calls = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'))
        .map((e) => ({path: new URL(e.name).pathname.split('/api/v1')[1], start: e.startTime - marks.alerting,
                      end: e.responseEnd - marks.alerting}));
      resolve({shownAfterActive: marks.shown - marks.active, storedAfterActive: marks.stored - marks.active,
               shownAfterAlerting: marks.shown - marks.alerting, storedAfterAlerting: marks.stored - marks.alerting,
               activeAfterAlerting: marks.active - marks.alerting, calls});
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  const topic = 'finesse.api.User.' + finesse.gadget.Config.id + '.Dialogs';
  gadgets.Hub.subscribe(topic, (t, data) => {
    const now = performance.now();
    if (marks.alerting === undefined && /<state>ALERTING<\\/state>/.test(data.content)) { marks.alerting = now; }
    if (marks.active === undefined && /<state>ACTIVE<\\/state>/.test(data.content)) {
      marks.active = now;
      if (marks.alerting === undefined) { marks.alerting = now; }
      check();
    }
  });
  setTimeout(() => {
    observer.disconnect();
    reject(new Error('not stored within 10 s: ' + JSON.stringify(marks) + ' activities=' +
      document.querySelectorAll('#cc-journey .cc-activity').length));
  }, 10000);
}); }"""


# The gadget's own share: one full re-render of every pane (journey of 200 activities) in ms. The panes keep
# what still shows the same thing (keyed updates), so their keys are dropped first to force a full rebuild.
RENDER_ONCE = """() => { document.querySelectorAll('#cc-root *').forEach((node) => { node.ccKey = undefined; });
  const started = performance.now(); CC.panes.render(CC.store.state); return performance.now() - started; }"""


def seed(api_url):
    """One customer whose journey has 200 activities in 20 requests; returns the customer."""
    session = requests.Session()
    session.headers["Authorization"] = "Basic " + base64.b64encode(b"1001:demo1001").decode()
    customer = session.post(
        api_url + "/customers",
        timeout=30,
        json={
            "fields": {"Context_First_Name": "Bench", "Context_Last_Name": "Customer", "Context_Mobile_Phone": PHONE}
        },
    ).json()
    for number in range(ACTIVITIES):
        body = {
            "customerId": customer["id"],
            "mediaType": "voice",
            "source": {"phone": PHONE},
            "dialogId": f"seed-{number}",
        }
        if number % PER_REQUEST == 0:
            body["requestId"] = "new"
        session.post(api_url + "/activities", json=body, timeout=30).raise_for_status()
    return customer


def first_load_weight(gadget_url, finesse_url):
    """(bytes over the wire, files, foreign hosts) of gadget.xml plus every file it loads (en bundle)."""
    spec = requests.get(gadget_url + "/gadget.xml", headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    total = len(spec.raw.read(decode_content=False))
    text = requests.get(gadget_url + "/gadget.xml", timeout=30).text
    refs = re.findall(r'(?:src|href)="([^"]+)"', text) + re.findall(r'<Locale messages="([^"]+)"', text)[:1]
    files, foreign = 1, []
    for ref in dict.fromkeys(refs):
        url = urljoin(gadget_url + "/gadget.xml", ref)
        if urlsplit(url).path.startswith("/desktop/"):
            continue  # jQuery and finesse.js are Finesse's own files, already loaded by the desktop
        if urlsplit(url).netloc not in (urlsplit(gadget_url).netloc, urlsplit(finesse_url).netloc):
            foreign.append(url)
            continue
        answer = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
        answer.raise_for_status()
        total += len(answer.raw.read(decode_content=False))
        files += 1
    return total, files, foreign


def signed_in_gadget(playwright, finesse, gadget):
    """(browser, desktop, gadget frame): agent 1001 signed in to the mock desktop, the gadget started."""
    set_team_layout(finesse, "10", {"manageCustomer": [gadget.url + "/gadget.xml"]})
    browser = launch_chromium(playwright)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop = Desktop(page, finesse, AGENT).sign_in()
    page.wait_for_selector("iframe.gadget-frame")
    frame = next(f for f in page.frames if "/gadgets/ifr" in f.url)
    frame.wait_for_selector("#cc-app", state="visible")
    return browser, desktop, frame


# Runs in the gadget frame once: window.__inFlight counts the gadget's fetches not answered yet.
COUNT_IN_FLIGHT = """() => { if (window.__inFlight !== undefined) { return; } window.__inFlight = 0;
  const fetched = window.fetch;
  window.fetch = (...args) => { window.__inFlight += 1; const done = () => { window.__inFlight -= 1; };
    return fetched(...args).then((answer) => { done(); return answer; }, (error) => { done(); throw error; }); }; }"""


def measure_calls(desktop, frame, calls, ring_ms):
    """Answer ``calls`` calls from the customer after each rang ``ring_ms``: one dict of times (ms) per call.
    Each call rings once the gadget's reads for the one before are over (its comments, the rest of its journey):
    an agent's wrap-up takes seconds, and the browser's six connections to the proxy are free again."""
    times = []
    frame.evaluate(COUNT_IN_FLIGHT)
    for number in range(calls + WARM_UP):
        frame.wait_for_function("window.__inFlight === 0")
        frame.evaluate(MEASURE, ["Bench Customer", JOURNEY_SHOWN])
        dialog = desktop.offer_call(PHONE)
        desktop.page.wait_for_timeout(ring_ms)
        answer(desktop, dialog, ring_ms)
        elapsed = frame.evaluate("window.__screenPop")
        if number >= WARM_UP:
            times.append(elapsed)
        desktop.dialog_action(dialog["id"], "DROP")
        desktop.dialog_action(dialog["id"], "END_WRAP_UP")
        frame.click("[data-action=close-customer]")  # the next call pops a customer who is not open yet
        frame.wait_for_selector("#cc-customer-name", state="detached")
    return times


def answer(desktop, dialog, ring_ms):
    """The agent answers: clicks Answer on the desktop's call control (their pointer is then there, not over the
    gadget); with auto-answer Finesse answers by itself (REST) and the pointer stays where it was."""
    if ring_ms < AUTO_ANSWER_BELOW_MS:
        desktop.dialog_action(dialog["id"], "ANSWER")
    else:
        desktop.page.get_by_role("button", name="Answer").click()


def render_times(frame, customer):
    """ms of 20 full re-renders of every pane with the customer's 200-activity journey on screen."""
    frame.evaluate(f"CC.actions.customers.openCustomerById('{customer['id']}')")
    frame.wait_for_selector(f"#cc-journey .cc-activity >> nth={JOURNEY_SHOWN - 1}")
    renders = [frame.evaluate(RENDER_ONCE) for _ in range(20)]
    frame.click("[data-action=close-customer]")
    return renders


def proxy_times(api_url, customer, rounds=20):
    """p50 ms of the two proxy calls a screen pop waits for: the screen pop (look-up + journey, with the dialog
    as the gadget sends it), and the record of that dialog with the screen pop's prepared token."""
    session = requests.Session()
    session.headers["Authorization"] = "Basic " + base64.b64encode(b"1001:demo1001").decode()
    pops, records = [], []
    for _ in range(rounds):
        dialog_id = f"p{uuid.uuid4().hex}"
        started = time.perf_counter()
        pop = session.post(
            api_url + "/screen-pop",
            json={"phone": PHONE, "maxEntries": 50, "dialogId": dialog_id, "mediaType": "voice"},
            timeout=30,
        )
        pop.raise_for_status()
        pops.append((time.perf_counter() - started) * 1000)
        body = {
            "customerId": customer["id"],
            "mediaType": "voice",
            "source": {"phone": PHONE},
            "dialogId": dialog_id,
            "prepared": pop.json()["prepared"],
        }
        started = time.perf_counter()
        session.post(api_url + "/activities", json=body, timeout=30).raise_for_status()
        records.append((time.perf_counter() - started) * 1000)
    return {"screen pop": statistics.median(pops), "record (prepared)": statistics.median(records)}


def p95(values):
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def report(times, ring_ms, latency_ms, render_ms, proxy):
    """Print shown/stored p50/p95 of one combination, each as a multiple of the physical limit, and verdicts."""
    auto = ring_ms < AUTO_ANSWER_BELOW_MS
    rounds = 2 if auto else 1
    limit = rounds * latency_ms + render_ms
    since = "ALERTING" if auto else "ACTIVE"
    shown = [t["shownAfterActive"] for t in times]
    stored = [t["storedAfter" + ("Alerting" if auto else "Active")] for t in times]
    print(
        f"Context Service {latency_ms} ms, ring {ring_ms} ms{' (auto-answer)' if auto else ''}, {len(times)} calls; "
        f"limit {limit:.0f} ms ({rounds} round{'s' * (rounds > 1)} + render {render_ms:.1f} ms) after {since}"
    )
    print(
        f"  shown  after ACTIVE:  p50 {statistics.median(shown):6.1f} ms   p95 {p95(shown):6.1f} ms"
        + ("" if auto else f"   ({p95(shown) / limit:.2f}x limit)")
    )
    print(
        f"  stored after {since + ':':9} p50 {statistics.median(stored):6.1f} ms   p95 {p95(stored):6.1f} ms   "
        f"({statistics.median(stored) / limit:.2f}x / {p95(stored) / limit:.2f}x limit)"
    )
    for name, key in AFTER_ANSWER if auto else ():
        values = [t[key] for t in times]
        print(f"  {name:22} p50 {statistics.median(values):6.1f} ms   p95 {p95(values):6.1f} ms")
    print("  proxy p50: " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in proxy.items()))
    print("  timeline p50 after ALERTING: " + timeline(times))
    for name, value, target in verdicts(latency_ms, auto, shown, stored, limit):
        print(f"  verdict: {name} {value:.1f} ms, target <= {target:.0f} ms: {'met' if value <= target else 'NOT met'}")


def timeline(times):
    """Where the time goes, p50 ms after ALERTING: ACTIVE, each proxy call the gadget made (sent → answered, the
    first of each path) and the moments shown and stored."""
    spans = {}
    for entry in times:
        seen = set()
        for call in entry["calls"]:
            if call["path"] not in seen:
                seen.add(call["path"])
                spans.setdefault(call["path"], []).append((call["start"], call["end"]))
    parts = [f"ACTIVE {statistics.median(t['activeAfterAlerting'] for t in times):.0f}"]
    for path, pairs in spans.items():
        start, end = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
        parts.append(
            f"{path} {start:.0f}→{end:.0f}" + (f" ({len(pairs)}/{len(times)})" if len(pairs) < len(times) else "")
        )
    parts.append(f"shown {statistics.median(t['shownAfterAlerting'] for t in times):.0f}")
    parts.append(f"stored {statistics.median(t['storedAfterAlerting'] for t in times):.0f}")
    return ", ".join(parts)


def verdicts(latency_ms, auto, shown, stored, limit):
    """(what, measured ms, target ms) of the targets that apply to one combination."""
    if latency_ms == 0 and not auto:
        return [("shown p95", p95(shown), 150)]
    if latency_ms != TARGET_LATENCY_MS:
        return []
    found = [("stored p95 (1.6 x limit)", p95(stored), 1.6 * limit)]
    return found if auto else [("shown p95", p95(shown), 50), *found]


def gunicorn_shape(workers):
    """The gadget server's process (start_harness' gadget_process): gunicorn as the README deploys it, or None."""
    return ["--workers", str(workers), "--threads", "64", "--keep-alive", "30"] if workers else None


def ms_list(parser, value, option):
    """Whole milliseconds from a comma-separated option value."""
    try:
        return [int(ms) for ms in value.split(",")]
    except ValueError:
        parser.error(f"{option} takes whole milliseconds separated by commas, got {value!r}")


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50, help="calls measured per combination (default 50)")
    help_latency = "latencies added to every Context Service call, one run each (default: 0,60)"
    parser.add_argument("--cs-latency-ms", default="0,60", metavar="MS[,MS...]", help=help_latency)
    parser.add_argument(
        "--ring-ms",
        default="1000,100",
        metavar="MS[,MS...]",
        help="how long each call rings before the agent answers, one run each; under "
        f"{AUTO_ANSWER_BELOW_MS} ms counts as auto-answer (default: 1000,100)",
    )
    parser.add_argument(
        "--gunicorn",
        type=int,
        default=0,
        metavar="WORKERS",
        help="run the gadget server under gunicorn with this many workers, 64 threads each and 30 s keep-alive, as the README "
        "deploys it (default: a thread of this process)",
    )
    hints_off = "the gadget server keeps no caller hints (CALLER_HINT_SECONDS=0): every call is a first-time caller's"
    parser.add_argument("--no-caller-hints", action="store_true", help=hints_off)
    args = parser.parse_args(argv)
    if args.calls < 2:
        parser.error(f"--calls takes at least 2 (a p95 needs two calls), got {args.calls}")
    latencies = ms_list(parser, args.cs_latency_ms, "--cs-latency-ms")
    rings = ms_list(parser, args.ring_ms, "--ring-ms")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    results = []
    with (
        tempfile.TemporaryDirectory() as instance_dir,
        start_harness(
            instance_dir,
            gadget_process=gunicorn_shape(args.gunicorn),
            gadget_settings={"CALLER_HINT_SECONDS": 0} if args.no_caller_hints else None,
        ) as harness,
        sync_playwright() as playwright,
    ):
        hub, finesse, gadget = harness.controlhub, harness.finesse, harness.gadget
        weight, files, foreign = first_load_weight(gadget.url, finesse.url)
        customer = seed(gadget.url + "/api/v1")
        browser, desktop, frame = signed_in_gadget(playwright, finesse, gadget)
        renders = render_times(frame, customer)
        for latency_ms in latencies:
            set_cs_faults(hub, latencyMs=latency_ms)
            proxy = proxy_times(gadget.url + "/api/v1", customer)
            for ring_ms in rings:
                results.append((measure_calls(desktop, frame, args.calls, ring_ms), ring_ms, latency_ms, proxy))
        browser.close()
    render_ms = statistics.median(renders)
    print(
        f"screen pop of a customer with a {ACTIVITIES}-activity journey; gadget render (all panes) "
        f"p50 {render_ms:.1f} ms; gadget server "
        + (f"under gunicorn, {args.gunicorn} workers x 64 threads" if args.gunicorn else "in a thread of this process")
        + ("; no caller hints (every call a first-time caller's)" if args.no_caller_hints else "; caller hints on")
    )
    for times, ring_ms, latency_ms, proxy in results:
        report(times, ring_ms, latency_ms, render_ms, proxy)
    print(
        f"first load: {weight / 1024:.1f} KB over the wire in {files} files (gzip; target <= 100 KB); "
        f"third-party hosts: {', '.join(foreign) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
