"""One way to start the harness: the mock cloud, the mock Finesse and the gadget server on 127.0.0.1, the gadget
server registered with the mock cloud and allowed by the mock Finesse, optionally seeded; the handles and API
clients come back in one ``Harness``. The plugin's fixtures, the demo, the screenshots and the benchmarks all
start it through ``start_harness`` (the settings of each server are overrides of the defaults here).
"""

import base64
import os
import pathlib
from collections.abc import Callable, Mapping
from typing import Any, Self

import requests
from flask import Flask

import gadget_plugin
import mock_controlhub
import mock_finesse
from gadget_plugin.connection import MachineAccount
from mock_finesse import xmpp

from finesse_harness.errors import HarnessError
from finesse_harness.handles import FinesseServer, GadgetServer, HarnessServer, allow_make_request
from finesse_harness.mock_control import mock_control
from finesse_harness.registration_kit import access_token, register
from finesse_harness.servers import ServerThread, free_port, start_gadget_process

LOCALHOST = "127.0.0.1"
# The tests' proxy fails fast instead of waiting out the production timeouts.
TEST_GADGET_SETTINGS: dict[str, Any] = {"CS_TIMEOUT_SECONDS": 2, "CS_RETRIES": 1, "CS_BACKOFF_SECONDS": 0.05}


