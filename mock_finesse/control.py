"""The mock's control API under ``/_mock/`` (moto's ``/moto-api/`` shape): reset, state, simulator, layouts.

JSON in and out; errors use the server's one shape (``<ApiErrors>``), naming the field.
"""
from flask import Blueprint, jsonify, request

from .errors import InvalidInput

bp = Blueprint("control", __name__, url_prefix="/_mock")


def _backend():
    from . import get_backend

    return get_backend()


def json_body():
    """The request's JSON object, or InvalidInput naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("The body must be a JSON object.", data="body")
    return body


def agent_summary(backend, agent):
    """An agent's live state as the control API reports it."""
    return {
        "id": agent.id,
        "firstName": agent.profile["firstName"],
        "lastName": agent.profile["lastName"],
        "extension": agent.profile["extension"],
        "teamId": agent.profile["teamId"],
        "state": agent.state,
        "reasonCodeId": agent.reason_code_id,
        "pendingState": agent.pending_state,
        "locale": agent.locale,
        "media": {mrd_id: media.state for mrd_id, media in agent.media.items()},
        "notificationStreams": backend.hub.subscriber_count(agent.id),
    }


@bp.route("/reset", methods=["POST"])
def reset():
    """Everyone signed out, no dialogs, default layouts, no gadget prefs."""
    _backend().reset()
    return jsonify({"reset": True})


@bp.route("/state", methods=["GET"])
def state():
    """Agents, dialogs and which teams have their own layout."""
    backend = _backend()
    with backend.lock:
        return jsonify({
            "agents": [agent_summary(backend, a) for a in backend.agents.values()],
            "teamLayouts": sorted(backend.layouts.team_ids()),
        })


@bp.route("/agents/<agent_id>/state", methods=["PUT"])
def set_agent_state(agent_id):
    """Set an agent's state as if from their desktop: ``{"state", "reasonCodeId"?, "extension"?}``."""
    backend = _backend()
    agent = backend.agent(agent_id)
    body = json_body()
    state_name = body.get("state")
    if not isinstance(state_name, str) or not state_name:
        raise InvalidInput("state is required (LOGIN, READY, NOT_READY or LOGOUT).", data="state")
    extension = body.get("extension", agent.profile["extension"] if state_name == "LOGIN" else None)
    backend.change_agent_state(agent, state_name, reason_code_id=_optional_text(body, "reasonCodeId"),
                               extension=extension)
    return jsonify(agent_summary(backend, agent))


def _optional_text(body, name):
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a string.", data=name)
    return str(value)
