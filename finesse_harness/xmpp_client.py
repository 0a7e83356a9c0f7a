"""A standard XMPP client (slixmpp) for tests and benchmarks: it signs in as an agent over c2s, as a CTI
connector would, and collects the Finesse notifications that reach it.

Each notification is kept as a ``Notification(node, update, stanza)``: the pubsub node, the ``<Update>`` text
(un-escaped from ``<notification xmlns="urn:xmpp:push:0">``), and the whole ``<message>`` as received.
"""

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self

import slixmpp
from slixmpp.exceptions import IqError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

from mock_finesse.xmpp.publisher import finish_pending_tasks

from finesse_harness.errors import HarnessError

EVENT_NS = "http://jabber.org/protocol/pubsub#event"
NOTIFICATION_NS = "urn:xmpp:push:0"


@dataclass
class Notification:
    """One received pubsub notification."""

    node: str
    update: str
    stanza: str
    received: float


class AgentXmppClient:
    """An agent's XMPP session on its own thread; ``next()`` / ``wait_for()`` read what arrived."""

    def __init__(self, host: str, port: int, jid: str, password: str, resource: str = "cti") -> None:
        self.jid = f"{jid}/{resource}"
        self._password = password
        self._address = (host, port)
        self.notifications: queue.SimpleQueue[Notification] = queue.SimpleQueue()
        self._online = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=f"xmpp-{jid}", daemon=True)
        self.client: slixmpp.ClientXMPP | None = None

    def start(self, timeout: float = 10) -> Self:
        """Connect, sign in, send presence; returns self once online."""
        self._thread.start()
        if not self._online.wait(timeout):
            self.stop()
            raise AssertionError(f"{self.jid} did not get online within {timeout} s")
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        client = slixmpp.ClientXMPP(
            self.jid, self._password, loop=self._loop, plugin_config={"feature_mechanisms": {"unencrypted_plain": True}}
        )
        client.enable_starttls = client.enable_direct_tls = False
        client.enable_plaintext = True
        client.register_plugin("xep_0060")
        client.register_handler(
            Callback(
                "finesse notification", MatchXPath(f"{{jabber:client}}message/{{{EVENT_NS}}}event"), self._on_event
            )
        )
        client.add_event_handler("session_start", self._on_session_start)
        self.client = client
        client.connect(*self._address)
        self._loop.run_forever()

    def _client(self) -> slixmpp.ClientXMPP:
        if self.client is None:
            raise HarnessError(f"{self.jid}: expected a started XMPP session, got none (call start() first)")
        return self.client

    async def _on_session_start(self, _event: object) -> None:
        self._client().send_presence()
        # A server handles a stream's stanzas in order: once any answer to a later iq is back (an error will do,
        # Prosody's roster module is off), the presence has been handled, so a notification to the bare JID is
        # routed to this resource instead of being dropped as for an offline one.
        try:
            await self._client().get_roster()
        except IqError:
            pass
        self._online.set()

    def _on_event(self, message: Any) -> None:
        received = time.monotonic()
        items = message.xml.find(f"{{{EVENT_NS}}}event/{{{EVENT_NS}}}items")
        if items is None:
            return  # node deleted/purged: not an update
        for item in items.findall(f"{{{EVENT_NS}}}item"):
            payload = item.find(f"{{{NOTIFICATION_NS}}}notification")
            if payload is not None:
                self.notifications.put(Notification(items.get("node"), payload.text or "", str(message), received))

    def subscribe(self, pubsub: str, node: str, timeout: float = 5) -> Any:
        """Subscribe this session's bare JID to ``node`` (as SubscribeNodeReq does for gadgets)."""

        async def subscribe() -> Any:
            return await self._client().plugin["xep_0060"].subscribe(pubsub, node, timeout=timeout)

        return asyncio.run_coroutine_threadsafe(subscribe(), self._loop).result(timeout + 1)

    def wait_for(self, predicate: Callable[[Notification], bool], timeout: float = 5) -> Notification:
        """The first notification (skipping others) for which ``predicate(n)`` holds, or AssertionError."""
        deadline = time.monotonic() + timeout
        seen: list[Notification] = []
        while True:
            remaining = deadline - time.monotonic()
            try:
                notification = self.notifications.get(timeout=max(0.0, remaining))
            except queue.Empty:
                raise AssertionError(
                    f"no matching notification within {timeout} s; got: {[(n.node, n.update[:120]) for n in seen]}"
                ) from None
            if predicate(notification):
                return notification
            seen.append(notification)

    def stop(self) -> None:
        """Leave and end the thread."""
        if self.client is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._disconnect(), self._loop).result(5)
            except (TimeoutError, ConnectionError):
                pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._loop.is_running() and not self._loop.is_closed():
            self._loop.close()  # its self-pipe sockets, else a ResourceWarning

    async def _disconnect(self) -> None:
        try:
            await self._client().disconnect(wait=0.5)
        finally:
            await finish_pending_tasks()
