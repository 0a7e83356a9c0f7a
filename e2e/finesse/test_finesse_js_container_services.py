"""finesse.js ContainerServices/ClientServices/Utilities and the container's hub protocol, run inside a gadget."""
import pytest
from playwright.sync_api import expect

from e2e.fixtures import BrowserErrors, Desktop, set_team_layout


@pytest.fixture(scope="module")
def gadget(finesse_server, test_gadget_server, browser, browser_context_args):
    """One desktop for the whole module (these tests only read): the test gadget's Frame, fully started.

    ``gadget.errors`` collects the page's browser errors; ``watch_shared_page`` hands them to each test.
    """
    finesse_server.reset()
    set_team_layout(finesse_server, "10", {"home": [test_gadget_server.spec_url]})
    context = browser.new_context(**browser_context_args)
    errors = BrowserErrors()
    agent = Desktop(errors.watch(context.new_page()), finesse_server, "1001").sign_in()
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
    assert gadget.evaluate("""() => new Promise((resolve) => {
        gadgets.Hub.subscribe("sample.array", (topic, data) => resolve(data.items instanceof Array));
        parent.finesseContainer.publish("sample.array", {items: [1, 2]});
    })""") is True


def test_subscribe_node_request_is_answered_on_its_invoke_id(gadget):
    """SubscribeNodeReq gets a SubscribeNodeResp on finesse.info.responses.<invokeID>."""
    response = gadget.evaluate("""() => new Promise((resolve) => {
        gadgets.Hub.subscribe("finesse.info.responses.req-1", (topic, data) => resolve(data));
        gadgets.Hub.publish("finesse.info.requests",
                            {type: "SubscribeNodeReq", data: {node: "/finesse/api/Team/10/Users"}, invokeID: "req-1"});
    })""")
    assert response == {"invokeID": "req-1", "type": "SubscribeNodeResp", "success": True,
                        "data": {"node": "/finesse/api/Team/10/Users"}}


def test_client_services_reports_the_notification_connection(gadget):
    """ConnectionInfoReq → finesse.info.connection → ClientServices knows it is connected."""
    assert gadget.evaluate("() => finesse.clientservices.ClientServices.getNotificationConnectionState()") == \
        "connected"


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
    assert result["xml"] == "<Dialog><requestedAction>ANSWER</requestedAction><note>a&lt;b &amp; &quot;c&quot;</note></Dialog>"
    assert result["back"] == {"Dialog": {"requestedAction": "ANSWER", "note": 'a<b & "c"'}}
    assert result["list"] == {"Dialogs": {"Dialog": [{"id": "1"}, {"id": "2"}]}}




def test_client_logger_lines_reach_the_desktop(gadget):
    """ClientLogger.log publishes on finesse.clientLogging.<name>; the desktop keeps the lines."""
    gadget.evaluate("() => finesse.cslogger.ClientLogger.log('user loaded')")
    gadget.page.wait_for_function(
        "() => finesseContainer.clientLogs().some(l => l.gadget === 'TestGadget' && l.message === 'user loaded')")


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
