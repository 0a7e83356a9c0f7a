"""The desktop's Server-Sent Events stream of notifications (``GET /desktop/notifications``).

Each change publishes Finesse's ``<Update>`` XML on a node (``/finesse/api/User/1001/Dialogs``) to the agents
subscribed to it (``hub.py``); this stream sends them as ``event: update`` with JSON ``{"node", "update"}``
(the contract in docs/architecture.md).
"""

import json
import socket

from collections.abc import Iterator

from flask import Blueprint, Response, request, stream_with_context

from .auth import current_agent_or_basic
from .hub import CLOSED
from .models import get_backend

KEEPALIVE_SECONDS = 15

bp = Blueprint("notifications", __name__)


def sse_event(node: str, update_xml: str) -> str:
    """One SSE ``update`` event in the wire format of the contract."""
    return f"event: update\ndata: {json.dumps({'node': node, 'update': update_xml})}\n\n"


def send_without_delay() -> None:
    """Turn off Nagle's algorithm on the stream's socket (development server), so each small event leaves at once
    instead of waiting for the client's delayed ACK (up to 40 ms)."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


@bp.route("/desktop/notifications")
def stream() -> Response:
    """The signed-in agent's notifications as Server-Sent Events (session cookie, or Basic for other clients)."""
    agent = current_agent_or_basic()
    send_without_delay()
    hub = get_backend().hub
    subscription = hub.subscribe(agent.id)

    def events() -> Iterator[str]:
        try:
            yield "retry: 1000\n: connected\n\n"
            while True:
                item = subscription.next(KEEPALIVE_SECONDS)
                if item is CLOSED:
                    return
                yield ": keepalive\n\n" if item is None else sse_event(*item)
        finally:
            hub.unsubscribe(subscription)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return Response(stream_with_context(events()), mimetype="text/event-stream", headers=headers)
