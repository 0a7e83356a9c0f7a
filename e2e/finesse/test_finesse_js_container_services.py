"""finesse.js ContainerServices/ClientServices/Utilities and the container's hub protocol, run inside a gadget."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import BrowserErrors, Desktop, set_team_layout


@pytest.fixture(scope="module")
def gadget(finesse_server, test_gadget_server, browser, browser_context_args):
    """One desktop for the whole module (these tests only read): the test gadget's Frame, fully started.

    ``gadget.errors`` collects the page's browser errors; ``watch_shared_page`` hands them to each test.
    """
    finesse_server.reset()
    set_team_layout(finesse_server, "10", {"home": [test_gadget_server.spec_url]})
    context = browser.new_context(**browser_context_args)
    errors = BrowserErrors()
    agent = Desktop(errors.watch(context.new_page()), finesse_server, "1001").open_signed_in()
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    frame = agent.gadget_window(test_gadget_server.spec_url)
    frame.errors = errors
    yield frame
    context.close()


@pytest.fixture(autouse=True)
def watch_shared_page(request, gadget):
    """Fail each test on browser errors of the shared page raised during that test."""
    gadget.errors.errors.clear()
    request.node.browser_errors = gadget.errors


def test_hub_delivers_wildcard_topics_between_subscribers(gadget):
    """`*` matches one token, `**` the rest; unsubscribed callbacks stop receiving."""
    received = gadget.evaluate("""() => new Promise((resolve) => {
        const got = [];
        const one = gadgets.Hub.subscribe("sample.*.info", (topic, data) => got.push("one:" + topic + ":" + data.n));
        gadgets.Hub.subscribe("sample.**", (topic, data) => got.push("all:" + topic + ":" + data.n));
        gadgets.Hub.publish("sample.a.info", {n: 1});
        gadgets.Hub.publish("sample.a.b.info", {n: 2});
        setTimeout(() => {
            gadgets.Hub.unsubscribe(one);
            gadgets.Hub.publish("sample.c.info", {n: 3});
            setTimeout(() => resolve(got.sort()), 50);
        }, 50);
    })""")
    assert received == ["all:sample.a.b.info:2", "all:sample.a.info:1", "all:sample.c.info:3", "one:sample.a.info:1"]


def test_hub_data_arrives_as_the_gadgets_own_objects(gadget):
    """Payloads are copied into the gadget's realm, so `instanceof Array` holds for published arrays."""
    assert (
        gadget.evaluate("""() => new Promise((resolve) => {
        gadgets.Hub.subscribe("sample.array", (topic, data) => resolve(data.items instanceof Array));
        parent.finesseContainer.publish("sample.array", {items: [1, 2]});
    })""")
        is True
    )


# Every request a gadget can publish, on the topic Cisco's library uses for it, and what the desktop answers
# (reference finesse.md §2.6 and Cisco's finesse-10.5.1.js MasterPublisher / ClientServices): `undefined` on a
# node request's response topic is success, `{error}` failure; the tab requests answer on the activeTab topic.
ASK = """([requestTopic, request, replyTopic]) => new Promise((resolve) => {
    const id = gadgets.Hub.subscribe(replyTopic, (topic, data) => {
        gadgets.Hub.unsubscribe(id);
        resolve({topic, isUndefined: data === undefined, data: data === undefined ? null : data});
    });
    gadgets.Hub.publish(requestTopic, request);
    setTimeout(() => resolve({topic: null}), 3000);
})"""


@pytest.mark.parametrize("request_type", ["SubscribeNodeReq", "UnsubscribeNodeReq"])
def test_node_requests_succeed_with_undefined_on_their_invoke_id(gadget, request_type):
    """A Subscribe/UnsubscribeNodeReq for a Finesse node is answered `undefined` on finesse.info.responses.<id>
    (an object there reads as an error to Cisco's library)."""
    reply = gadget.evaluate(
        ASK,
        [
            "finesse.info.requests",
            {"type": request_type, "invokeID": "ok-" + request_type, "data": {"node": "/finesse/api/Team/10/Users"}},
            "finesse.info.responses.ok-" + request_type,
        ],
    )
    assert reply == {"topic": "finesse.info.responses.ok-" + request_type, "isUndefined": True, "data": None}


def test_node_request_without_a_finesse_node_fails_with_an_error_object(gadget):
    """A SubscribeNodeReq whose node is not a Finesse REST URI is answered `{error: {…}}`."""
    reply = gadget.evaluate(
        ASK,
        [
            "finesse.info.requests",
            {"type": "SubscribeNodeReq", "invokeID": "bad-1", "data": {"node": "not-a-node"}},
            "finesse.info.responses.bad-1",
        ],
    )
    assert reply["isUndefined"] is False and set(reply["data"]) == {"error"}
    assert reply["data"]["error"]["errorData"] == "not-a-node"


def test_connection_info_request_is_answered_on_the_connection_topic(gadget):
    """ConnectionInfoReq → `{status, resourceID}` on finesse.info.connection."""
    reply = gadget.evaluate(
        ASK,
        ["finesse.info.requests", {"type": "ConnectionInfoReq", "data": {}, "invokeID": 7}, "finesse.info.connection"],
    )
    assert reply["data"] == {"status": "connected", "resourceID": "desktop"}


@pytest.mark.parametrize("topic", ["finesse.containerservices.requests", "finesse.info.requests"])
def test_active_tab_request_is_answered_with_the_tab_id_on_either_request_topic(gadget, topic):
    """ActiveTabReq (Cisco's ContainerServices sends it on finesse.containerservices.requests) → the active
    tab's id on finesse.containerservices.activeTab."""
    reply = gadget.evaluate(
        ASK, [topic, {"type": "ActiveTabReq", "data": {}, "invokeID": 8}, "finesse.containerservices.activeTab"]
    )
    assert reply == {"topic": "finesse.containerservices.activeTab", "isUndefined": False, "data": "home"}


