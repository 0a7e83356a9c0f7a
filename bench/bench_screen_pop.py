"""Screen pop: from a call becoming ACTIVE to the customer and a 200-activity journey rendered in the gadget.

Starts the three servers in threads on 127.0.0.1 (finesse_harness.harness.start_harness), seeds one customer with 200
activities, signs agent 1001 in to the mock desktop in headless Chromium and answers ``--calls`` calls from
that customer. Each time is measured inside the gadget's frame: from the hub notification that carries the
ACTIVE dialog to the DOM showing the customer's name and every activity of the journey (one more per call).
Also prints the gadget's first-load weight over the wire (gzip, what the gadget server sends) and checks that
every file comes from the gadget server or from Finesse itself (no third-party host).

    python bench/bench_screen_pop.py [--calls 50] [--ring-ms 1000]

Each call rings ``--ring-ms`` before it is answered, as real calls do: the gadget looks the caller up and loads
a single match's journey while it rings, so answering leaves the activity to store and the screen to draw.

Targets: p95 <= 150 ms; first load <= 100 KB.
"""
import argparse
import base64
import logging
import re
import statistics
import sys
import tempfile
import time
from urllib.parse import urljoin, urlsplit

import requests

from finesse_harness.harness import start_harness

PHONE = "+15550109999"
ACTIVITIES = 200
PER_REQUEST = 10
JOURNEY_SHOWN = 200  # the proxy's journey holds the newest 200 activities (the new call comes on top)
AGENT = "1001"

# Runs in the gadget frame before a call is answered: window.__screenPop resolves with ms from the ACTIVE
# notification to the rendered customer + journey with the new call selected in it (checked on every DOM
# change; the customer is closed between calls, so nothing of theirs is on screen before).
MEASURE = """([name, expected]) => { window.__screenPop = new Promise((resolve, reject) => {
  let started = null;
  const done = () => document.querySelector('#cc-customer-name')?.textContent === name &&
    document.querySelectorAll('#cc-journey .cc-activity').length >= expected &&
    document.querySelector('#cc-journey .cc-activity--selected');
  const observer = new MutationObserver(() => {
    if (started !== null && done()) { observer.disconnect(); resolve(performance.now() - started); }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  const topic = 'finesse.api.User.' + finesse.gadget.Config.id + '.Dialogs';
  const subscription = gadgets.Hub.subscribe(topic, (t, data) => {
    if (started === null && /<state>ACTIVE<\\/state>/.test(data.content)) { started = performance.now(); }
  });
  setTimeout(() => {
    observer.disconnect();
    reject(new Error('not rendered within 10 s: started=' + started + ' activities=' +
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
    customer = session.post(api_url + "/customers", timeout=30, json={"fields": {
        "Context_First_Name": "Bench", "Context_Last_Name": "Customer", "Context_Mobile_Phone": PHONE}}).json()
    for number in range(ACTIVITIES):
        body = {"customerId": customer["id"], "mediaType": "voice", "source": {"phone": PHONE},
                "dialogId": f"seed-{number}"}
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


def measure_calls(finesse, gadget, customer, calls, ring_ms):
    """Answer `calls` calls from the customer after each rang `ring_ms`; the screen-pop times in ms."""
    from playwright.sync_api import sync_playwright

    from finesse_harness.browser import launch_chromium
    from finesse_harness.desktop import Desktop, set_team_layout

    set_team_layout(finesse, "10", {"manageCustomer": [gadget.url + "/gadget.xml"]})
    name = "Bench Customer"
    times = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop = Desktop(page, finesse, AGENT).sign_in()
        page.wait_for_selector("iframe.gadget-frame")
        frame = next(f for f in page.frames if "/gadgets/ifr" in f.url)
        frame.wait_for_selector("#cc-app", state="visible")
        for number in range(calls + 3):
            dialog = desktop.offer_call(PHONE)
            frame.evaluate(MEASURE, [name, JOURNEY_SHOWN])
            page.wait_for_timeout(ring_ms)
            desktop.dialog_action(dialog["id"], "ANSWER")
            elapsed = frame.evaluate("window.__screenPop")
            if number >= 3:  # warm-up calls are not counted
                times.append(elapsed)
            desktop.dialog_action(dialog["id"], "DROP")
            desktop.dialog_action(dialog["id"], "END_WRAP_UP")
            frame.click("[data-action=close-customer]")  # the next call pops a customer who is not open yet
            frame.wait_for_selector("#cc-customer-name", state="detached")
        frame.evaluate(f"CC.actions.customers.openCustomerById('{customer['id']}')")
        frame.wait_for_selector(f"#cc-journey .cc-activity >> nth={JOURNEY_SHOWN - 1}")
        renders = [frame.evaluate(RENDER_ONCE) for _ in range(20)]
        browser.close()
    return times, renders


def proxy_times(api_url, customer, rounds=20):
    """p50 ms of the three proxy calls a screen pop waits for: look-up, create activity, journey."""
    session = requests.Session()
    session.headers["Authorization"] = "Basic " + base64.b64encode(b"1001:demo1001").decode()
    calls = {
        "look-up": lambda n: session.get(api_url + "/customers/lookup", params={"phone": PHONE}, timeout=30),
        "create activity": lambda n: session.post(api_url + "/activities", timeout=30, json={
            "customerId": customer["id"], "mediaType": "voice", "source": {"phone": PHONE}, "dialogId": f"p{n}"}),
        "journey": lambda n: session.get(f"{api_url}/customers/{customer['id']}/journey", timeout=30,
                                         params={"startIndex": 0, "maxEntries": 50}),
    }
    result = {}
    for name, call in calls.items():
        samples = []
        for number in range(rounds):
            started = time.perf_counter()
            call(number).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
        result[name] = statistics.median(samples)
    return result


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--ring-ms", type=int, default=1000,
                        help="how long each call rings before the agent answers (the gadget looks up while it rings)")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as instance_dir, start_harness(instance_dir) as harness:
        finesse, gadget = harness.finesse, harness.gadget
        weight, files, foreign = first_load_weight(gadget.url, finesse.url)
        customer = seed(gadget.url + "/api/v1")
        times, renders = measure_calls(finesse, gadget, customer, args.calls, args.ring_ms)
        calls = proxy_times(gadget.url + "/api/v1", customer)
    print(f"screen pop: p50 {statistics.median(times):6.1f} ms   p95 {statistics.quantiles(times, n=20)[-1]:6.1f} ms   "
          f"({len(times)} calls ringing {args.ring_ms} ms, journey {ACTIVITIES} activities; target p95 <= 150 ms)")
    print(f"  of which: gadget render p50 {statistics.median(renders):.1f} ms; proxy p50 " +
          ", ".join(f"{name} {ms:.0f} ms" for name, ms in calls.items()))
    print(f"first load: {weight / 1024:.1f} KB over the wire in {files} files (gzip; target <= 100 KB); "
          f"third-party hosts: {', '.join(foreign) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
