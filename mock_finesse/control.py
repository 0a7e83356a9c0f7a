"""The mock's control API under ``/_mock/`` (moto's ``/moto-api/`` shape): reset, state, simulator, layouts.

JSON in and out; errors use the server's one shape (``<ApiErrors>``), naming the field. Every call must carry
``X-Mock-Control: 1`` (``mock_core.web.guard_control_api``), so no page the agent visits can reset the mock or
ring a call.
"""

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from lxml import etree

from mock_core.web import guard_control_api

from . import agentstate, call_endings, calls, dialogs, phonebooks, tasks
from .auth import issue_token
from .errors import ControlRefused, InvalidInput
from .layouts import LayoutError
from .models import Agent, Dialog, FinesseBackend, get_backend
from .records import JsonObject

bp = Blueprint("control", __name__, url_prefix="/_mock")
guard_control_api(bp, lambda message, header: ControlRefused(message, data=header))


def json_body() -> JsonObject:
    """The request's JSON object, or InvalidInput naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("The body must be a JSON object.", data="body")
    return body


def agent_summary(backend: FinesseBackend, agent: Agent) -> JsonObject:
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
def reset() -> ResponseReturnValue:
    """Everyone signed out, no dialogs, default layouts, no gadget prefs."""
    get_backend().reset()
    return jsonify({"reset": True})


@bp.route("/state", methods=["GET"])
def state() -> ResponseReturnValue:
    """Agents, dialogs and which teams have their own layout."""
    backend = get_backend()
    with backend.lock:
        return jsonify(
            {
                "agents": [agent_summary(backend, a) for a in backend.agents.values()],
                "dialogs": [dialog_summary(d) for d in backend.dialogs.values()],
                "teamLayouts": sorted(backend.layouts.team_ids()),
            }
        )


@bp.route("/sso/tokens", methods=["POST"])
def issue_sso_token() -> ResponseReturnValue:
    """An SSO bearer token for ``{agentId}`` (what the identity service gives the desktop); SSO_ENABLED only."""
    backend = get_backend()
    if not backend.config["SSO_ENABLED"]:
        raise InvalidInput("SSO is off; start the mock with SSO_ENABLED=true to issue tokens.", data="SSO_ENABLED")
    agent = backend.agent(_text_field(json_body(), "agentId"))
    token, ttl = issue_token(backend, agent)
    return jsonify({"access_token": token, "token_type": "Bearer", "expires_in": ttl}), 201


@bp.route("/agents/<agent_id>/state", methods=["PUT"])
def set_agent_state(agent_id: str) -> ResponseReturnValue:
    """Set an agent's state as if from their desktop: ``{"state", "reasonCodeId"?, "extension"?}``."""
    backend = get_backend()
    agent = backend.agent(agent_id)
    body = json_body()
    state_name = body.get("state")
    if not isinstance(state_name, str) or not state_name:
        raise InvalidInput("state is required (LOGIN, READY, NOT_READY or LOGOUT).", data="state")
    extension = body.get("extension", agent.profile["extension"] if state_name == "LOGIN" else None)
    reason = _text_field(body, "reasonCodeId", False) or None
    agentstate.change_agent_state(backend, agent, state_name, reason_code_id=reason, extension=extension)
    return jsonify(agent_summary(backend, agent))


def dialog_summary(dialog: Dialog) -> JsonObject:
    """A dialog as the control API reports it."""
    return {
        "id": dialog.id,
        "agentId": dialog.agent_id,
        "mediaType": dialog.media_type,
        "state": dialog.state,
        "fromAddress": dialog.from_address,
        "toAddress": dialog.to_address,
        "participants": [
            {"mediaAddress": p.media_address, "state": p.state, "actions": dialog.actions_of(p)}
            for p in dialog.participants
        ],
        "callVariables": dict(dialog.call_variables),
        "peerDialogId": dialog.peer_id,
        "associatedDialogId": dialog.associated_id,
        "uri": f"/finesse/api/Dialog/{dialog.id}",
    }


def _text_field(body: JsonObject, name: str, required: bool = True, limit: int = 64, default: str = "") -> str:
    value = body.get(name, default)
    if value is None or value == "":
        if required:
            raise InvalidInput(f"{name} is required.", data=name)
        return default
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a string.", data=name)
    value = str(value).strip()
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters.", data=name)
    return value


