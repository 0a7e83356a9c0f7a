"""Typing at real-cloud latency: does every keystroke and every tag the agent types end up stored?

Starts the three servers in threads on 127.0.0.1 (finesse_harness.harness.start_harness), signs agent 1001 in to the
mock desktop in headless Chromium and answers a call from a known customer. Then, with the mock Context Service
answering every call ``--latency-ms`` late (600: the top of the real cloud's 200-600 ms range from an
on-premises Finesse), the agent types 2,000 characters key by key at ``--keystroke-ms`` per key, moving on at
once from field to field: activity Notes, 20 tags (Enter after each), two comments (Add comment after each),
then the request's Title and Description. When the gadget has nothing left to save, the stored objects are read
through the proxy and compared with what was typed. The run is repeated with 20 % of Context Service calls
failing with 503 (``--error-rate``).

    python bench/bench_typing.py [--latency-ms 600] [--keystroke-ms 60] [--error-rate 0.2]

Prints, per run: characters typed vs stored (and lost), tags typed vs stored, false conflicts (caution notices
shown to the one agent who edits), and how long the last save took to land after the last keystroke.
Target: 0 lost characters, 0 lost tags, 0 false conflicts, also with the injected 503s.
"""

import argparse
import base64
import difflib
import logging
import os
import sys
import tempfile
import time

import requests
from playwright.sync_api import sync_playwright

from finesse_harness.browser import launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.handles import set_cs_faults
from finesse_harness.harness import start_harness

PHONE = "+1555010{:04d}"  # one caller per run (so each call finds its own customer)
AGENT = "1001"
WORDS = (
    "the customer called back about the second invoice and asked for a refund of the double charge "
    "from march while the card was blocked so we agreed to check again on friday"
).split()
SETTLE_SECONDS = 120

# Counts every caution notice the gadget shows (a single agent editing: each one is a false conflict).
COUNT_CAUTIONS = """() => { window.__cautions = 0; new MutationObserver((records) => {
  records.forEach((r) => r.addedNodes.forEach((n) => {
    if (n.nodeType === 1 && (n.matches('.cc-caution') || n.querySelector('.cc-caution'))) { window.__cautions += 1; }
  }));
}).observe(document.body, {childList: true, subtree: true}); }"""
# True when the gadget has nothing left to save: no write queued or on its way, no draft left.
SETTLED = "() => CC.writes.idle().then(() => CC.drafts.all().length === 0 && !CC.store.state.offline)"


def text_of(length, seed):
    """Readable text of exactly `length` characters (words from a fixed list, starting at `seed`)."""
    words, total, index = [], 0, seed
    while total < length:
        word = WORDS[index % len(WORDS)]
        words.append(word)
        total += len(word) + 1
        index += 1
    return " ".join(words)[:length].rstrip().ljust(length, "x")


def plan():
    """What the agent types: {notes, tags, comments, title, description}; 2,000 characters in all."""
    tags = [f"tag{number:02d}" for number in range(1, 21)]
    return {
        "notes": text_of(600, 0),
        "tags": tags,
        "comments": [text_of(300, 7), text_of(300, 13)],
        "title": text_of(100, 3),
        "description": text_of(600, 21),
    }


def typed_characters(typing):
    """How many characters the plan types."""
    return (
        len(typing["notes"])
        + sum(map(len, typing["tags"]))
        + sum(map(len, typing["comments"]))
        + len(typing["title"])
        + len(typing["description"])
    )


def lost(typed, stored):
    """Characters of `typed` missing from `stored` (in order: what a diff would have to insert back)."""
    typed = typed.strip()  # the proxy stores text trimmed (gadget_plugin/validation.py)
    matcher = difflib.SequenceMatcher(None, typed, stored or "", autojunk=False)
    return len(typed) - sum(block.size for block in matcher.get_matching_blocks())


def type_everything(page, frame, typing, keystroke_ms):
    """Type the plan into the gadget at human speed, moving on at once from field to field."""
    keyboard = page.keyboard
    frame.click("#cc-details [data-field='Context_Notes']")
    keyboard.type(typing["notes"], delay=keystroke_ms)
    frame.click("#cc-details .cc-tag-input")
    for tag in typing["tags"]:
        keyboard.type(tag, delay=keystroke_ms)
        keyboard.press("Enter")
    for comment in typing["comments"]:
        frame.click("#cc-details [data-field='comment']")
        keyboard.type(comment, delay=keystroke_ms)
        frame.click("[data-action=add-comment]")
    frame.click("#cc-journey .cc-request__title")
    frame.click("#cc-details [data-field='Context_Title']")
    keyboard.type(typing["title"], delay=keystroke_ms)
    frame.click("#cc-details [data-field='Context_Description']")
    keyboard.type(typing["description"], delay=keystroke_ms)
    frame.click("#cc-details [data-field='Context_Title']")  # leaving Description saves it


