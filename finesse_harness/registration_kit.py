"""Registering a gadget server with the mock cloud the way an admin would, for tests, the demo and benches.

The mock cloud offers only the machine-account token flow (reference §2.9), so a registration is two steps:
Control Hub's consent pages hand over the connection data, then an org admin's token sets up the machine
account the proxy authenticates as. The admin token comes from the mock's ``password`` grant, which stands
in for the admin's browser sign-in (Cisco's is an authorization-code flow [CSU lib/org.js]).
"""

import os
from collections.abc import Mapping
from typing import Any

import requests

from gadget_plugin import connection, registration

TOKEN_PATH = "/idb/oauth2/v1/access_token"


def admin_token(hub_url: str, hub_config: Mapping[str, Any]) -> str:
    """A fresh access token of the mock cloud's org admin."""
    answer = requests.post(
        hub_url + TOKEN_PATH,
        timeout=10,
        data={
            "grant_type": "password",
            "username": hub_config["ADMIN_EMAIL"],
            "password": hub_config["ADMIN_PASSWORD"],
        },
    )
    answer.raise_for_status()
    return answer.json()["access_token"]


def register(
    hub_url: str, hub_config: Mapping[str, Any], callback_url: str, instance_dir: str | os.PathLike[str]
) -> tuple[str, connection.MachineAccount]:
    """Consent pages + machine-account setup; stores both (mode 0600) and returns ``(connection data,
    MachineAccount)``."""
    data = registration.register_with_admin(
        hub_url, callback_url, hub_config["ADMIN_EMAIL"], hub_config["ADMIN_PASSWORD"]
    )
    account = setup_machine_account(hub_url, hub_config, data)
    connection.store(instance_dir, data, account)
    return data, account


def setup_machine_account(hub_url: str, hub_config: Mapping[str, Any], data: str) -> connection.MachineAccount:
    """A new machine account of the org of ``data``, authorized for Context Service."""
    org_id = connection.decode(data)["prod"].org_id
    return registration.setup_machine_account(hub_url, hub_url, admin_token(hub_url, hub_config), org_id)


def access_token(hub_url: str, data: str, account: connection.MachineAccount, lab: bool = False) -> str:
    """An access token for direct Context Service calls: GetBearerToken, then the SAML2-bearer grant."""
    creds = connection.decode(data)["lab" if lab else "prod"]
    bearer = requests.post(
        f"{hub_url}/idb/token/{creds.org_id}/v2/actions/GetBearerToken/invoke",
        timeout=10,
        json={"name": account.name, "password": account.password},
    )
    bearer.raise_for_status()
    answer = requests.post(
        hub_url + TOKEN_PATH,
        auth=(creds.client_id, creds.client_secret),
        timeout=10,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:saml2-bearer", "assertion": bearer.json()["BearerToken"]},
    )
    answer.raise_for_status()
    return answer.json()["access_token"]
