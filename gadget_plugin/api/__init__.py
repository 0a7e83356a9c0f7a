"""The JSON API the gadget uses (``/api/v1``): one blueprint per concern, every call authenticated."""

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from .. import idempotency, json_input
from ..backend import GadgetBackend, get_backend
from ..errors import BadRequest
from ..shapes import Shaped
from ..security import check_origin

PREFIX = "/api/v1"


def api_blueprint(name: str) -> Blueprint:
    """A blueprint under ``/api/v1`` whose requests come from an allowed origin and a verified agent."""
    bp = Blueprint(name, __name__, url_prefix=PREFIX)
    bp.before_request(authenticate)
    return bp


def backend() -> GadgetBackend:
    """The app's GadgetBackend."""
    return get_backend()


def authenticate() -> None:
    """Before-request hook: origin check, then the agent's Finesse credentials (preflights pass)."""
    check_origin()
    if request.method == "OPTIONS":
        return
    g.agent = backend().agents.verify(request.headers.get("Authorization"), request.headers.get("X-Finesse-Agent-Id"))


def json_body() -> dict[str, Any]:
    """The request's JSON object, checked by ``json_input`` (size whatever the encoding, depth, characters)."""
    if not request.is_json:
        raise BadRequest("The request body must be a JSON object (Content-Type: application/json).")
    return json_input.read_object(request.stream, current_app.config["MAX_BODY_BYTES"])


def locale() -> str:
    """The agent's locale: ``?locale=``, else the first ``Accept-Language``, else en_US."""
    return request.args.get("locale") or (request.accept_languages.best or "en_US")


def idempotency_key() -> str | None:
    """The request's ``Idempotency-Key`` header (validated), or None without one."""
    return idempotency.checked_key(request.headers.get(idempotency.HEADER))


def created_answer(shaped: Shaped, created: bool) -> ResponseReturnValue:
    """201 with the object just stored; 200 with the one an earlier create (same dialog or key) stored."""
    return jsonify(shaped), 201 if created else 200
