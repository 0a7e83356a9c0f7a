"""Handles on the started harness servers (URL, Flask app, control API) and the helpers that change a running
mock: the cloud's faults, the mock Finesse's allow-lists, the gadget server's registration per test."""

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask

from gadget_plugin import connection, get_backend
from mock_controlhub import get_backend as hub_backend
from mock_controlhub.identity import machines
from mock_controlhub.identity import models as identity
from mock_controlhub.identity.registration import encode_connection_data

from finesse_harness.errors import checked
from finesse_harness.mock_control import mock_control
from finesse_harness.servers import ServerThread


class HarnessServer:
    """A started mock server: its base URL, its Flask app, and its control API (``control``, ``reset``)."""

    def __init__(self, thread: ServerThread, app: Flask) -> None:
        self.thread = thread
        self.app = app
        self.url = thread.url

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """``method /_mock{path}`` over HTTP with the control header (see ``mock_control``); the response."""
        return mock_control(self.url, method, path, **kwargs)

    def reset(self) -> None:
        """``POST /_mock/reset`` over HTTP, as any test client would."""
        self.control("POST", "/reset").raise_for_status()


class FinesseServer(HarnessServer):
    """The started mock Finesse; ``gadget_dir`` is the folder it serves at ``/3rdpartygadget/files/``."""

    def __init__(self, thread: ServerThread, app: Flask, gadget_dir: Path) -> None:
        super().__init__(thread, app)
        self.gadget_dir = gadget_dir


def set_cs_faults(controlhub_server: HarnessServer, **faults: Any) -> dict[str, Any]:
    """``POST /_mock/faults`` on the mock cloud (``latencyMs``, ``errorRate``, ``status``, …; none: cleared);
    the faults in force."""
    return checked(
        mock_control(controlhub_server.url, "POST", "/faults", json=faults), f"/_mock/faults {faults}"
    ).json()


def allow_make_request(finesse_server: HarnessServer, base_url: str) -> None:
    """Put ``base_url``'s ``host:port`` on the mock Finesse's makeRequest allow-list (MAKEREQUEST_ALLOWLIST)."""
    _allow(finesse_server, "MAKEREQUEST_ALLOWLIST", base_url)


def allow_gadget_source(finesse_server: HarnessServer, base_url: str) -> None:
    """Let the mock Finesse render gadget specs from ``base_url``'s ``host:port`` that are in no layout
    (GADGET_SOURCE_ALLOWLIST; gadgets in a team's layout are allowed without it)."""
    _allow(finesse_server, "GADGET_SOURCE_ALLOWLIST", base_url)


def _allow(finesse_server: HarnessServer, setting: str, base_url: str) -> None:
    parts = urlsplit(base_url)
    origin = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    allowlist = finesse_server.app.config[setting]
    if origin not in allowlist:
        allowlist.append(origin)


class GadgetServer(HarnessServer):
    """The gadget server (``gadget_plugin``), registered with the mock cloud, allowed by the mock Finesse."""

    def __init__(self, thread: ServerThread, app: Flask, controlhub_server: HarnessServer) -> None:
        super().__init__(thread, app)
        self.controlhub_server = controlhub_server

    def register(self) -> None:
        """Register with the mock cloud's identity functions (what Accept on the consent page and the admin's
        machine-account setup do; ~1000x faster than driving the pages, for the per-test fixture) and store
        the connection data with the machine account."""
        hub = hub_backend(self.controlhub_server.app)
        reg = identity.register_component(hub, "127.0.0.1", "custom", self.url + "/registered")
        org_id = identity.get_org(hub)["id"]
        account = connection.MachineAccount(f"harness-{secrets.token_hex(4)}", secrets.token_urlsafe(16))
        created = machines.create_machine_account(hub, org_id, {"name": account.name, "password": account.password})
        machines.authorize_for_context_service(
            hub, {"orgId": org_id, "userId": created["id"], "type": "machine", "workgroup": "lab"}
        )
        connection.store(
            self.app.config["INSTANCE_PATH"], encode_connection_data(identity.connection_data(hub, reg)), account
        )
        get_backend(self.app).reset()

    def reset(self) -> None:
        """Drop the gadget server's caches (tokens, verified agents, dictionary, status)."""
        get_backend(self.app).reset()
