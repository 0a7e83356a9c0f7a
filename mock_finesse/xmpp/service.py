"""``XmppService``: Prosody plus the publisher, as one object with the mock's life cycle (start, reset, stop).

Accounts: one per configured agent and supervisor, named by the agent id with the Finesse password (so
``1001@<XMPP_DOMAIN>`` / ``demo1001``), and the publisher's. Nodes and who is subscribed to them follow
Finesse's auto-subscriptions (reference finesse.md §4.1): each agent to ``/finesse/api/User/{id}``,
``…/Dialogs``, ``…/Dialogs/Media``, ``…/Media`` and ``/finesse/api/SystemInfo``; each supervisor also to
``/finesse/api/Team/{id}/Users`` of the teams they supervise.
"""

import secrets
import shutil
import tempfile
from typing import Any, Self

from ..records import Settings
from .exceptions import XmppUnavailable
from .prosody import ProsodyProcess
from .publisher import EventLoopThread, Publisher

PUBLISHER_USER = "finesse-notifications"  # inferred: Finesse's own publisher account is not public
AGENT_NODES = (
    "/finesse/api/User/{id}",
    "/finesse/api/User/{id}/Dialogs",
    "/finesse/api/User/{id}/Dialogs/Media",
    "/finesse/api/User/{id}/Media",
)
SYSTEM_NODE = "/finesse/api/SystemInfo"
TEAM_NODE = "/finesse/api/Team/{id}/Users"


def default_subscriptions(config: Settings) -> dict[str, list[str]]:
    """Node → bare JIDs subscribed to it, for the configured agents, supervisors and teams."""
    domain = config["XMPP_DOMAIN"]
    nodes: dict[str, list[str]] = {SYSTEM_NODE: []}
    nodes.update({TEAM_NODE.format(id=team["id"]): [] for team in config["TEAMS"]})
    for agent in config["AGENTS"]:
        jid = f"{agent['id']}@{domain}"
        for pattern in AGENT_NODES:
            nodes[pattern.format(id=agent["id"])] = [jid]
        nodes[SYSTEM_NODE].append(jid)
        for team_id in agent["supervisedTeams"]:
            nodes[TEAM_NODE.format(id=team_id)].append(jid)
    return nodes


class XmppService:
    """The XMPP notification service of one mock Finesse."""

    def __init__(self, config: Settings, executable: str) -> None:
        self.domain = config["XMPP_DOMAIN"]
        self._own_folder = not config["XMPP_DIR"]
        folder = config["XMPP_DIR"] or tempfile.mkdtemp(prefix="mock-finesse-xmpp-")
        self.prosody = ProsodyProcess(
            executable, folder, self.domain, config["XMPP_C2S_PORT"], config["XMPP_HTTP_PORT"]
        )
        self._publisher_password = secrets.token_urlsafe(24)
        self._accounts = {a["id"]: a["password"] for a in config["AGENTS"]}
        self._accounts[PUBLISHER_USER] = self._publisher_password
        self._subscriptions = default_subscriptions(config)
        self._loop: EventLoopThread | None = None
        self.publisher: Publisher | None = None

    @property
    def publisher_jid(self) -> str:
        """The bare JID the mock publishes as."""
        return f"{PUBLISHER_USER}@{self.domain}"

    @property
    def running(self) -> bool:
        """True while Prosody runs and the publisher is signed in."""
        return self.prosody.running and self.publisher is not None and self.publisher.ready

    def start(self) -> Self:
        """Start Prosody (accounts written first) and sign the publisher in; XmppUnavailable when it fails."""
        if self._loop is None:
            self._loop = EventLoopThread("mock-finesse-xmpp")
        if self.publisher is None:
            self.publisher = Publisher(
                self._loop,
                self.publisher_jid,
                self._publisher_password,
                self.prosody.c2s_port,
                self.prosody.pubsub,
                self._subscriptions,
            )
        self.prosody.set_accounts(self._accounts)
        # Started from the loop's thread, which lives as long as the service: Prosody dies with it.
        self._loop.call(self.prosody.start, self.publisher_jid)
        try:
            self.publisher.connect()
        except XmppUnavailable:
            self.stop_server()
            raise
        return self

    def publish(self, node: str, update_xml: str) -> None:
        """Publish one ``<Update>`` to its node (nothing happens while the server is stopped)."""
        if self.publisher is not None:
            self.publisher.publish(node, update_xml)

    def reset(self) -> None:
        """Accounts back to the configured passwords; nodes and subscriptions back to the defaults; a server
        stopped by ``stop_server()`` (the fault) runs again."""
        if not self.running or self.publisher is None:
            self.start()
            return
        self.prosody.set_accounts(self._accounts)
        self.publisher.reset()

    def stop_server(self) -> None:
        """Stop Prosody (a fault: clients see the connection drop); ``start()`` brings it back."""
        if self.publisher is not None:
            self.publisher.disconnect()
        if self._loop is not None:
            self._loop.call(self.prosody.stop)

    def stop(self) -> None:
        """Stop everything and remove the folder when it was a temporary one."""
        self.stop_server()
        if self._loop is not None:
            self._loop.stop()
            self._loop = None
        self.publisher = None  # it belonged to that loop: a later start() makes both anew
        if self._own_folder:
            shutil.rmtree(self.prosody.folder, ignore_errors=True)

    def describe(self, base_url: str = "") -> dict[str, Any]:
        """Where clients connect: domain, pubsub service, ports, BOSH and WebSocket URLs."""
        direct = f"http://127.0.0.1:{self.prosody.http_port}"
        return {
            "transport": "xmpp",
            "running": self.running,
            "domain": self.domain,
            "pubsub": self.prosody.pubsub,
            "host": "127.0.0.1",
            "c2sPort": self.prosody.c2s_port,
            "httpPort": self.prosody.http_port,
            "boshUrl": base_url + "/http-bind",
            "directBoshUrl": direct + "/http-bind",
            "websocketUrl": f"ws://127.0.0.1:{self.prosody.http_port}/ws/",
            "folder": str(self.prosody.folder),
        }
