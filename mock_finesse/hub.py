"""Notification fan-out: each published ``<Update>`` goes to every open subscription of its recipients.

A blocking queue hand-off per subscription: no polling loop, so an offer reaches a stream in about a
millisecond. Streams (``notifications.py``) subscribe here; the rules publish here.
"""

import enum
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

Event = tuple[str, str]  # (node, update_xml)


class Closed(enum.Enum):
    """The type of ``CLOSED``, what a subscription receives when the hub closes it (reset)."""

    CLOSED = "closed"


CLOSED = Closed.CLOSED


class Relay(Protocol):
    """Anything that also takes every update and every reset (the XMPP service)."""

    def publish(self, node: str, update_xml: str) -> None:
        """Hand on one ``<Update>`` for ``node``."""

    def reset(self) -> None:
        """Back to the freshly started state."""


class Subscription:
    """One open notification stream of one agent."""

    def __init__(self, agent_id: str) -> None:
        self.agent_id = agent_id
        self.queue: queue.SimpleQueue[Event | Closed] = queue.SimpleQueue()

    def next(self, timeout: float) -> Event | Closed | None:
        """The next ``(node, update_xml)``, ``None`` after ``timeout`` seconds, or ``CLOSED``."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None


class NotificationHub:
    """Routes each published update to every open subscription of its recipients."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscriptions: defaultdict[str, list[Subscription]] = defaultdict(list)
        self._relays: list[Relay] = []

    def subscribe(self, agent_id: str) -> Subscription:
        """Open a subscription for ``agent_id``."""
        subscription = Subscription(agent_id)
        with self._lock:
            self._subscriptions[agent_id].append(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        """Forget a subscription (its stream ended)."""
        with self._lock:
            subscribers = self._subscriptions.get(subscription.agent_id, [])
            if subscription in subscribers:
                subscribers.remove(subscription)

    def add_relay(self, relay: Relay) -> None:
        """Also hand every update to ``relay.publish(node, update_xml)`` and every reset to ``relay.reset()``
        (the XMPP publisher: its server routes by node subscriptions, not by agent)."""
        self._relays.append(relay)

    def publish(self, agent_ids: Iterable[str], node: str, update_xml: str) -> None:
        """Hand ``update_xml`` for ``node`` to every subscription of the given agents (and to the relays)."""
        for relay in self._relays:
            relay.publish(node, update_xml)
        with self._lock:
            targets = [s for agent_id in agent_ids for s in self._subscriptions.get(agent_id, [])]
        for subscription in targets:
            subscription.queue.put((node, update_xml))

    def subscriber_count(self, agent_id: str) -> int:
        """How many streams the agent has open (the control API reports it)."""
        with self._lock:
            return len(self._subscriptions.get(agent_id, []))

    def close_all(self) -> None:
        """End every open stream (on reset); clients reconnect on their own."""
        with self._lock:
            everyone = [s for subs in self._subscriptions.values() for s in subs]
            self._subscriptions.clear()
        for subscription in everyone:
            subscription.queue.put(CLOSED)
        for relay in self._relays:
            relay.reset()
