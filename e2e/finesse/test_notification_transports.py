"""The desktop's notification transports in a real browser: XMPP over BOSH at /http-bind (Prosody behind the mock,
reference finesse.md §4.1) whenever Prosody runs, and the Server-Sent Events fallback without it.

The XMPP tests skip when the kit's mock Finesse runs without Prosody (the harness and CI install it).
"""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.servers import ServerThread
from mock_finesse import create_app

# In the desktop page: every hub message on the agent's User and Dialogs topics, and every connection status.
RECORD_JS = """(agentId) => {
  window.seen = [];
  window.statuses = [];
  for (const topic of [`finesse.api.User.${agentId}`, `finesse.api.User.${agentId}.Dialogs`]) {
    finesseContainer.subscribe(topic, (t, message) => seen.push({topic: t, content: message.content}));
  }
  finesseContainer.subscribe(finesseContainer.TOPICS.CONNECTION, (t, info) => statuses.push(info.status));
}"""
# A dialog update in `seen` whose Dialog state is `state` (on the Dialogs topic).
SEEN_DIALOG_STATE_JS = """([agentId, state]) => seen.some((m) => m.topic === `finesse.api.User.${agentId}.Dialogs`
  && new DOMParser().parseFromString(m.content, "application/xml")
       .querySelector("dialog > state, Dialog > state")?.textContent === state)"""
SEEN_USER_STATE_JS = """([agentId, state]) => seen.some((m) => m.topic === `finesse.api.User.${agentId}`
  && new DOMParser().parseFromString(m.content, "application/xml").querySelector("user > state")?.textContent === state)"""
CONNECTION_LOST = ("Failed to load resource", "XMPP connection lost", "503")


def skip_without_xmpp(finesse):
    """Skip the test when the kit's mock Finesse runs without Prosody (Server-Sent Events only)."""
    if finesse.app.config["NOTIFICATION_TRANSPORT"] != "xmpp":
        pytest.skip(
            "the kit's mock Finesse runs without Prosody: " + finesse.app.config["NOTIFICATION_TRANSPORT_REASON"]
        )


@pytest.fixture()
def xmpp_desktop(desktop, finesse):
    """1001's desktop over XMPP, recording its hub traffic (skips when the kit runs without Prosody)."""
    skip_without_xmpp(finesse)
    agent = desktop("1001")
    agent.page.evaluate(RECORD_JS, "1001")
    return agent


def streams_of(agent):
    """How many Server-Sent Events streams the agent has open (the control API says)."""
    state = agent.control("GET", "/state")
    return next(a for a in state["agents"] if a["id"] == agent.agent_id)["notificationStreams"]


def test_desktop_receives_state_change_and_alerting_active_dropped_over_bosh(xmpp_desktop):
    page = xmpp_desktop.page
    expect(page.locator("body")).to_have_attribute("data-transport", "xmpp")
    assert streams_of(xmpp_desktop) == 0  # nothing arrives over Server-Sent Events

    xmpp_desktop.rest("PUT", "/User/1001", "<User><state>READY</state></User>")
    page.wait_for_function(SEEN_USER_STATE_JS, arg=["1001", "READY"])
    expect(page.locator("#voice-state-button")).to_have_attribute("data-state", "READY")

    call = xmpp_desktop.offer_call("+385911234567")
    page.wait_for_function(SEEN_DIALOG_STATE_JS, arg=["1001", "ALERTING"])
    item = page.locator(f"#dialog_{call['id']}")
    item.get_by_role("button", name="Answer").click()
    page.wait_for_function(SEEN_DIALOG_STATE_JS, arg=["1001", "ACTIVE"])
    expect(item).to_have_attribute("data-state", "ACTIVE")
    xmpp_desktop.dialog_action(call["id"], "CALLER_HANGUP")
    page.wait_for_function(SEEN_DIALOG_STATE_JS, arg=["1001", "DROPPED"])


@pytest.mark.allow_console_errors(*CONNECTION_LOST)
def test_connection_state_follows_the_xmpp_server_stopped_and_restarted_mid_call(xmpp_desktop):
    page = xmpp_desktop.page
    call = xmpp_desktop.offer_call("+385911234567")
    item = page.locator(f"#dialog_{call['id']}")
    item.get_by_role("button", name="Answer").click()
    expect(item).to_have_attribute("data-state", "ACTIVE")

    xmpp_desktop.control("POST", "/xmpp/stop")
    page.wait_for_function("() => finesseContainer.connection().status !== 'connected'")
    expect(page.locator("#connection-banner")).to_be_visible()
    xmpp_desktop.dialog_action(call["id"], "CALLER_HANGUP")  # lost with the server: the resync must find it

    xmpp_desktop.control("POST", "/xmpp/start")
    page.wait_for_function("() => finesseContainer.connection().status === 'connected'", timeout=15000)
    expect(page.locator("#connection-banner")).to_be_hidden()
    expect(item).to_have_attribute("data-state", "WRAP_UP")
    statuses = page.evaluate("() => statuses")
    assert statuses[:1] == ["disconnected"] and "reconnecting" in statuses and statuses[-1] == "connected"

    second = xmpp_desktop.offer_call("+385917654321")  # updates flow again on the new session
    expect(page.locator(f"#dialog_{second['id']}")).to_have_attribute("data-state", "ALERTING")


