"""finesse.js ContainerServices/ClientServices/Utilities and the container's hub protocol, run inside a gadget."""
import pytest
from playwright.sync_api import expect

from e2e.fixtures import set_team_layout


@pytest.fixture()
def gadget(desktop, finesse, test_gadget_server):
    """The test gadget's frame (a Playwright Frame, for evaluate) on agent 1001's desktop, fully started."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    locator = agent.gadget_frame(test_gadget_server.spec_url)
    expect(locator.locator("#hub-connection")).to_have_text("connected")
    frame = agent.gadget_window(test_gadget_server.spec_url)
    frame.agent = agent
    return frame


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


def test_reload_my_gadget_loads_the_frame_again(gadget):
    """ReloadGadgetReq reloads the gadget's iframe (a fresh document, started again)."""
    gadget.evaluate("() => { window.beforeReload = true; finesse.containerservices.ContainerServices.reloadMyGadget(); }")
    gadget.wait_for_function("() => window.beforeReload === undefined && window.testGadget !== undefined")
    expect(gadget.locator("#agent-name")).to_have_text("Ana Horvat")


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


def test_user_set_state_puts_the_state_and_the_change_follows(gadget):
    """User.setState sends PUT over makeRequest (202); the User PUT notification runs onChange."""
    gadget.evaluate("""() => new Promise((resolve, reject) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.setState(finesse.restservices.User.States.READY, null, {success: resolve, error: reject})});
    })""")
    expect(gadget.locator("#agent-state")).to_have_text("READY")


def test_rest_errors_reach_the_error_handler_with_the_api_error(gadget):
    """A refused PUT calls handlers.error with the status and the parsed <ApiErrors>."""
    error = gadget.evaluate("""() => new Promise((resolve) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.setState("TALKING", null, {success: () => resolve(null), error: resolve})});
    })""")
    assert error["status"] == 400
    assert error["object"]["ApiErrors"]["ApiError"]["ErrorType"]


def test_client_logger_lines_reach_the_desktop(gadget):
    """ClientLogger.log publishes on finesse.clientLogging.<name>; the desktop keeps the lines."""
    gadget.evaluate("() => finesse.cslogger.ClientLogger.log('user loaded')")
    gadget.page.wait_for_function(
        "() => finesseContainer.clientLogs().some(l => l.gadget === 'TestGadget' && l.message === 'user loaded')")
