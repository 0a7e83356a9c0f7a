"""Notifications over real XMPP (Prosody): a standard client (slixmpp) signed in as an agent receives Finesse's
nodes and payloads (reference finesse.md §4.1–4.3; payload capture pokornyIt/finesse-api:XMPP/ready.xml).

Skipped when Prosody is not installed (the harness and CI install it).
"""

import pytest
import requests
from lxml import etree

from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread
from mock_finesse import create_app, xmpp
from mock_finesse.config import ConfigError
from mock_finesse.xmpp.prosody import find_prosody

pytestmark = pytest.mark.skipif(find_prosody() is None, reason="Prosody is not installed (apt-get install prosody)")
pytest.importorskip("slixmpp")

from finesse_harness.xmpp_client import AgentXmppClient  # noqa: E402 - needs slixmpp

AGENT, PASSWORD, EXTENSION = "1001", "demo1001", "3001"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A mock Finesse over real HTTP with its Prosody (folder in tmp)."""
    app = create_app({"XMPP_SERVER": "prosody", "XMPP_DIR": str(tmp_path_factory.mktemp("xmpp"))})
    thread = ServerThread(app).start()
    yield thread
    thread.stop()
    xmpp.stop(app)


@pytest.fixture()
def mock(server):
    """The server, reset (agents signed out, default subscriptions)."""
    mock_control(server.url, "POST", "/reset", timeout=10).raise_for_status()
    return server


def xmpp_info(server):
    """``GET /_mock/xmpp``: domain, pubsub service, ports."""
    response = mock_control(server.url, "GET", "/xmpp")
    response.raise_for_status()
    return response.json()


def xmpp_client(info, agent=AGENT, password=PASSWORD):
    """A client for ``agent`` on the mock's XMPP server (``info``: ``GET /_mock/xmpp``), not started yet."""
    return AgentXmppClient(info["host"], info["c2sPort"], f"{agent}@{info['domain']}", password)


@pytest.fixture()
def agent_client(mock):
    """1001 signed in to the mock's XMPP server over c2s, with presence (as Cisco's Python sample does)."""
    info = xmpp_info(mock)
    client = xmpp_client(info).start()
    yield client
    client.stop()


def rest(server, method, path, xml=None, agent=AGENT, password=PASSWORD):
    """A Finesse REST call as ``agent`` (1001)."""
    response = requests.request(
        method,
        server.url + "/finesse/api" + path,
        data=xml,
        auth=(agent, password),
        headers={"Content-Type": "application/xml"},
        timeout=10,
    )
    assert response.status_code < 300, response.text
    return response


def log_in(server, agent=AGENT, extension=EXTENSION):
    """The agent (demo password ``demo<id>``) logs in on ``extension``: a PUT of its User with state LOGIN."""
    xml = f"<User><state>LOGIN</state><extension>{extension}</extension></User>"
    return rest(server, "PUT", f"/User/{agent}", xml, agent=agent, password=f"demo{agent}")


def control(server, path, body):
    """A control API call (``/_mock/…``)."""
    response = mock_control(server.url, "POST", path, json=body)
    assert response.ok, response.text
    return response.json()


def parsed(notification):
    """The ``<Update>`` element of a notification."""
    return etree.fromstring(notification.update.encode())


def dialog_state(update):
    """The ``<state>`` of the Dialog in a dialog update (``<dialog>`` or ``<dialogs><Dialog>``)."""
    return update.findtext("data/dialog/state") or update.findtext("data/dialogs/Dialog/state")


