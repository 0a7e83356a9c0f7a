"""HTTP side of the XMPP service: BOSH at Finesse's ``/http-bind`` on the mock's own port, and the control API.

``/http-bind`` is relayed to Prosody's BOSH endpoint as Finesse's web server relays it to its notification
service (NonGadgetSample ``httpd.conf``: ``/http-bind`` → ``:7071/http-bind/``), so a page served by the mock
reaches XMPP without CORS. ``/_mock/xmpp`` reports where clients connect; ``/_mock/xmpp/stop`` and ``/start``
stop and restart the server (the lost-connection fault).
"""

import urllib3
from flask import Blueprint, Response, current_app, jsonify, request

from mock_core.web import guard_control_api

from ..errors import ControlRefused
from ..notifications import send_without_delay
from .exceptions import XmppUnavailable
from .service import XmppService

EXTENSION = "mock_finesse.xmpp"
BOSH_READ_TIMEOUT_SECONDS = 90  # above the longest BOSH wait a client may ask for (Prosody caps it at 60)
RELAYED_HEADERS = ("Content-Type",)

bp = Blueprint("xmpp", __name__)
control_bp = Blueprint("xmpp_control", __name__, url_prefix="/_mock/xmpp")
guard_control_api(control_bp, lambda message, header: ControlRefused(message, data=header))
_pool = urllib3.PoolManager(maxsize=64, block=False, retries=False)


def current_service() -> XmppService:
    """The app's XmppService, or XmppUnavailable when the mock runs without XMPP."""
    service = current_app.extensions.get(EXTENSION)
    if service is None:
        raise XmppUnavailable(
            "This mock Finesse runs without XMPP (Server-Sent Events only): set XMPP_SERVER "
            "to auto or prosody and install Prosody.",
            data="XMPP_SERVER",
        )
    return service


@bp.route("/http-bind", methods=["GET", "POST", "OPTIONS"])
@bp.route("/http-bind/", methods=["GET", "POST", "OPTIONS"])
def http_bind() -> Response:
    """Relay one BOSH request to Prosody and its answer back (held up to the session's ``wait``)."""
    service = current_service()
    try:
        upstream = _pool.request(
            request.method,
            f"http://127.0.0.1:{service.prosody.http_port}/http-bind",
            body=request.get_data(),
            headers={k: request.headers[k] for k in RELAYED_HEADERS if k in request.headers},
            timeout=urllib3.Timeout(connect=2, read=BOSH_READ_TIMEOUT_SECONDS),
        )
    except urllib3.exceptions.HTTPError as exc:
        raise XmppUnavailable(f"The XMPP server does not answer: {exc.__class__.__name__}.", data="http-bind") from None
    send_without_delay()
    headers = {k: upstream.headers[k] for k in RELAYED_HEADERS if k in upstream.headers}
    return Response(upstream.data, status=upstream.status, headers=headers)


@control_bp.route("", methods=["GET"])
def status() -> Response:
    """Domain, pubsub service, ports and URLs of the XMPP service, and whether it runs."""
    return jsonify(current_service().describe(request.host_url.rstrip("/")))


@control_bp.route("/stop", methods=["POST"])
def stop() -> Response:
    """Stop the XMPP server: connected clients lose their connection (updates meanwhile are lost)."""
    service = current_service()
    service.stop_server()
    return jsonify(service.describe(request.host_url.rstrip("/")))


@control_bp.route("/start", methods=["POST"])
def start() -> Response:
    """Start the XMPP server again (same ports, accounts and default subscriptions)."""
    service = current_service()
    service.start()
    return jsonify(service.describe(request.host_url.rstrip("/")))