def _variables(body: JsonObject) -> dict[str, str]:
    """``callVariables`` {callVariable1..10}, ``ecc`` {name: value} and ``podId`` as Finesse call variables."""
    variables = {}
    for key, prefix in (("callVariables", ""), ("ecc", "user.")):
        given = body.get(key) or {}
        if not isinstance(given, dict):
            raise InvalidInput(f"{key} must be an object of name → value.", data=key)
        for name, value in given.items():
            full_name = name if name.startswith(prefix) else prefix + name
            variables[full_name] = dialogs.validate_call_variable(full_name, value)
    return {**variables, **_pod_id(body)}


def _pod_id(body: JsonObject) -> dict[str, str]:
    """``podId`` as the contact's ``POD.ID`` variable (none when not given)."""
    if body.get("podId") is None:
        return {}
    return {dialogs.POD_ID_VARIABLE: dialogs.validate_call_variable(dialogs.POD_ID_VARIABLE, body["podId"])}


@bp.route("/calls", methods=["POST"])
def offer_call() -> ResponseReturnValue:
    """Ring an agent: ``{agentId, fromAddress, dnis?, dialedNumber?, callType?, queueName?, callVariables?, ecc?,
    podId?}``."""
    backend = get_backend()
    body = json_body()
    agent = backend.agent(_text_field(body, "agentId"))
    call_type = _text_field(body, "callType", required=False, default="ACD_IN")
    if call_type not in calls.CALL_TYPES:
        raise InvalidInput(f"callType must be one of {', '.join(calls.CALL_TYPES)}.", data="callType")
    dialog = calls.offer_call(
        backend,
        agent,
        _text_field(body, "fromAddress", limit=32),
        _text_field(body, "dnis", False, 32),
        _text_field(body, "dialedNumber", False, 32),
        call_type,
        _variables(body),
        _text_field(body, "queueName", False, 64),
        _text_field(body, "queueNumber", False, 32),
    )
    return jsonify(dialog_summary(dialog)), 201


@bp.route("/chats", methods=["POST"])
def offer_chat() -> ResponseReturnValue:
    """Offer a chat: ``{agentId, customerName, customerEmail, message?, podId?}`` (Cisco_Chat_MRD)."""
    body = json_body()
    name = _text_field(body, "customerName", limit=40)
    email = _email(body, "customerEmail")
    message = _text_field(body, "message", required=False, limit=40)
    return _offer_media(
        body, "Cisco_Chat_MRD", email, {"callVariable1": name, "callVariable2": email, "callVariable3": message}
    )


@bp.route("/emails", methods=["POST"])
def offer_email() -> ResponseReturnValue:
    """Offer an email: ``{agentId, fromAddress, fromName?, subject, podId?}`` (Cisco_Email_MRD)."""
    body = json_body()
    address = _email(body, "fromAddress")
    subject = _text_field(body, "subject", limit=40)
    name = _text_field(body, "fromName", required=False, limit=40)
    return _offer_media(
        body, "Cisco_Email_MRD", address, {"callVariable1": name, "callVariable2": address, "callVariable3": subject}
    )


def _email(body: JsonObject, name: str) -> str:
    value = _text_field(body, name, limit=40)
    if "@" not in value or value.startswith("@") or value.endswith("@") or " " in value:
        raise InvalidInput(f"{name} must be an email address, got {value!r}.", data=name)
    return value


def _offer_media(body: JsonObject, mrd_name: str, from_address: str, variables: dict[str, str]) -> tuple[Response, int]:
    backend = get_backend()
    agent = backend.agent(_text_field(body, "agentId"))
    mrd = next((m for m in backend.mrds.values() if m["name"] == mrd_name), None)
    if mrd is None:
        raise InvalidInput(f"No MRD named {mrd_name} is configured (MEDIA).", data="MEDIA")
    variables = {k: v for k, v in {**variables, **_pod_id(body)}.items() if v}
    dialog = tasks.offer_media(backend, agent, mrd["id"], from_address, variables)
    return jsonify(dialog_summary(dialog)), 201


REMOTE_ACTIONS = ("CALLER_HANGUP", "FAR_END_ANSWER", "END_WRAP_UP")