@pytest.mark.allow_console_errors(*CONNECTION_LOST)
def test_gadgets_start_and_the_desktop_shows_not_connected_when_bosh_never_answers_within_the_bound(
    desktop, finesse, test_gadget_server, page, monkeypatch
):
    """/http-bind held for ever at sign-in: after XMPP_CONNECT_TIMEOUT the try has failed, the desktop shows its
    not-connected banner and the waiting gadgets start; once BOSH answers again it connects and notifications flow.
    Before, the session request had no timeout: the desktop stayed "connecting" and no gadget ever started."""
    skip_without_xmpp(finesse)
    bound = 2
    monkeypatch.setitem(finesse.app.config, "XMPP_CONNECT_TIMEOUT", bound)
    hung = []  # the /http-bind requests held unanswered; None once BOSH answers again
    page.route("**/http-bind*", lambda route: route.continue_() if hung is None else hung.append(route))
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    monkeypatch.setattr(Desktop, "wait_connected", lambda self: self)  # signed in, notifications not up
    agent = desktop("1001")
    gadget = agent.gadget_window(test_gadget_server.spec_url)
    # Within the bound (and a margin for a loaded machine), never the 45 s the reviewer waited in vain.
    gadget.wait_for_function("() => !!window.gadgets && gadgets.Hub.isConnected()", timeout=(bound + 5) * 1000)
    hub_connection = agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")
    expect(hub_connection).to_have_text("")  # the gadget runs; finesse.js has heard of no connection yet
    expect(page.locator("#connection-banner")).to_be_visible()
    assert page.evaluate("() => finesseContainer.connection().status") in ("disconnected", "reconnecting")
    assert hung, "the desktop never asked /http-bind"

    hung = None  # BOSH answers again: the desktop's next try connects
    page.wait_for_function("() => finesseContainer.connection().status === 'connected'", timeout=(bound + 10) * 1000)
    expect(page.locator("#connection-banner")).to_be_hidden()
    expect(hub_connection).to_have_text("connected")
    call = agent.offer_call("+385911234567")  # only a notification brings it
    expect(page.locator(f"#dialog_{call['id']}")).to_have_attribute("data-state", "ALERTING")


def test_gadget_subscribe_node_request_is_a_real_pubsub_subscription(xmpp_desktop, finesse, test_gadget_server):
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    xmpp_desktop.reload()
    gadget = xmpp_desktop.gadget_window(test_gadget_server.spec_url)
    expect(xmpp_desktop.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    answer = gadget.evaluate("""() => new Promise((resolve) => {
        window.teamUpdates = [];
        gadgets.Hub.subscribe("finesse.api.Team.20.Users", (topic, message) => teamUpdates.push(message.content));
        gadgets.Hub.subscribe("finesse.info.responses.sub-1", (topic, message) => resolve(message));
        gadgets.Hub.publish("finesse.info.requests",
                            {type: "SubscribeNodeReq", data: {node: "/finesse/api/Team/20/Users"}, invokeID: "sub-1"});
    })""")
    assert not (answer or {}).get("error")

    # 1001 supervises nobody: only the subscription the gadget asked for brings team 20's users.
    Desktop(xmpp_desktop.page, finesse, "1003").rest(
        "PUT", "/User/1003", "<User><state>LOGIN</state><extension>3003</extension></User>"
    )
    gadget.wait_for_function("() => teamUpdates.some((u) => u.includes('<loginId>1003</loginId>'))")


@pytest.fixture(scope="module")
def sse_finesse(tmp_path_factory):
    """A mock Finesse without XMPP (the embedded default), on its own port."""
    app = create_app({"XMPP_SERVER": "off", "GADGET_FILES_DIR": str(tmp_path_factory.mktemp("gadgets"))})
    with ServerThread(app) as thread:
        yield type("Server", (), {"url": thread.url, "app": app})()


def test_without_xmpp_the_desktop_falls_back_to_server_sent_events(page, sse_finesse):
    agent = Desktop(page, sse_finesse, "1001").open_signed_in()
    expect(page.locator("body")).to_have_attribute("data-transport", "sse")
    assert sse_finesse.app.config["NOTIFICATION_TRANSPORT"] == "sse"
    call = agent.offer_call("+385911234567")
    expect(page.locator(f"#dialog_{call['id']}")).to_have_attribute("data-state", "ALERTING")
    assert streams_of(agent) == 1


WEBSOCKET_OPEN_JS = """(url) => new Promise((resolve, reject) => {
  const socket = new WebSocket(url, "xmpp");
  const frames = [];
  socket.onopen = () => socket.send(
    "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='finesse.mock.local' version='1.0'/>");
  socket.onmessage = (event) => {
    frames.push(event.data);
    if (event.data.includes("mechanisms")) { socket.close(); resolve(frames); }
  };
  socket.onerror = () => reject(new Error("WebSocket error"));
})"""


def test_websocket_at_the_documented_port_speaks_xmpp_framing(page, finesse):
    if finesse.app.config["NOTIFICATION_TRANSPORT"] != "xmpp":
        pytest.skip("the kit's mock Finesse runs without Prosody")
    info = Desktop(page, finesse, "1001").control("GET", "/xmpp")
    frames = page.evaluate(WEBSOCKET_OPEN_JS, info["websocketUrl"])
    assert frames[0].startswith("<open") and "urn:ietf:params:xml:ns:xmpp-framing" in frames[0]
    assert "<mechanism>PLAIN</mechanism>" in "".join(frames)