def stored_now(api, api_url, customer_id):
    """What Context Service holds: {notes, tags, comments, title, description}."""
    journey = api.get(f"{api_url}/customers/{customer_id}/journey", timeout=30).json()
    request = journey["requests"][0]
    activity = api.get(f"{api_url}/activities/{request['activities'][0]['id']}", timeout=30).json()
    fields = request["fields"]
    return {
        "notes": activity["fields"].get("Context_Notes", ""),
        "tags": activity["tags"],
        "comments": sorted(c["text"] for c in activity["comments"]),
        "title": fields.get("Context_Title", ""),
        "description": fields.get("Context_Description", ""),
    }


def one_run(servers, browser, latency_ms, error_rate, keystroke_ms):
    """Sign in, answer a call, type the plan against a slow (and failing) cloud; the figures of the run."""
    hub, finesse, gadget = servers
    api = requests.Session()
    api.headers["Authorization"] = "Basic " + base64.b64encode(b"1001:demo1001").decode()
    api_url = gadget.url + "/api/v1"
    set_cs_faults(hub)
    phone = PHONE.format(int(error_rate * 100))
    customer = api.post(
        api_url + "/customers",
        timeout=30,
        json={
            "fields": {
                "Context_First_Name": "Bench",
                "Context_Last_Name": f"Typist{int(error_rate * 100)}",
                "Context_Mobile_Phone": phone,
            }
        },
    ).json()
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    desktop = Desktop(page, finesse, AGENT).sign_in()
    page.wait_for_selector("iframe.gadget-frame")
    frame = next(f for f in page.frames if "/gadgets/ifr" in f.url)
    frame.wait_for_selector("#cc-app", state="visible")
    dialog = desktop.offer_call(phone)
    desktop.dialog_action(dialog["id"], "ANSWER")
    frame.wait_for_selector("#cc-details [data-field='Context_Notes']")
    frame.evaluate(COUNT_CAUTIONS)
    faults = {"latencyMs": latency_ms}
    if error_rate:
        faults.update(errorRate=error_rate, status=503)
    set_cs_faults(hub, **faults)
    typing = plan()
    started = time.monotonic()
    type_everything(page, frame, typing, keystroke_ms)
    typed_at = time.monotonic()
    deadline = typed_at + SETTLE_SECONDS
    while not frame.evaluate(SETTLED) and time.monotonic() < deadline:
        time.sleep(0.5)
    settled_s = time.monotonic() - typed_at
    set_cs_faults(hub)
    stored = stored_now(api, api_url, customer["id"])
    cautions = frame.evaluate("window.__cautions")
    if os.environ.get("BENCH_TYPING_DEBUG"):
        print({"typed": typing, "stored": stored}, file=sys.stderr)
    desktop.dialog_action(dialog["id"], "DROP")
    page.close()
    chars_lost = (
        lost(typing["notes"], stored["notes"])
        + lost(typing["title"], stored["title"])
        + lost(typing["description"], stored["description"])
        + sum(min(lost(text, c) for c in stored["comments"] or [""]) for text in typing["comments"])
        + sum(len(tag) for tag in typing["tags"] if tag not in stored["tags"])
    )
    typed = typed_characters(typing)
    return {
        "typed": typed,
        "stored": typed - chars_lost,
        "lost": chars_lost,
        "tags_typed": len(typing["tags"]),
        "tags_stored": len([tag for tag in typing["tags"] if tag in stored["tags"]]),
        "false_conflicts": cautions,
        "typing_s": typed_at - started,
        "settled_s": settled_s,
    }


def main(argv=None):
    """Run the benchmark (clean cloud, then with injected 503s) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=600)
    parser.add_argument("--keystroke-ms", type=int, default=60)
    parser.add_argument("--error-rate", type=float, default=0.2)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as instance_dir, start_harness(instance_dir) as harness:
        servers = harness.controlhub, harness.finesse, harness.gadget
        set_team_layout(servers[1], "10", {"manageCustomer": [servers[2].url + "/gadget.xml"]})
        results = []
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for error_rate in (0.0, args.error_rate):
                r = one_run(servers, browser, args.latency_ms, error_rate, args.keystroke_ms)
                results.append(r)
                report(args, error_rate, r)
            browser.close()
    return 0 if all(r["lost"] == 0 and r["false_conflicts"] == 0 for r in results) else 1


def report(args, error_rate, r):
    """Print one run's figures."""
    print(
        f"typing at {args.keystroke_ms} ms/key, Context Service {args.latency_ms} ms, "
        f"{error_rate:.0%} injected 503s: characters typed {r['typed']} stored {r['stored']} lost {r['lost']}; "
        f"tags typed {r['tags_typed']} stored {r['tags_stored']}; false conflicts {r['false_conflicts']}; "
        f"typing {r['typing_s']:.0f} s, last save landed {r['settled_s']:.1f} s after the last key "
        f"(target: 0 lost, 0 false conflicts)",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