def test_set_active_tab_request_on_the_container_topic_switches_the_tab(gadget):
    """SetActiveTabReq {id} on finesse.containerservices.requests shows that tab and publishes its id."""
    reply = gadget.evaluate(
        ASK,
        [
            "finesse.containerservices.requests",
            {"type": "SetActiveTabReq", "data": {"id": "home"}, "invokeID": 9},
            "finesse.containerservices.activeTab",
        ],
    )
    assert reply["data"] == "home"
    assert gadget.page.evaluate("() => finesse.container.Tabs.getActiveTab()") == "home"


def test_the_desktop_exposes_finesse_container_to_gadgets_through_parent(gadget):
    """Cisco's ContainerServices.init() reads parent.finesse.container.Container (showDialog, hideDialog,
    modifyGadgetUrl, reloadGadget); MasterPublisher uses Tabs (getActiveTab, activateTab); Config is there."""
    shape = gadget.evaluate("""() => {
        const c = parent.finesse.container;
        return {container: ["showDialog", "hideDialog", "modifyGadgetUrl", "reloadGadget"]
                    .filter(m => typeof c.Container[m] === "function"),
                tabs: ["getActiveTab", "activateTab"].filter(m => typeof c.Tabs[m] === "function"),
                config: [c.Config.id, c.Config.extension, c.Config.restHost, "authorization" in c.Config]};
    }""")
    assert shape == {
        "container": ["showDialog", "hideDialog", "modifyGadgetUrl", "reloadGadget"],
        "tabs": ["getActiveTab", "activateTab"],
        "config": ["1001", "3001", "127.0.0.1", False],
    }


def test_show_dialog_through_parent_shows_the_message_in_the_desktop(gadget):
    """parent.finesse.container.Container.showDialog({title, message}) opens a modal with that text (escaped);
    hideDialog closes it and runs options.close."""
    gadget.evaluate("""() => { window.dialogClosed = false; parent.finesse.container.Container.showDialog(
        {title: "Heads up", message: "<b>Caller</b> waits", close: () => { window.dialogClosed = true; }}); }""")
    dialog = gadget.page.locator("#finesse-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#finesse-dialog-message")).to_have_text("<b>Caller</b> waits")
    gadget.evaluate("() => parent.finesse.container.Container.hideDialog()")
    expect(dialog).to_be_hidden()
    gadget.wait_for_function("() => window.dialogClosed === true")


def test_client_services_reports_the_notification_connection(gadget):
    """ConnectionInfoReq → finesse.info.connection → ClientServices knows it is connected."""
    assert (
        gadget.evaluate("() => finesse.clientservices.ClientServices.getNotificationConnectionState()") == "connected"
    )


def test_container_services_know_their_gadget_and_tab(gadget):
    """getMyGadgetId is the mid, getMyTabId the tab panel around the iframe."""
    assert gadget.evaluate("""() => {
        const cs = finesse.containerservices.ContainerServices;
        return [cs.getMyGadgetId(), cs.getMyTabId(), cs.isTabbedGadget(), cs.tabVisible()];
    }""") == ["1", "home", True, True]


def test_utilities_encode_auth_and_convert_xml(gadget):
    """b64 round-trips UTF-8, the auth header is Basic <authorization>, json2xml/xml2JsObj mirror each other."""
    result = gadget.evaluate("""() => {
        const u = finesse.utilities.Utilities;
        const xml = u.json2xml({Dialog: {requestedAction: "ANSWER", note: "a<b & \\"c\\""}});
        return {
            b64: u.b64Decode(u.b64Encode("Kovač:šifra")),
            auth: u.getAuthHeaderString(finesse.gadget.Config),
            xml: xml,
            back: u.xml2JsObj(xml),
            list: u.xml2JsObj("<Dialogs><Dialog><id>1</id></Dialog><Dialog><id>2</id></Dialog></Dialogs>"),
        };
    }""")
    assert result["b64"] == "Kovač:šifra"
    assert result["auth"] == "Basic MTAwMTpkZW1vMTAwMQ=="
    assert (
        result["xml"]
        == "<Dialog><requestedAction>ANSWER</requestedAction><note>a&lt;b &amp; &quot;c&quot;</note></Dialog>"
    )
    assert result["back"] == {"Dialog": {"requestedAction": "ANSWER", "note": 'a<b & "c"'}}
    assert result["list"] == {"Dialogs": {"Dialog": [{"id": "1"}, {"id": "2"}]}}


def test_client_logger_lines_reach_the_desktop(gadget):
    """ClientLogger.log publishes on finesse.clientLogging.<name>; the desktop keeps the lines."""
    gadget.evaluate("() => finesse.cslogger.ClientLogger.log('user loaded')")
    gadget.page.wait_for_function(
        "() => finesseContainer.clientLogs().some(l => l.gadget === 'TestGadget' && l.message === 'user loaded')"
    )


def test_user_lists_load_reason_codes_and_wrap_up_reasons(gadget):
    """getNotReadyReasonCodes and getWrapUpReasons load the agent's lists over REST."""
    lists = gadget.evaluate("""() => new Promise((resolve, reject) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.getNotReadyReasonCodes({error: reject, success: (codes) =>
                user.getWrapUpReasons({onError: reject, onLoad: (reasons) => resolve({
                    codes: codes.map((c) => c.label),
                    reasons: Object.values(reasons.getCollection()).map((r) => r.label)})})})});
    })""")
    assert lists["codes"] == ["Break", "Lunch", "Team Meeting", "Training"]
    assert lists["reasons"] == ["Sales Call", "Support Request", "Billing Question", "Wrong Number"]