@bp.route("/dialogs/<dialog_id>/actions", methods=["POST"])
def dialog_action(dialog_id: str) -> ResponseReturnValue:
    """Advance a dialog: an agent action (ANSWER, DROP, ACCEPT, CLOSE, …), or CALLER_HANGUP, FAR_END_ANSWER,
    END_WRAP_UP for the remote party and the wrap-up timer."""
    backend = get_backend()
    body = json_body()
    action = _text_field(body, "action", limit=32).upper()
    with backend.lock:
        dialog = dialogs.find(backend, dialog_id)
        agent = backend.agent(dialog.agent_id)
        if action == "CALLER_HANGUP":
            call_endings.remote_hangup(backend, dialog)
        elif action == "FAR_END_ANSWER":
            calls.remote_answer(backend, dialog)
        elif action == "END_WRAP_UP":
            agentstate.finish_wrap_up(backend, dialog, _text_field(body, "state", required=False) or None)
        elif dialog.is_voice and action in calls.VOICE_HANDLERS:
            calls.request_action(backend, agent, dialog, action, _as_dialog_xml(body, dialog))
        elif not dialog.is_voice and action in tasks.MEDIA_TRANSITIONS:
            tasks.media_action(
                backend,
                agent,
                dialog,
                action,
                to_address=_text_field(body, "toAddress", required=False, limit=64) or None,
            )
        else:
            allowed = list(calls.VOICE_HANDLERS if dialog.is_voice else tasks.MEDIA_TRANSITIONS)
            raise InvalidInput(f"action must be one of {', '.join(allowed + list(REMOTE_ACTIONS))}.", data="action")
        current = backend.dialogs.get(dialog.id, dialog)
    return jsonify(dialog_summary(current))


def _as_dialog_xml(body: JsonObject, dialog: Dialog) -> etree._Element:
    """The REST ``<Dialog>`` body the agent's desktop would send for a control-API action."""
    root = etree.Element("Dialog")
    etree.SubElement(root, "targetMediaAddress").text = dialog.agent_participant().media_address
    if body.get("toAddress"):
        etree.SubElement(root, "toAddress").text = _text_field(body, "toAddress", limit=32)
    if body.get("callVariables") or body.get("ecc"):
        variables = etree.SubElement(etree.SubElement(root, "mediaProperties"), "callvariables")
        for name, value in _variables(body).items():
            variable = etree.SubElement(variables, "CallVariable")
            etree.SubElement(variable, "name").text = name
            etree.SubElement(variable, "value").text = value
    if body.get("dtmf"):
        param = etree.SubElement(etree.SubElement(root, "actionParams"), "ActionParam")
        etree.SubElement(param, "name").text = "dtmfString"
        etree.SubElement(param, "value").text = _text_field(body, "dtmf", limit=32)
    return root


@bp.route("/layouts/<team_id>", methods=["PUT"])
def put_layout(team_id: str) -> ResponseReturnValue:
    """Set a team's desktop layout (``default`` for the system default) from an XML body."""
    backend = get_backend()
    if team_id != "default":
        backend.team(team_id)
    try:
        layout = backend.layouts.save(None if team_id == "default" else team_id, request.get_data(as_text=True))
    except LayoutError as exc:
        raise InvalidInput(str(exc), data=f"line {exc.line}" if exc.line else "layout") from None
    tabs = [tab.id for tab in layout.roles["Agent"].tabs]
    return jsonify({"teamId": team_id, "version": layout.version, "agentTabs": tabs})


@bp.route("/layouts/<team_id>", methods=["DELETE"])
def delete_layout(team_id: str) -> ResponseReturnValue:
    """Drop a team's own layout; the team uses the default again."""
    backend = get_backend()
    backend.team(team_id)
    backend.layouts.remove(team_id)
    return jsonify({"teamId": team_id, "usesDefault": True})


@bp.route("/phonebooks/<book_id>", methods=["PUT"])
def put_phonebook(book_id: str) -> ResponseReturnValue:
    """Create or replace a phone book: ``{name, type: GLOBAL|TEAM, teamIds?, contacts: [{firstName, lastName,
    phoneNumber, description}]}``; Finesse's limits apply and nothing changes when one is broken."""
    backend = get_backend()
    try:
        book = phonebooks.validate_phonebook({**json_body(), "id": book_id}, backend.teams)
        with backend.lock:
            phonebooks.check_counts([b for b in backend.phonebooks.values() if b["id"] != book_id] + [book])
            backend.phonebooks[book_id] = book
    except ValueError as exc:
        raise InvalidInput(f"Phone book {book_id}: {exc}.", data=str(exc).split(" ")[0]) from None
    return jsonify({**book, "contacts": len(book["contacts"])})


@bp.route("/phonebooks/<book_id>", methods=["DELETE"])
def delete_phonebook(book_id: str) -> ResponseReturnValue:
    """Drop a phone book (its contacts with it)."""
    backend = get_backend()
    with backend.lock:
        if backend.phonebooks.pop(book_id, None) is None:
            raise InvalidInput(f"Phone book {book_id} does not exist.", data="phonebookId")
    return jsonify({"id": book_id, "deleted": True})
