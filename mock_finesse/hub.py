"""Notification fan-out: each published ``<Update>`` goes to every open subscription of its recipients.

A blocking queue hand-off per subscription: no polling loop, so an offer reaches a stream in about a
millisecond. Streams (``notifications.py``) subscribe here; the rules publish here.
"""

import queue
import threading
from collections import defaultdict

CLOSED = object()  # what a subscription receives when the hub closes it (reset)


class Subscription:
    """One open notification stream of one agent."""

    def __init__(self, agent_id):
        self.agent_id = agent_id
        self.queue = queue.SimpleQueue()

    def next(self, timeout):
        """The next ``(node, update_xml)``, ``None`` after ``timeout`` seconds, or ``CLOSED``."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None


class NotificationHub:
    """Routes each published update to every open subscription of its recipients."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions = defaultdict(list)
        self._relays = []

    def subscribe(self, agent_id):
        """Open a subscription for ``agent_id``."""
        subscription = Subscription(agent_id)
        with self._lock:
            self._subscriptions[agent_id].append(subscription)
        return subscription

    def unsubscribe(self, subscription):
        """Forget a subscription (its stream ended)."""
        with self._lock:
            subscribers = self._subscriptions.get(subscription.agent_id, [])
            if subscription in subscribers:
                subscribers.remove(subscription)

    def add_relay(self, relay):
        """Also hand every update to ``relay.publish(node, update_xml)`` and every reset to ``relay.reset()``
        (the XMPP publisher: its server routes by node subscriptions, not by agent)."""
        self._relays.append(relay)

    def publish(self, agent_ids, node, update_xml):
        """Hand ``update_xml`` for ``node`` to every subscription of the given agents (and to the relays)."""
        for relay in self._relays:
            relay.publish(node, update_xml)
        with self._lock:
            targets = [s for agent_id in agent_ids for s in self._subscriptions.get(agent_id, [])]
        for subscription in targets:
            subscription.queue.put((node, update_xml))

    def subscriber_count(self, agent_id):
        """How many streams the agent has open (the control API reports it)."""
        with self._lock:
            return len(self._subscriptions.get(agent_id, []))

    def close_all(self):
        """End every open stream (on reset); clients reconnect on their own."""
        with self._lock:
            everyone = [s for subs in self._subscriptions.values() for s in subs]
            self._subscriptions.clear()
        for subscription in everyone:
            subscription.queue.put(CLOSED)
        for relay in self._relays:
            relay.reset()
