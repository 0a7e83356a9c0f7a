"""The mock's own XMPP account: it creates Finesse's pubsub nodes, subscribes each agent to theirs, and publishes
every ``<Update>`` as Finesse's notification service does.

A published item carries the ``<Update>`` as escaped text in ``<notification xmlns="urn:xmpp:push:0">`` (the
newer Finesse capture, reference finesse.md §4.2). slixmpp runs on an asyncio loop in one thread of ours, so
updates leave in the order they were produced, without blocking the request that produced them.
"""

import asyncio
import concurrent.futures
import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import slixmpp

from .exceptions import XmppUnavailable

NOTIFICATION_NS = "urn:xmpp:push:0"
PUBSUB_NS = "http://jabber.org/protocol/pubsub"
READY_TIMEOUT_SECONDS = 10
RETRY_SECONDS = 0.5

log = logging.getLogger(__name__)


def publish_stanza(pubsub: str, node: str, update_xml: str) -> str:
    """The ``<iq>`` that publishes ``update_xml`` to ``node`` (one item, a fresh id)."""
    return (
        f"<iq type='set' to={quoteattr(pubsub)} id='pub-{uuid.uuid4().hex[:12]}'>"
        f"<pubsub xmlns='{PUBSUB_NS}'><publish node={quoteattr(node)}><item id='{uuid.uuid4()}'>"
        f"<notification xmlns='{NOTIFICATION_NS}'>{escape(update_xml)}</notification>"
        f"</item></publish></pubsub></iq>"
    )


def subscribers(answer: slixmpp.Iq) -> set[str]:
    """The JIDs subscribed in a pubsub owner ``<subscriptions>`` answer (XEP-0060 §8.8.1)."""
    return {
        str(item["jid"]) for item in answer["pubsub_owner"]["subscriptions"] if item["subscription"] == "subscribed"
    }


async def finish_pending_tasks() -> None:
    """Cancel every other task of the running loop and wait until they are done. A slixmpp stream cancels its
    filter task when it is garbage-collected; on a loop that is closed by then, that raises inside the collector,
    which on CPython 3.11 can leave the interpreter's AST recursion count off (``SystemError: AST constructor
    recursion depth mismatch`` in every later compile). A task already done is cancelled without the loop."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class EventLoopThread:
    """An asyncio loop on a thread of its own that lives until ``stop()`` (child processes started through
    ``call`` die with it, see prosody.py)."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def call(self, function: Callable[..., Any], *args: object, timeout: float = READY_TIMEOUT_SECONDS) -> Any:
        """Run ``function(*args)`` (plain or coroutine function) on the loop and return its result."""

        async def run() -> Any:
            result = function(*args)
            return await result if asyncio.iscoroutine(result) else result

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout)

    def soon(self, function: Callable[..., object], *args: object) -> None:
        """Queue ``function(*args)`` on the loop (in order, without waiting)."""
        self.loop.call_soon_threadsafe(function, *args)

    def stop(self) -> None:
        """Finish every pending task, then stop the loop and wait for its thread."""
        if self.loop.is_running():
            try:
                self.call(finish_pending_tasks, timeout=5)
            except concurrent.futures.TimeoutError:
                pass
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5)
        if not self.loop.is_running() and not self.loop.is_closed():
            self.loop.close()  # its self-pipe sockets, else a ResourceWarning


