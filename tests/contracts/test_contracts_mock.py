"""The contract corpus against the mock cloud: every request Cisco's own clients send is accepted and answered
in the recorded shape (the corpus runs in CI with the rest of the suite)."""

import secrets

import pytest
import requests

from finesse_harness.registration_kit import access_token, admin_token
from gadget_plugin.connection import MachineAccount
from mock_controlhub import get_backend
from mock_controlhub.identity import machines, models as identity
from mock_controlhub.identity.registration import encode_connection_data

SCENARIOS = ["cs-utils data objects", "cs-utils dictionary", "machine account token flow", "platform"]


@pytest.fixture()
def cloud(controlhub):
    """A registered component with an authorized machine account; the variables and headers the corpus uses."""
    hub = get_backend(controlhub.app)
    org_id = identity.get_org(hub)["id"]
    reg = identity.register_component(hub, "finesse-a.example.com", "custom", "https://finesse-a.example.com/cb")
    account = MachineAccount(f"cs-utils-mocha-{secrets.token_hex(3)}", "eeFF12$" + secrets.token_hex(12))
    created = machines.create_machine_account(hub, org_id, {"name": account.name, "password": account.password})
    machines.authorize_for_context_service(
        hub, {"orgId": org_id, "userId": created["id"], "type": "machine", "workgroup": "lab"}
    )
    data = encode_connection_data(identity.connection_data(hub, reg))
    return {
        "url": controlhub.url,
        "auth": {
            "machine": {"Authorization": f"Bearer {access_token(controlhub.url, data, account, lab=True)}"},
            "admin": {"Authorization": f"Bearer {admin_token(controlhub.url, controlhub.app.config)}"},
        },
        "basic": (reg["lab_client_id"], reg["lab_client_secret"]),
        "variables": {
            "orgId": org_id,
            "clientId": reg["lab_client_id"],
            "clientSecret": reg["lab_client_secret"],
            "machineName": f"cs-utils-mocha-{secrets.token_hex(3)}",
            "machinePassword": "eeFF12$" + secrets.token_hex(12),
        },
    }


def send(cloud, scenario, request, auth):
    """Send one corpus request (placeholders filled in) to the mock cloud; returns the response."""
    headers = {**scenario.get("headers", {}), **cloud["auth"].get(auth, {})}
    return requests.request(
        request["method"],
        cloud["url"] + request["path"],
        params=request.get("query"),
        json=request.get("json"),
        data=request.get("form"),
        headers=headers,
        auth=cloud["basic"] if auth == "basic" else None,
        timeout=10,
    )


@pytest.mark.parametrize("name", SCENARIOS)
def test_cisco_clients_requests_are_accepted_and_answered_in_the_recorded_shape(cloud, contract, name):
    """Each step answers its recorded status; its answer conforms to the recorded one; captured values feed
    the next steps; searches find exactly the objects the scenario created."""
    scenario = contract.scenario(name)
    variables = dict(cloud["variables"])
    for step in scenario["steps"]:
        response = send(cloud, scenario, contract.substituted(step["request"], variables), step.get("auth"))
        label = f"{name} / {step['name']} ({step['source']})"
        assert response.status_code == step["status"], f"{label}: {response.status_code} {response.text[:300]}"
        assert response.headers.get("trackingid"), label
        body = response.json() if response.content else None
        if "answer" in step:
            contract.conforms(step["answer"], body, label)
        if "expect_ids" in step:
            assert [item["id"] for item in body] == contract.substituted(step["expect_ids"], variables), label
        for variable, path in step.get("capture", {}).items():
            variables[variable] = contract.captured(body, path)
