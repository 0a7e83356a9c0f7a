"""Benchmark: notification latency over both transports — XMPP (Prosody, BOSH in the desktop) and Server-Sent Events.

1. Offer → the test gadget's finesse.js ``onCollectionAdd`` (p50/p95 over N calls), per transport. Starts the mock
   Finesse and the test gadget's server on free ports, signs agent 1001 in to the desktop in headless Chromium,
   then, from inside the desktop page, repeatedly posts ``/_mock/calls`` and reads the moment the gadget's handler
   ran (the gadget records ``performance.timeOrigin + performance.now()``; the desktop records the same clock
   just before sending). Each call is hung up before the next. Target: p95 ≤ 50 ms over XMPP.
2. Fan-out to 50 connected agents over XMPP: 50 supervisors of one team are connected (a standard client each,
   slixmpp over c2s); an agent of the team changes state N times and each round is timed from the REST request
   to the moment the last of the 50 received the team's ``/finesse/api/Team/{id}/Users`` update (p50/p95 of that
   "last one in").

Run: ``python bench/bench_notifications.py [--calls 100] [--rounds 30] [--agents 50] [--transports xmpp,sse]``.
"""

import argparse
import logging
import pathlib
import queue
import statistics
import sys
import tempfile
import threading
import time

import requests
from playwright.sync_api import expect, sync_playwright

from finesse_harness.browser import launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.handles import HarnessServer, allow_make_request
from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread
from finesse_harness.xmpp_client import AgentXmppClient
from mock_finesse import create_app as finesse_app, xmpp

# The test gadget lives in e2e/, which is this repository's and not installed.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from e2e.test_gadget.server import SPEC_PATH, create_app as gadget_server_app

TARGET_P95_MS = 50
TEAM = "10"
TRANSPORT_SETTINGS = {"xmpp": {"XMPP_SERVER": "prosody"}, "sse": {"XMPP_SERVER": "off"}}

# Runs in the desktop page: offer, wait for the gadget's handler, hang up; returns the latencies in ms.
MEASURE_JS = """
async ({agentId, calls}) => {
  const gadget = document.querySelector("iframe.gadget-frame").contentWindow;
  const post = window.mockSimulator.control;
  const handled = (id) => new Promise((resolve) => {
    const look = () => {
      const hit = gadget.testGadget.adds.find((add) => add.id === id);
      if (hit) { resolve(hit.at); } else { setTimeout(look, 1); }
    };
    look();
  });
  const latencies = [];
  for (let i = 0; i < calls; i += 1) {
    const sent = performance.timeOrigin + performance.now();
    const call = await post("/calls", {agentId, fromAddress: "+38591" + String(1000000 + i)});
    latencies.push((await handled(call.id)) - sent);
    await post(`/dialogs/${call.id}/actions`, {action: "CALLER_HANGUP"});
  }
  return latencies;
}
"""


def percentile(values, fraction):
    """The ``fraction`` quantile (nearest rank) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(values):
    """``p50 … ms, p95 … ms, max … ms``."""
    return (
        f"p50 {percentile(values, 0.5):.1f} ms, p95 {percentile(values, 0.95):.1f} ms, "
        f"mean {statistics.fmean(values):.1f} ms, max {max(values):.1f} ms"
    )


def start_finesse(transport, folder, overrides=None):
    """The mock Finesse on a free port with the transport's settings; (ServerThread, app)."""
    app = finesse_app({**TRANSPORT_SETTINGS[transport], "XMPP_DIR": folder, **(overrides or {})})
    assert app.config["NOTIFICATION_TRANSPORT"] == transport, app.config["NOTIFICATION_TRANSPORT_REASON"]
    return ServerThread(app).start(), app


def measure_offers(transport, calls, folder):
    """Offer → onCollectionAdd latencies (ms) in the desktop over ``transport``."""
    finesse_thread, app = start_finesse(transport, folder)
    gadget_thread = ServerThread(gadget_server_app()).start()
    try:
        finesse = HarnessServer(finesse_thread, app)
        allow_make_request(finesse, gadget_thread.url)
        spec_url = gadget_thread.url + SPEC_PATH
        set_team_layout(finesse, TEAM, {"home": [spec_url]})
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            desktop = Desktop(browser.new_page(), finesse, "1001").sign_in()
            expect(desktop.page.locator("body")).to_have_attribute("data-transport", transport)
            expect(desktop.gadget_frame(spec_url).locator("#agent-name")).to_have_text("Ana Horvat")
            latencies = desktop.page.evaluate(MEASURE_JS, {"agentId": "1001", "calls": calls})
            browser.close()
        return latencies
    finally:
        gadget_thread.stop()
        finesse_thread.stop()
        xmpp.stop(app)