def test_agent_receives_own_state_change_on_user_node_with_finesse_payload(agent_client, mock):
    log_in(mock)
    rest(mock, "PUT", f"/User/{AGENT}", "<User><state>READY</state></User>")

    ready = agent_client.wait_for(
        lambda n: n.node == f"/finesse/api/User/{AGENT}" and parsed(n).findtext("data/user/state") == "READY"
    )

    update = parsed(ready)
    assert update.tag == "Update"
    assert update.findtext("event") == "PUT"
    assert update.findtext("source") == f"/finesse/api/User/{AGENT}"
    # The newer capture: the <Update> travels as escaped text in <notification xmlns="urn:xmpp:push:0">.
    stanza = etree.fromstring(ready.stanza.encode())
    assert stanza.get("from") == "pubsub.finesse.mock.local"
    assert stanza.get("to").startswith(f"{AGENT}@finesse.mock.local")
    notification = stanza.find(".//{http://jabber.org/protocol/pubsub#event}item/{urn:xmpp:push:0}notification")
    assert notification is not None and len(notification) == 0 and notification.text.startswith("<Update>")


def test_agent_receives_alerting_active_dropped_of_an_offered_call_on_dialogs_node(agent_client, mock):
    log_in(mock)
    dialogs_node = f"/finesse/api/User/{AGENT}/Dialogs"
    call = control(mock, "/calls", {"agentId": AGENT, "fromAddress": "+385911234567"})

    offered = parsed(agent_client.wait_for(lambda n: n.node == dialogs_node))
    assert (offered.findtext("event"), offered.findtext("source")) == ("POST", dialogs_node)
    assert offered.findtext("data/dialogs/Dialog/id") == call["id"]
    assert dialog_state(offered) == "ALERTING"

    rest(
        mock,
        "PUT",
        f"/Dialog/{call['id']}",
        f"<Dialog><targetMediaAddress>{EXTENSION}</targetMediaAddress>"
        "<requestedAction>ANSWER</requestedAction></Dialog>",
    )
    active = parsed(agent_client.wait_for(lambda n: n.node == dialogs_node))
    assert (active.findtext("event"), active.findtext("source")) == ("PUT", f"/finesse/api/Dialog/{call['id']}")
    assert dialog_state(active) == "ACTIVE"

    control(mock, f"/dialogs/{call['id']}/actions", {"action": "CALLER_HANGUP"})
    dropped = parsed(agent_client.wait_for(lambda n: n.node == dialogs_node and dialog_state(parsed(n)) == "DROPPED"))
    assert (dropped.findtext("data/dialogs/Dialog/id") or dropped.findtext("data/dialog/id")) == call["id"]


def test_agent_is_not_subscribed_to_another_agents_nodes(agent_client, mock):
    log_in(mock, "1002", "3002")
    log_in(mock)

    own = agent_client.wait_for(lambda n: n.node.startswith("/finesse/api/User/"))
    assert own.node == f"/finesse/api/User/{AGENT}"


def test_supervisor_receives_team_users_node_of_supervised_team(mock):
    info = xmpp_info(mock)
    supervisor = xmpp_client(info, "2001", "demo2001").start()
    try:
        log_in(mock)
        team = supervisor.wait_for(lambda n: n.node == "/finesse/api/Team/10/Users")
        assert parsed(team).findtext("source") == f"/finesse/api/User/{AGENT}"
    finally:
        supervisor.stop()


def test_subscription_made_by_a_client_is_real_and_gone_after_reset(agent_client, mock):
    info = xmpp_info(mock)
    agent_client.subscribe(info["pubsub"], "/finesse/api/Team/20/Users")
    log_in(mock, "1003", "3003")
    assert agent_client.wait_for(lambda n: n.node == "/finesse/api/Team/20/Users")

    mock_control(mock.url, "POST", "/reset", timeout=10).raise_for_status()
    log_in(mock, "1003", "3003")
    log_in(mock)
    after = agent_client.wait_for(lambda n: n.node.startswith("/finesse/api/"))
    assert after.node == f"/finesse/api/User/{AGENT}"


def test_wrong_password_is_refused_by_the_xmpp_server(mock):
    info = xmpp_info(mock)
    with pytest.raises(AssertionError, match="did not get online"):
        xmpp_client(info, password="wrong").start(timeout=3)


