"""START_RECORDING: offered on an ACTIVE call when the mock is configured as UCCX (Cisco's CallRecording sample,
CiscoDevNet/finesse-sample-code; reference finesse.md §2.4 lists the action), never on UCCE."""

import base64

import pytest
from lxml import etree

from mock_finesse import create_app

AUTH = {"Authorization": "Basic " + base64.b64encode(b"1001:demo1001").decode(), "Content-Type": "application/xml"}
CONTROL = {"X-Mock-Control": "1"}  # the control API's header (mock_core.web)


def active_call(deployment_type):
    """A test client of a mock configured as ``deployment_type`` and the id of agent 1001's answered call."""
    client = create_app({"DEPLOYMENT_TYPE": deployment_type}).test_client()
    client.put("/_mock/agents/1001/state", json={"state": "LOGIN"}, headers=CONTROL)
    client.put("/_mock/agents/1001/state", json={"state": "READY"}, headers=CONTROL)
    dialog_id = client.post(
        "/_mock/calls", json={"agentId": "1001", "fromAddress": "+385911112222"}, headers=CONTROL
    ).json["id"]
    answer = client.put(f"/finesse/api/Dialog/{dialog_id}", headers=AUTH, data=dialog_action("ANSWER"))
    assert answer.status_code == 202, answer.data
    return client, dialog_id


def dialog_action(action):
    return f"<Dialog><targetMediaAddress>3001</targetMediaAddress><requestedAction>{action}</requestedAction></Dialog>"


def agent_actions(client, dialog_id):
    root = etree.fromstring(client.get(f"/finesse/api/Dialog/{dialog_id}", headers=AUTH).data)
    participant = next(p for p in root.iterfind("participants/Participant") if p.findtext("mediaAddress") == "3001")
    return [a.text for a in participant.iterfind("actions/action")]


def test_uccx_offers_start_recording_on_an_active_call_until_it_is_recording():
    """UCCX: START_RECORDING among the ACTIVE call's actions; once taken (202) it is offered no more."""
    client, dialog_id = active_call("UCCX")
    assert "START_RECORDING" in agent_actions(client, dialog_id)
    assert (
        client.put(f"/finesse/api/Dialog/{dialog_id}", headers=AUTH, data=dialog_action("START_RECORDING")).status_code
        == 202
    )
    assert "START_RECORDING" not in agent_actions(client, dialog_id)


@pytest.mark.parametrize("deployment_type", ["UCCE", "PCCE"])
def test_other_deployments_neither_offer_nor_allow_start_recording(deployment_type):
    """Not UCCX: the action is absent and requesting it is refused naming requestedAction."""
    client, dialog_id = active_call(deployment_type)
    assert "START_RECORDING" not in agent_actions(client, dialog_id)
    refused = client.put(f"/finesse/api/Dialog/{dialog_id}", headers=AUTH, data=dialog_action("START_RECORDING"))
    assert refused.status_code == 400 and b"requestedAction" in refused.data