def supervisors(count):
    """``count`` supervisors of TEAM, plus the agent whose state changes (first in the list)."""
    agent = {
        "id": "1001",
        "password": "demo1001",
        "firstName": "Ana",
        "lastName": "Horvat",
        "extension": "3001",
        "teamId": TEAM,
    }
    return [agent] + [
        {
            "id": str(7000 + i),
            "password": f"demo{7000 + i}",
            "firstName": "Sup",
            "lastName": str(i),
            "extension": str(8000 + i),
            "teamId": TEAM,
            "roles": ["Agent", "Supervisor"],
            "supervisedTeams": [TEAM],
        }
        for i in range(count)
    ]


class XmppReader:
    """One supervisor's XMPP session; forwards the receipt time of each team update to ``arrivals``."""

    def __init__(self, info, credentials, arrivals):
        self.client = AgentXmppClient(
            info["host"], info["c2sPort"], f"{credentials[0]}@{info['domain']}", credentials[1]
        ).start()
        self.arrivals = arrivals
        threading.Thread(target=self._forward, daemon=True).start()

    def _forward(self):
        while True:
            notification = self.client.notifications.get()
            if notification is None:
                return
            if notification.node.startswith("/finesse/api/Team/"):
                self.arrivals.put(notification.received)


def measure_fan_out(count, rounds, folder):
    """Per round, ms from the state change to the last of ``count`` XMPP supervisors receiving the team update."""
    thread, app = start_finesse("xmpp", folder, {"AGENTS": supervisors(count)})
    arrivals = queue.SimpleQueue()
    readers = []
    try:
        info = mock_control(thread.url, "GET", "/xmpp").json()
        for agent in supervisors(count)[1:]:
            readers.append(XmppReader(info, (agent["id"], agent["password"]), arrivals))
        session = requests.Session()
        session.auth = ("1001", "demo1001")
        user_url = thread.url + "/finesse/api/User/1001"
        session.put(user_url, data="<User><state>LOGIN</state><extension>3001</extension></User>", timeout=10)
        _collect(arrivals, count, timeout=10)
        results = []
        for i in range(rounds):
            state = "READY" if i % 2 == 0 else "NOT_READY"
            started = time.monotonic()
            session.put(user_url, data=f"<User><state>{state}</state></User>", timeout=10).raise_for_status()
            results.append((max(_collect(arrivals, count, timeout=10)) - started) * 1000)
        return results
    finally:
        for reader in readers:
            reader.client.stop()
            reader.client.notifications.put(None)
        thread.stop()
        xmpp.stop(app)


def _collect(arrivals, count, timeout):
    """``count`` receipt times from ``arrivals`` (AssertionError when some never come)."""
    deadline = time.monotonic() + timeout
    times = []
    while len(times) < count:
        try:
            times.append(arrivals.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            raise AssertionError(f"only {len(times)} of {count} supervisors got the update") from None
    return times


def main():
    """Print both measurements for every transport, and whether the XMPP p95 target holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=100, help="offered calls per transport (default 100)")
    parser.add_argument("--rounds", type=int, default=30, help="fan-out rounds per transport (default 30)")
    parser.add_argument("--agents", type=int, default=50, help="connected supervisors in the fan-out (default 50)")
    parser.add_argument("--transports", default="xmpp,sse", help="comma-separated: xmpp, sse (default both)")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request log lines in the measurement
    transports = [t.strip() for t in args.transports.split(",") if t.strip()]
    if "xmpp" in transports and xmpp.find_prosody() is None:
        print("bench_notifications: Prosody is not installed (apt-get install prosody); measuring SSE only")
        transports = [t for t in transports if t != "xmpp"]
    for transport in transports:
        with tempfile.TemporaryDirectory(prefix="bench-xmpp-") as folder:
            latencies = measure_offers(transport, args.calls, folder)
        p95 = percentile(latencies, 0.95)
        verdict = (
            f" (target p95 ≤ {TARGET_P95_MS} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'})"
            if transport == "xmpp"
            else ""
        )
        print(
            f"[{transport}] offer → onCollectionAdd over {len(latencies)} calls: {summary(latencies)}{verdict}",
            flush=True,
        )
        if transport != "xmpp":
            continue
        with tempfile.TemporaryDirectory(prefix="bench-xmpp-") as folder:
            fan_out = measure_fan_out(args.agents, args.rounds, folder)
        print(
            f"[{transport}] fan-out of a team update to {args.agents} connected supervisors, last one in, "
            f"{len(fan_out)} rounds: {summary(fan_out)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