def test_required_xmpp_without_prosody_fails_fast_naming_the_setting(tmp_path):
    with pytest.raises(ConfigError, match="XMPP_SERVER"):
        create_app({"XMPP_SERVER": "prosody", "PROSODY_PATH": str(tmp_path / "no-prosody")})


def test_auto_without_prosody_keeps_server_sent_events_and_says_why(tmp_path):
    app = create_app({"XMPP_SERVER": "auto", "PROSODY_PATH": str(tmp_path / "no-prosody")})
    assert app.config["NOTIFICATION_TRANSPORT"] == "sse"
    assert "not installed" in app.config["NOTIFICATION_TRANSPORT_REASON"]


def test_system_info_names_the_xmpp_port_clients_connect_to(mock):
    info = etree.fromstring(requests.get(mock.url + "/finesse/api/SystemInfo", timeout=5).content)
    assert info.findtext("xmppDomain") == "finesse.mock.local"
    assert info.findtext("xmppPubSubDomain") == "pubsub.finesse.mock.local"
    assert info.findtext("primaryNode/xmppPort") == str(xmpp_info(mock)["c2sPort"])


def test_bosh_at_finesse_path_on_the_mock_port_reaches_prosody(mock):
    body = (
        "<body rid='1000' to='finesse.mock.local' wait='5' hold='1' ver='1.6' xml:lang='en' "
        "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'/>"
    )
    response = requests.post(mock.url + "/http-bind", data=body, headers={"Content-Type": "text/xml"}, timeout=10)
    answer = etree.fromstring(response.content)
    assert response.status_code == 200 and answer.get("sid")
    mechanisms = answer.findall(".//{urn:ietf:params:xml:ns:xmpp-sasl}mechanism")
    assert "PLAIN" in [m.text for m in mechanisms]


def test_banner_says_which_transport_runs_and_where_to_connect(server):
    lines = "\n".join(xmpp.banner_lines(server.app, server.url))
    assert "XMPP (Prosody)" in lines and f"c2s 127.0.0.1:{server.app.config['XMPP_C2S_PORT']}" in lines
    assert f"BOSH {server.url}/http-bind" in lines


def test_xmpp_server_stops_with_the_mock_leaving_no_process(tmp_path):
    app = create_app({"XMPP_SERVER": "prosody", "XMPP_DIR": str(tmp_path)})
    process = xmpp.service_of(app).prosody._process
    assert process.poll() is None
    xmpp.stop(app)
    assert process.poll() is not None


def test_reset_brings_a_stopped_xmpp_server_back_with_default_subscriptions(mock):
    mock_control(mock.url, "POST", "/xmpp/stop", timeout=10).raise_for_status()
    assert xmpp_info(mock)["running"] is False
    mock_control(mock.url, "POST", "/reset", timeout=30).raise_for_status()
    info = xmpp_info(mock)
    assert info["running"] is True
    client = xmpp_client(info).start()
    try:
        log_in(mock)
        assert client.wait_for(lambda n: n.node == f"/finesse/api/User/{AGENT}")
    finally:
        client.stop()


def test_bosh_while_the_xmpp_server_is_stopped_is_refused_with_503_naming_it(mock):
    mock_control(mock.url, "POST", "/xmpp/stop", timeout=10).raise_for_status()
    try:
        response = requests.post(mock.url + "/http-bind", data="<body rid='1'/>", timeout=10)
        assert response.status_code == 503
        assert etree.fromstring(response.content).findtext("ApiError/ErrorData") == "http-bind"
    finally:
        mock_control(mock.url, "POST", "/xmpp/start", timeout=30)


def test_xmpp_control_calls_without_the_control_header_are_refused(mock):
    response = requests.post(mock.url + "/_mock/xmpp/stop", timeout=10)
    assert response.status_code == 403
    assert xmpp_info(mock)["running"] is True