class Publisher:
    """The publisher account's connection; ``subscriptions`` maps each node to the bare JIDs subscribed to it."""

    def __init__(
        self,
        loop_thread: EventLoopThread,
        jid: str,
        password: str,
        port: int,
        pubsub: str,
        subscriptions: Mapping[str, Sequence[str]],
    ) -> None:
        self._thread = loop_thread
        self.pubsub = pubsub
        self.subscriptions = subscriptions
        self._port = port
        self._wanted = False
        self._ready: concurrent.futures.Future[bool] = concurrent.futures.Future()
        self.client: slixmpp.ClientXMPP = loop_thread.call(self._new_client, jid, password)

    def _new_client(self, jid: str, password: str) -> slixmpp.ClientXMPP:
        client = slixmpp.ClientXMPP(
            jid, password, loop=self._thread.loop, plugin_config={"feature_mechanisms": {"unencrypted_plain": True}}
        )
        client.enable_starttls = client.enable_direct_tls = False
        client.enable_plaintext = True
        client.register_plugin("xep_0030")
        client.register_plugin("xep_0060")
        client.add_event_handler("session_start", self._on_session_start)
        client.add_event_handler("disconnected", self._on_disconnected)
        client.add_event_handler("failed_auth", self._on_failed_auth)
        return client

    @property
    def ready(self) -> bool:
        """True once signed in and the nodes are set up."""
        return self._ready.done() and self._ready.exception() is None

    def connect(self) -> None:
        """Sign in and set the nodes up; waits until done (XmppUnavailable when it cannot)."""
        self._wanted = True
        if self._ready.done():
            self._ready = concurrent.futures.Future()
        self._thread.soon(self._connect)
        try:
            self._ready.result(READY_TIMEOUT_SECONDS)
        except concurrent.futures.TimeoutError:
            raise XmppUnavailable("The publisher could not sign in to Prosody.", data="XMPP_SERVER") from None

    def _connect(self) -> None:
        self.client.connect("127.0.0.1", self._port)

    def disconnect(self) -> None:
        """Leave (the server is about to stop, or the mock is); no reconnect follows."""
        self._wanted = False
        if self._ready.done():
            self._ready = concurrent.futures.Future()
        try:
            self._thread.call(lambda: self.client.disconnect(wait=0.5), timeout=5)
        except concurrent.futures.TimeoutError:
            pass

    def publish(self, node: str, update_xml: str) -> None:
        """Queue the ``<Update>`` for ``node`` (dropped while not connected, as a real server's would be lost)."""
        if self.ready:
            self._thread.soon(self.client.send_raw, publish_stanza(self.pubsub, node, update_xml))

    def reset(self) -> None:
        """Back to the default nodes and subscriptions (subscriptions and nodes made since are gone); only the
        nodes that differ are deleted and set up again, as most tests leave every node as it was."""
        if self.ready:
            self._thread.call(self._restore_nodes)

    async def _on_session_start(self, _event: object) -> None:
        try:
            await self._set_up_nodes()
        except Exception as exc:  # noqa: BLE001 - handed to the waiting thread
            if not self._ready.done():
                self._ready.set_exception(exc)
            return
        if not self._ready.done():
            self._ready.set_result(True)

    def _on_disconnected(self, _event: object) -> None:
        if self._ready.done():
            self._ready = concurrent.futures.Future()
        if self._wanted:
            self._thread.loop.call_later(RETRY_SECONDS, self._connect)

    def _on_failed_auth(self, _event: object) -> None:
        if not self._ready.done():
            self._ready.set_exception(XmppUnavailable("Prosody refused the publisher's password.", data="XMPP_SERVER"))

    async def _restore_nodes(self) -> None:
        pubsub = self.client.plugin["xep_0060"]
        found = await self.client.plugin["xep_0030"].get_items(jid=slixmpp.JID(self.pubsub))
        existing = {node for _jid, node, _name in found["disco_items"]["items"] if node}
        kept = sorted(existing & set(self.subscriptions))
        answers = await asyncio.gather(*(pubsub.get_node_subscriptions(self.pubsub, node) for node in kept))
        changed = {node for node, answer in zip(kept, answers) if subscribers(answer) != set(self.subscriptions[node])}
        await asyncio.gather(*(pubsub.delete_node(self.pubsub, node) for node in (existing - set(kept)) | changed))
        redo = changed | (set(self.subscriptions) - existing)
        await asyncio.gather(*(pubsub.create_node(self.pubsub, node) for node in redo))
        await asyncio.gather(
            *(pubsub.subscribe(self.pubsub, node, subscribee=jid) for node in redo for jid in self.subscriptions[node])
        )
        log.debug("pubsub nodes restored: %d of %d", len(redo), len(self.subscriptions))

    async def _set_up_nodes(self) -> None:
        pubsub = self.client.plugin["xep_0060"]
        existing = await self.client.plugin["xep_0030"].get_items(jid=slixmpp.JID(self.pubsub))
        await asyncio.gather(
            *(pubsub.delete_node(self.pubsub, node) for _jid, node, _name in existing["disco_items"]["items"] if node)
        )
        await asyncio.gather(*(pubsub.create_node(self.pubsub, node) for node in self.subscriptions))
        await asyncio.gather(
            *(
                pubsub.subscribe(self.pubsub, node, subscribee=jid)
                for node, jids in self.subscriptions.items()
                for jid in jids
            )
        )
        log.debug("pubsub nodes ready: %d", len(self.subscriptions))