class ApiClient(requests.Session):
    """A ``requests`` session with a base URL that fails loudly: ``client.get("/customers").json()``."""

    def __init__(self, base: str, headers: Mapping[str, str], timeout: float = 30) -> None:
        super().__init__()
        self.base = base
        self.timeout = timeout
        self.headers.update(headers)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """``method`` on ``base + url`` (``timeout`` unless given); raises on an HTTP error status."""
        kwargs.setdefault("timeout", self.timeout)
        path = url.decode() if isinstance(url, bytes) else url
        response = super().request(method, self.base + path, *args, **kwargs)
        response.raise_for_status()
        return response


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` header value of HTTP Basic."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class RemoteServer:
    """A server started in a process of its own (the gadget server under gunicorn or its CLI): its URL, and
    ``control`` for the ``/_mock`` API of a mock run that way."""

    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """``method /_mock{path}`` with the control header; the response."""
        return mock_control(self.url, method, path, **kwargs)


class Harness:
    """The started servers (``controlhub``, ``finesse``, ``gadget``: handles with ``url``, ``app``, ``control``,
    ``reset``), the registration (``connection_data``, ``machine_account``) and clients of their APIs."""

    def __init__(self, controlhub: HarnessServer, finesse: FinesseServer, instance_dir: str | os.PathLike[str]) -> None:
        self.controlhub = controlhub
        self.finesse = finesse
        self.gadget: GadgetServer | RemoteServer | None = None
        self.instance_dir = pathlib.Path(instance_dir)
        self.connection_data: str | None = None
        self.machine_account: MachineAccount | None = None
        self._stops: list[Callable[[], None]] = []

    def start_gadget(
        self,
        settings: Mapping[str, Any] | None = None,
        process: str | list[str] | None = None,
        host: str = LOCALHOST,
        port: int = 0,
        register: bool = True,
        prepare: Callable[[Flask], object] | None = None,
    ) -> GadgetServer | RemoteServer:
        """Start the gadget server against the two mocks (``settings`` override the defaults, e.g. another
        ``CONTEXT_SERVICE_URL``), registered first (``register``) unless it already is, allowed for makeRequest.
        ``process``: None runs it in a thread (``self.gadget`` is a ``GadgetServer``; ``prepare(app)`` runs on
        its Flask app before it serves); ``"cli"`` or a list of gunicorn arguments run it in a process of its
        own (``self.gadget`` has ``url`` only). Returns it."""
        port = port or free_port()
        url = f"http://{host}:{port}"
        config = {
            "FINESSE_URLS": [self.finesse.url],
            "CONTEXT_SERVICE_URL": self.controlhub.url,
            "INSTANCE_PATH": str(self.instance_dir / "gadget"),
            "PUBLIC_URL": url,
            "LOG_LEVEL": "WARNING",
            **(settings or {}),
        }
        if register and self.connection_data is None:
            self.register(url, config["INSTANCE_PATH"])
        if process is None:
            app = gadget_plugin.create_app(config)
            if prepare:
                prepare(app)
            thread = ServerThread(app, host, port).start()
            self.gadget = GadgetServer(thread, thread.app, self.controlhub)
            self._stops.append(thread.stop)
        else:
            url, stop = start_gadget_process(config, None if isinstance(process, str) else process, port=port)
            self.gadget = RemoteServer(url)
            self._stops.append(stop)
        allow_make_request(self.finesse, url)
        return self.gadget

    def register(self, gadget_url: str, instance_dir: str) -> None:
        """Register through Control Hub's sign-in and consent pages and set up the machine account, stored in
        ``instance_dir``; the connection data and the account are kept for ``context_service_api``."""
        self.connection_data, self.machine_account = register(
            self.controlhub.url, self.controlhub.app.config, gadget_url + "/registered", instance_dir
        )

    def seed(self, seed: int = 1, size: int = 60) -> None:
        """Seed the mock cloud with ``size`` generated customers (``POST /_mock/seed``)."""
        self.controlhub.control("POST", "/seed", json={"seed": seed, "size": size}, timeout=120).raise_for_status()

    def reset(self) -> None:
        """What the plugin does before each test: both mocks reset, the gadget server registered again."""
        self.controlhub.reset()
        self.finesse.reset()
        if isinstance(self.gadget, GadgetServer):
            self.gadget.register()

    def agent_api(self, agent_id: str = "1001") -> ApiClient:
        """The gadget server's proxy API (``/api/v1``) as a mock Finesse agent (Basic auth)."""
        if self.gadget is None:
            raise HarnessError("the gadget server is not started: start_harness(gadget=True) or start_gadget()")
        agent = next(a for a in self.finesse.app.config["AGENTS"] if a["id"] == agent_id)
        return ApiClient(self.gadget.url + "/api/v1", {"Authorization": basic_auth(agent_id, agent["password"])})

    def context_service_api(self, lab: bool = False) -> ApiClient:
        """Context Service's REST API on the mock cloud, as the registered machine account."""
        if self.connection_data is None or self.machine_account is None:
            raise HarnessError("the gadget server is not registered: start_harness(register=True)")
        token = access_token(self.controlhub.url, self.connection_data, self.machine_account, lab)
        return ApiClient(
            self.controlhub.url,
            {"Authorization": f"Bearer {token}", "cisco-context-labmode": "true" if lab else "false"},
        )

    def stop(self) -> None:
        """Stop every server (the gadget server first) and the mock Finesse's XMPP server."""
        for stop in reversed(self._stops):
            stop()
        self._stops.clear()
        xmpp.stop(self.finesse.app)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def default_finesse_settings(instance_dir: pathlib.Path) -> dict[str, Any]:
    """The mock Finesse's defaults in the harness: its gadget folder and XMPP folder under ``instance_dir``,
    XMPP (Prosody) whenever it is installed, else Server-Sent Events (``MOCK_FINESSE_XMPP_SERVER=off`` forces
    SSE, ``=prosody`` demands XMPP)."""
    return {
        "GADGET_FILES_DIR": str(instance_dir / "3rdpartygadget"),
        "LAYOUTS_DIR": "",
        "XMPP_SERVER": os.environ.get("MOCK_FINESSE_XMPP_SERVER", "auto"),
        "XMPP_DIR": str(instance_dir / "xmpp"),
    }


def start_harness(
    instance_dir: str | os.PathLike[str],
    *,
    gadget: bool = True,
    gadget_process: str | list[str] | None = None,
    register: bool = True,
    controlhub_settings: Mapping[str, Any] | None = None,
    finesse_settings: Mapping[str, Any] | None = None,
    gadget_settings: Mapping[str, Any] | None = None,
    host: str = LOCALHOST,
    ports: tuple[int, int, int] = (0, 0, 0),
    prepare: Callable[[str, Flask], object] | None = None,
) -> Harness:
    """Start the mock cloud (in-memory SQLite unless ``DATABASE`` is given), the mock Finesse and (``gadget``)
    the gadget server (``gadget_process``: see ``Harness.start_gadget``) registered through Control Hub
    (``register``), with their data under ``instance_dir``; ``*_settings`` override each server's defaults,
    ``ports`` (0: a free one) and ``host`` say where they listen, ``prepare(name, app)`` runs on each Flask app
    before it serves (``"controlhub"``, ``"finesse"``, ``"gadget"``). Returns the ``Harness``."""
    folder = pathlib.Path(instance_dir)
    folder.mkdir(parents=True, exist_ok=True)

    def serve(name: str, app: Flask, port: int) -> ServerThread:
        if prepare:
            prepare(name, app)
        return ServerThread(app, host, port).start()

    hub_app = mock_controlhub.create_app({"DATABASE": ":memory:", **(controlhub_settings or {})})
    finesse_app = mock_finesse.create_app({**default_finesse_settings(folder), **(finesse_settings or {})})
    gadget_dir = pathlib.Path(finesse_app.config["GADGET_FILES_DIR"])
    gadget_dir.mkdir(parents=True, exist_ok=True)
    hub_thread = serve("controlhub", hub_app, ports[0])
    finesse_thread = serve("finesse", finesse_app, ports[1])
    harness = Harness(
        HarnessServer(hub_thread, hub_app), FinesseServer(finesse_thread, finesse_app, gadget_dir), folder
    )
    harness._stops.extend([hub_thread.stop, finesse_thread.stop])
    if gadget:
        harness.start_gadget(
            gadget_settings,
            gadget_process,
            host,
            ports[2],
            register,
            None if prepare is None else (lambda app: prepare("gadget", app)),
        )
    return harness
