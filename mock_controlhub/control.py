"""The mock's control API under ``/_mock/`` (moto's ``/moto-api/`` shape): reset, clock, state."""
from flask import Blueprint, jsonify, request

from .clock import format_rfc3339, parse_rfc3339
from .errors import BadRequest

bp = Blueprint("control", __name__, url_prefix="/_mock")


def _backend():
    from . import get_backend

    return get_backend()


def json_body():
    """The request's JSON object, or a BadRequest naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body


@bp.route("/reset", methods=["POST"])
def reset():
    """Wipe all data; the org and the Cisco base dictionary come back."""
    _backend().reset()
    return jsonify({"reset": True})


@bp.route("/clock", methods=["GET"])
def get_clock():
    """Read the mock clock."""
    return jsonify({"now": format_rfc3339(_backend().clock.now())})


@bp.route("/clock", methods=["POST"])
def set_clock():
    """Set the clock (``{"now": RFC 3339}``) or advance it (``{"advanceSeconds": n}``)."""
    body = json_body()
    clock = _backend().clock
    if "now" in body:
        try:
            clock.set(parse_rfc3339(body["now"]))
        except ValueError as exc:
            raise BadRequest(f"now: {exc}", field="now") from None
    elif "advanceSeconds" in body:
        seconds = body["advanceSeconds"]
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            raise BadRequest("advanceSeconds must be a number.", field="advanceSeconds")
        clock.advance(seconds)
    else:
        raise BadRequest("Send {\"now\": \"<RFC 3339>\"} or {\"advanceSeconds\": <number>}.")
    return jsonify({"now": format_rfc3339(clock.now())})
