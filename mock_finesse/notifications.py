"""Notification fan-out: per-subscriber queues, and the desktop's Server-Sent Events stream.

Each change publishes Finesse's ``<Update>`` XML on a node (``/finesse/api/User/1001/Dialogs``) to the agents
subscribed to it; ``GET /desktop/notifications`` streams them as ``event: update`` with JSON
``{"node", "update"}`` (the contract in docs/architecture.md). Delivery is a blocking queue hand-off: no
polling loop, so an offer reaches the browser in about a millisecond.
"""
import json
import queue
import socket
import threading
from collections import defaultdict

from flask import Blueprint, Response, request, stream_with_context

KEEPALIVE_SECONDS = 15
_CLOSED = object()

bp = Blueprint("notifications", __name__)


class Subscription:
    """One open notification stream of one agent."""

    def __init__(self, agent_id):
        self.agent_id = agent_id
        self.queue = queue.SimpleQueue()

    def next(self, timeout):
        """The next ``(node, update_xml)``, ``None`` after ``timeout`` seconds, or ``_CLOSED``."""
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None


class NotificationHub:
    """Routes each published update to every open subscription of its recipients."""

    def __init__(self):
        self._lock = threading.Lock()
        self._subscriptions = defaultdict(list)

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

    def publish(self, agent_ids, node, update_xml):
        """Hand ``update_xml`` for ``node`` to every subscription of the given agents."""
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
            subscription.queue.put(_CLOSED)


def sse_event(node, update_xml):
    """One SSE ``update`` event in the wire format of the contract."""
    return f"event: update\ndata: {json.dumps({'node': node, 'update': update_xml})}\n\n"


def _send_without_delay():
    """Turn off Nagle's algorithm on the stream's socket (development server), so each small event leaves at once
    instead of waiting for the client's delayed ACK (up to 40 ms)."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


@bp.route("/desktop/notifications")
def stream():
    """The signed-in agent's notifications as Server-Sent Events (session cookie, or Basic for other clients)."""
    from . import get_backend
    from .desktop import current_agent_or_basic

    agent = current_agent_or_basic()
    _send_without_delay()
    hub = get_backend().hub
    subscription = hub.subscribe(agent.id)

    def events():
        try:
            yield "retry: 1000\n: connected\n\n"
            while True:
                item = subscription.next(KEEPALIVE_SECONDS)
                if item is _CLOSED:
                    return
                yield ": keepalive\n\n" if item is None else sse_event(*item)
        finally:
            hub.unsubscribe(subscription)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(events()), mimetype="text/event-stream", headers=headers)
