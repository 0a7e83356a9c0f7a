"""Calls, chats and emails: Finesse's Dialog rules (participant state → allowed actions) and notifications.

Voice dialogs publish on ``/finesse/api/User/{id}/Dialogs``; chat and email (non-voice, Task Routing) dialogs on
``/finesse/api/User/{id}/Dialogs/Media`` with source ``…/Media/{mrdId}/Dialogs`` for adds and deletes, as in
Cisco's notification reference. Every function takes the backend first and runs under its lock.
"""
import re
from dataclasses import dataclass, field

from . import xmlshapes
from .config import WRAP_UP_LABEL_MAX
from .errors import InvalidInput, InvalidState, NotFound, ParameterMissing
from .state import now

VOICE_ACTIONS = {
    "INITIATING": ["DROP", "UPDATE_CALL_DATA"],
    "INITIATED": ["DROP", "UPDATE_CALL_DATA"],
    "ALERTING": ["ANSWER"],
    "ACTIVE": ["TRANSFER_SST", "CONSULT_CALL", "HOLD", "UPDATE_CALL_DATA", "SEND_DTMF", "DROP"],
    "HELD": ["RETRIEVE", "DROP", "UPDATE_CALL_DATA"],
    "FAILED": ["DROP"],
    "WRAP_UP": ["UPDATE_CALL_DATA"],
    "DROPPED": [],
}
MEDIA_ACTIONS = {
    "OFFERED": ["ACCEPT"],
    "ACCEPTED": ["START", "CLOSE"],
    "ACTIVE": ["PAUSE", "WRAP_UP", "CLOSE"],
    "PAUSED": ["RESUME", "WRAP_UP", "CLOSE"],
    "WRAPPING_UP": ["CLOSE"],
    "CLOSED": [],
}
MEDIA_TRANSITIONS = {"ACCEPT": "ACCEPTED", "START": "ACTIVE", "PAUSE": "PAUSED", "RESUME": "ACTIVE",
                     "WRAP_UP": "WRAPPING_UP", "CLOSE": "CLOSED"}
CALL_VARIABLE = re.compile(r"^callVariable([1-9]|10)$")
ECC_VARIABLE = re.compile(r"^user\.[A-Za-z0-9_.\[\]]{1,32}$")
CALL_VARIABLE_MAX = 40
ECC_VALUE_MAX = 210
DTMF = re.compile(r"^[0-9*#]{1,32}$")
CALL_TYPES = ("ACD_IN", "PREROUTE_ACD_IN", "PREROUTE_DIRECT_AGENT", "TRANSFER", "OTHER_IN", "OUT",
              "AGENT_INSIDE", "CONSULT", "CONFERENCE", "OUTBOUND", "OUTBOUND_PREVIEW")


@dataclass
class Participant:
    """One leg of a dialog: the agent's device, or the caller / customer."""

    media_address: str
    state: str
    is_agent: bool
    media: bool = False
    media_address_type: str | None = None
    state_cause: str = ""
    start_time: object = field(default_factory=now)
    state_change_time: object = field(default_factory=now)

    def actions(self):
        """What this participant may do in its state (none for the customer's side of a chat or email)."""
        if self.media:
            return MEDIA_ACTIONS.get(self.state, []) if self.is_agent else []
        return VOICE_ACTIONS.get(self.state, [])

    def move_to(self, state, cause=""):
        """Change the participant's state now."""
        self.state, self.state_cause, self.state_change_time = state, cause, now()


@dataclass
class Dialog:
    """A call (mediaType Voice) or a chat/email task (mediaType = MRD name) of one agent."""

    id: str
    agent_id: str
    media_type: str
    from_address: str
    to_address: str
    state: str
    media_properties: dict
    call_variables: dict
    participants: list
    mrd_id: str | None = None
    prior_state: str = "READY"
    prior_reason: str | None = None
    answered: bool = False
    outgoing: bool = False
    peer_id: str | None = None  # the other agent's leg of an agent-to-agent call
    associated_id: str | None = None  # a consult call: the held call it consults for
    consult_id: str | None = None  # a held call: its consult call
    consult_connected: bool = False

    @property
    def is_voice(self):
        """True for calls."""
        return self.mrd_id is None

    def agent_participant(self):
        """The agent's own participant."""
        return next(p for p in self.participants if p.is_agent)

    def remote_participants(self):
        """The caller's / customer's participants."""
        return [p for p in self.participants if not p.is_agent]

    def actions_of(self, participant):
        """The participant's actions in this dialog: the state table, plus TRANSFER and CONFERENCE on a held call
        whose consult call is connected; no consult from a consult call or an agent-to-agent call."""
        actions = participant.actions()
        if not self.is_voice or not participant.is_agent:
            return actions
        if self.peer_id or self.associated_id or self.consult_id:
            actions = [a for a in actions if a not in ("CONSULT_CALL", "TRANSFER_SST")]
        if participant.state == "HELD" and self.consult_connected:
            actions = actions + ["TRANSFER", "CONFERENCE"]
        return actions


# --- look-ups ---------------------------------------------------------------------------------------------

def find(backend, dialog_id):
    """The dialog with this id, or NotFound."""
    dialog = backend.dialogs.get(str(dialog_id))
    if dialog is None:
        raise NotFound(f"Dialog {dialog_id} does not exist.", data=str(dialog_id))
    return dialog


def dialogs_of(backend, agent, voice_only=True):
    """The agent's dialogs, oldest first (voice only unless asked)."""
    return [d for d in backend.dialogs.values() if d.agent_id == agent.id and (d.is_voice or not voice_only)]


def media_of(agent, mrd_id):
    """The agent's Media for an MRD id, or NotFound."""
    media = agent.media.get(str(mrd_id))
    if media is None:
        raise NotFound(f"Media {mrd_id} does not exist.", data=str(mrd_id))
    return media


def media_dialogs_of(backend, agent, media):
    """The agent's dialogs in one MRD."""
    return [d for d in backend.dialogs.values() if d.agent_id == agent.id and d.mrd_id == media.mrd["id"]]


# --- notifications ----------------------------------------------------------------------------------------

def _node(dialog):
    suffix = "/Dialogs" if dialog.is_voice else "/Dialogs/Media"
    return f"/finesse/api/User/{dialog.agent_id}{suffix}"


def _collection_source(dialog):
    if dialog.is_voice:
        return f"/finesse/api/User/{dialog.agent_id}/Dialogs"
    return f"/finesse/api/User/{dialog.agent_id}/Media/{dialog.mrd_id}/Dialogs"


def publish_added(backend, dialog, request_id=""):
    """POST on the collection: ``<dialogs><Dialog>``."""
    data = xmlshapes.dialogs_element([dialog], tag="dialogs")
    backend.publish([dialog.agent_id], _node(dialog),
                    xmlshapes.update(data, "POST", _collection_source(dialog), request_id))


def publish_changed(backend, dialog, request_id=""):
    """PUT from the dialog itself: ``<dialog>``."""
    data = xmlshapes.dialog_element(dialog, tag="dialog")
    backend.publish([dialog.agent_id], _node(dialog),
                    xmlshapes.update(data, "PUT", f"/finesse/api/Dialog/{dialog.id}", request_id))


def remove(backend, dialog, request_id=""):
    """Forget the dialog and publish DELETE on the collection (final state in the payload)."""
    backend.dialogs.pop(dialog.id, None)
    data = xmlshapes.dialogs_element([dialog], tag="dialogs")
    backend.publish([dialog.agent_id], _node(dialog),
                    xmlshapes.update(data, "DELETE", _collection_source(dialog), request_id))


# --- voice --------------------------------------------------------------------------------------------------

def offer_call(backend, agent, from_address, dnis="", dialed_number="", call_type="ACD_IN", call_variables=None,
               queue_name="", queue_number=""):
    """A call rings on the agent's phone: ALERTING dialog (POST), agent READY → RESERVED (User PUT)."""
    with backend.lock:
        if not agent.signed_in:
            raise InvalidState(f"User {agent.id} is signed out; a call cannot be offered.", data="agentId")
        if has_live_call(backend, agent):
            raise InvalidState(f"User {agent.id} already has a call.", data="agentId")
        end_wrap_up(backend, agent)
        prior_state = agent.state if agent.state in ("READY", "NOT_READY") else "READY"
        extension = agent.profile["extension"]
        number = backend.next_dialog_number()
        dialog = Dialog(
            id=str(number), agent_id=agent.id, media_type="Voice",
            from_address=from_address, to_address=extension, state="ALERTING",
            media_properties=_voice_properties(number, dialed_number or dnis or extension, call_type,
                                               dnis or dialed_number or extension, queue_name, queue_number),
            call_variables=dict(call_variables or {}),
            participants=[Participant(extension, "ALERTING", True, media_address_type="AGENT_DEVICE"),
                          Participant(from_address, "INITIATED", False)],
            prior_state=prior_state, prior_reason=agent.reason_code_id)
        backend.dialogs[dialog.id] = dialog
        publish_added(backend, dialog)
        _agent_to(backend, agent, "RESERVED")
        return dialog


def has_live_call(backend, agent):
    """True while the agent has a call that is not over (wrap-up does not count)."""
    return any(d.is_voice and d.state != "DROPPED" for d in dialogs_of(backend, agent))


def _voice_properties(number, dialed_number, call_type, dnis, queue_name, queue_number):
    return {"dialedNumber": dialed_number, "callType": call_type, "DNIS": dnis, "queueNumber": queue_number,
            "queueName": queue_name, "callKeyCallId": str(number % 100000), "callKeySequenceNum": "1",
            "callKeyPrefix": now().strftime("%j%H"), "wrapUpReason": "", "outboundClassification": ""}


def make_call(backend, agent, from_address, to_address, request_id=""):
    """MAKE_CALL from a NOT_READY agent: INITIATED dialog, agent TALKING; the far end rings until connected."""
    with backend.lock:
        if not to_address:
            raise ParameterMissing("toAddress is required.", data="toAddress")
        if not re.match(r"^[0-9*#+]{1,32}$", to_address):
            raise InvalidInput(f"toAddress must be 1-32 digits (and * # +), got {to_address!r}.", data="toAddress")
        if from_address and from_address != agent.profile["extension"]:
            raise InvalidInput(f"fromAddress must be your extension {agent.profile['extension']}.",
                               data="fromAddress")
        if agent.state != "NOT_READY":
            raise InvalidState(f"Make a call from NOT_READY (state is {agent.state}).", data="state")
        return _dial(backend, agent, to_address, _callee(backend, agent, to_address), request_id)


def _dial(backend, agent, to_address, callee, request_id, consult_for=None):
    """A new outgoing leg (INITIATED, POST), agent TALKING; a callee agent's phone rings (linked leg)."""
    extension = agent.profile["extension"]
    number = backend.next_dialog_number()
    call_type = "CONSULT" if consult_for else ("AGENT_INSIDE" if callee else "OUT")
    dialog = Dialog(
        id=str(number), agent_id=agent.id, media_type="Voice", from_address=extension,
        to_address=to_address, state="INITIATED",
        media_properties=_voice_properties(number, to_address, call_type, to_address, "", ""),
        call_variables=dict(consult_for.call_variables) if consult_for else {}, outgoing=True,
        participants=[Participant(extension, "INITIATED", True, media_address_type="AGENT_DEVICE"),
                      Participant(to_address, "ALERTING", False)],
        prior_state=agent.state, prior_reason=agent.reason_code_id,
        associated_id=consult_for.id if consult_for else None)
    backend.dialogs[dialog.id] = dialog
    publish_added(backend, dialog, request_id)
    _agent_to(backend, agent, "TALKING")
    if callee:
        _link(dialog, offer_call(backend, callee, extension, to_address, to_address, call_type,
                                 dialog.call_variables))
    return dialog


def _callee(backend, agent, to_address):
    """The signed-in agent on ``to_address`` (their phone will ring), None for outside numbers; busy → refused."""
    callee = backend.agent_by_extension(to_address)
    if callee is None:
        return None
    if callee.id == agent.id:
        raise InvalidInput("toAddress is your own extension.", data="toAddress")
    if has_live_call(backend, callee):
        raise InvalidState(f"{to_address} is busy: user {callee.id} is on a call.", data="toAddress")
    return callee


def _link(dialog, peer):
    dialog.peer_id, peer.peer_id = peer.id, dialog.id


def _peer(backend, dialog):
    """The other agent's leg of an agent-to-agent call, or None."""
    return backend.dialogs.get(dialog.peer_id) if dialog.peer_id else None


def _hang_up_peer(backend, dialog):
    """One agent leaves an agent-to-agent call: the other leg ends too (unlinked first, so only once)."""
    peer = _peer(backend, dialog)
    if peer is not None:
        dialog.peer_id = peer.peer_id = None
        remote_hangup(backend, peer)


def request_action(backend, agent, dialog, action, body, request_id=""):
    """``PUT /finesse/api/Dialog/{id}``: check the action is allowed for the agent's participant, apply it."""
    with backend.lock:
        if not dialog.is_voice:
            return media_action(backend, agent, dialog, action, request_id, _target(body))
        participant = dialog.agent_participant()
        target = _target(body)
        if target is None and action not in ("UPDATE_CALL_DATA",):
            raise ParameterMissing("targetMediaAddress is required.", data="targetMediaAddress")
        if target is not None and target != participant.media_address:
            raise InvalidInput(f"targetMediaAddress {target} is not your device {participant.media_address}.",
                               data="targetMediaAddress")
        allowed = dialog.actions_of(participant)
        if action not in allowed:
            raise InvalidState(f"{action} is not allowed while the participant is {participant.state}; allowed: "
                               f"{', '.join(allowed) or 'none'}.", data="requestedAction")
        VOICE_HANDLERS[action](backend, agent, dialog, body, request_id)


def _target(body):
    if body is None:
        return None
    element = body.find("targetMediaAddress")
    return None if element is None else (element.text or "").strip() or None


def _answer(backend, agent, dialog, body, request_id):
    _connect(backend, dialog, request_id)
    _agent_to(backend, agent, "TALKING")
    peer = _peer(backend, dialog)
    if peer is not None and peer.state == "INITIATED":
        _connect(backend, peer)


def _connect(backend, dialog, request_id=""):
    """The call is connected (PUT ACTIVE); a connected consult call enables TRANSFER/CONFERENCE on the held one."""
    dialog.state, dialog.answered = "ACTIVE", True
    for participant in dialog.participants:
        participant.move_to("ACTIVE")
    publish_changed(backend, dialog, request_id)
    _set_consult_connected(backend, dialog, True)


def _set_consult_connected(backend, consult, connected):
    held = backend.dialogs.get(consult.associated_id) if consult.associated_id else None
    if held is not None:
        held.consult_connected = connected
        if not connected:
            held.consult_id = None
        publish_changed(backend, held)


def _hold(backend, agent, dialog, body, request_id):
    _set_own_participant(backend, dialog, "HELD", request_id)
    _agent_to(backend, agent, "HOLD")


def _retrieve(backend, agent, dialog, body, request_id):
    _set_own_participant(backend, dialog, "ACTIVE", request_id)
    _agent_to(backend, agent, "TALKING")


def _set_own_participant(backend, dialog, state, request_id):
    """HELD / ACTIVE on the agent's participant, mirrored in the other agent's leg of an internal call."""
    participant = dialog.agent_participant()
    participant.move_to(state)
    publish_changed(backend, dialog, request_id)
    peer = _peer(backend, dialog)
    if peer is not None:
        for remote in peer.remote_participants():
            remote.move_to(state)
        publish_changed(backend, peer)


def _drop(backend, agent, dialog, body, request_id):
    end_call(backend, agent, dialog, request_id)


def _transfer(backend, agent, dialog, body, request_id):
    to_address = (body.findtext("toAddress") or "").strip()
    if not to_address:
        raise ParameterMissing("toAddress is required for TRANSFER_SST.", data="toAddress")
    other = _callee(backend, agent, to_address)
    peer = _peer(backend, dialog)
    if peer is not None:
        dialog.peer_id = peer.peer_id = None
    end_call(backend, agent, dialog, request_id)
    if other is None and peer is not None:
        remote_hangup(backend, peer)  # the other agent's call went to an outside number: gone from the mock
    if other is not None:
        leg = offer_call(backend, other, dialog.from_address, dialog.media_properties["DNIS"],
                         dialog.media_properties["dialedNumber"], "TRANSFER", dialog.call_variables)
        if peer is not None:
            _ring_again(backend, peer, leg, to_address)


def _ring_again(backend, dialog, new_peer, to_address):
    """The other agent's leg now rings ``to_address`` (a transferred internal call)."""
    _link(dialog, new_peer)
    dialog.state = "INITIATED"
    for remote in dialog.remote_participants():
        remote.media_address = to_address
        remote.move_to("ALERTING")
    publish_changed(backend, dialog)


def _consult(backend, agent, dialog, body, request_id):
    to_address = (body.findtext("toAddress") or "").strip()
    if not to_address:
        raise ParameterMissing("toAddress is required for CONSULT_CALL.", data="toAddress")
    callee = _callee(backend, agent, to_address)
    dialog.agent_participant().move_to("HELD")
    consult = _dial(backend, agent, to_address, callee, request_id, consult_for=dialog)
    dialog.consult_id = consult.id
    publish_changed(backend, dialog)


def _complete_consult(backend, dialog):
    """End the agent's consult leg of a held call; returns (consult leg, the consulted agent's leg or None)."""
    consult = backend.dialogs[dialog.consult_id]
    other_leg = _peer(backend, consult)
    if other_leg is not None:
        consult.peer_id = other_leg.peer_id = None
    dialog.consult_id, dialog.consult_connected = None, False
    consult.state = "DROPPED"
    for participant in consult.participants:
        participant.move_to("DROPPED")
    remove(backend, consult)
    return other_leg


def _transfer_consulted(backend, agent, dialog, body, request_id):
    other_leg = _complete_consult(backend, dialog)
    if other_leg is not None:  # the consulted agent now has the caller
        other_leg.from_address = dialog.from_address
        other_leg.media_properties["callType"] = "TRANSFER"
        other_leg.call_variables = dict(dialog.call_variables)
        for remote in other_leg.remote_participants():
            remote.media_address = dialog.from_address
        publish_changed(backend, other_leg)
    end_call(backend, agent, dialog, request_id)


def _conference(backend, agent, dialog, body, request_id):
    consulted = backend.dialogs[dialog.consult_id].to_address
    other_leg = _complete_consult(backend, dialog)
    dialog.agent_participant().move_to("ACTIVE")
    dialog.participants.append(Participant(consulted, "ACTIVE", False))
    dialog.media_properties["callType"] = "CONFERENCE"
    publish_changed(backend, dialog, request_id)
    if other_leg is not None:
        other_leg.participants.append(Participant(dialog.from_address, "ACTIVE", False))
        other_leg.media_properties["callType"] = "CONFERENCE"
        publish_changed(backend, other_leg)
    _agent_to(backend, agent, "TALKING")


def _update_call_data(backend, agent, dialog, body, request_id):
    properties = body.find("mediaProperties")
    if properties is None:
        raise ParameterMissing("mediaProperties is required for UPDATE_CALL_DATA.", data="mediaProperties")
    changes = _call_variable_changes(properties)
    reason = properties.findtext("wrapUpReason")
    if reason is not None and len(reason) > WRAP_UP_LABEL_MAX:
        raise InvalidInput(f"wrapUpReason is longer than {WRAP_UP_LABEL_MAX} characters.", data="wrapUpReason")
    dialog.call_variables.update(changes)
    if reason is not None:
        dialog.media_properties["wrapUpReason"] = reason.strip()
    publish_changed(backend, dialog, request_id)


def _call_variable_changes(properties):
    changes = {}
    for variable in properties.iterfind("callvariables/CallVariable"):
        name = (variable.findtext("name") or "").strip()
        value = variable.findtext("value") or ""
        changes[name] = validate_call_variable(name, value)
    return changes


def validate_call_variable(name, value):
    """A call variable's value when its name and length are valid (callVariable1-10 ≤ 40, ECC user.* ≤ 210)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text.", data=name)
    if CALL_VARIABLE.match(name or ""):
        limit = CALL_VARIABLE_MAX
    elif ECC_VARIABLE.match(name or ""):
        limit = ECC_VALUE_MAX
    else:
        raise InvalidInput(f"Call variable name {name!r} must be callVariable1..callVariable10 or an ECC "
                           "variable user.<name>.", data="name")
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters.", data=name)
    return value


def _send_dtmf(backend, agent, dialog, body, request_id):
    digits = ""
    for param in body.iterfind("actionParams/ActionParam"):
        if (param.findtext("name") or "").strip() == "dtmfString":
            digits = (param.findtext("value") or "").strip()
    if not DTMF.match(digits):
        raise InvalidInput("dtmfString must be 1-32 of 0-9, * and #.", data="dtmfString")
    publish_changed(backend, dialog, request_id)


VOICE_HANDLERS = {"ANSWER": _answer, "HOLD": _hold, "RETRIEVE": _retrieve, "DROP": _drop,
                  "TRANSFER_SST": _transfer, "CONSULT_CALL": _consult, "TRANSFER": _transfer_consulted,
                  "CONFERENCE": _conference, "UPDATE_CALL_DATA": _update_call_data, "SEND_DTMF": _send_dtmf}


def _agent_to(backend, agent, state):
    agent.state, agent.state_change_time = state, now()
    backend.publish_user(agent)


def end_call(backend, agent, dialog, request_id=""):
    """The call ends: wrap-up (agent WORK, dialog kept) for answered incoming calls when allowed, else DELETE."""
    with backend.lock:
        _hang_up_peer(backend, dialog)
        wrap_up = (dialog.answered and not dialog.outgoing
                   and agent.profile["wrapUpOnIncoming"] != "NOT_ALLOWED")
        if dialog.consult_id in backend.dialogs:
            end_call(backend, agent, backend.dialogs[dialog.consult_id])
        dialog.state = "DROPPED"
        for participant in dialog.remote_participants():
            participant.move_to("DROPPED")
        if wrap_up:
            dialog.agent_participant().move_to("WRAP_UP")
            publish_changed(backend, dialog, request_id)
        else:
            dialog.agent_participant().move_to("DROPPED")
            remove(backend, dialog, request_id)
        _set_consult_connected(backend, dialog, False)
        _settle_agent(backend, agent, dialog)


def _settle_agent(backend, agent, ended):
    """After a call ends: HOLD/TALKING while another call is up, WORK while one is in wrap-up, else move on."""
    live = [d for d in dialogs_of(backend, agent) if d.state != "DROPPED"]
    if live:
        held = all(d.agent_participant().state == "HELD" for d in live)
        agent.state, agent.state_change_time = ("HOLD" if held else "TALKING"), now()
    elif any(d.agent_participant().state == "WRAP_UP" for d in dialogs_of(backend, agent)):
        agent.state, agent.state_change_time = "WORK", now()
    else:
        _after_call(agent, ended)
    backend.publish_user(agent)


def _after_call(agent, dialog):
    """Back to the pending state, else to the state before the call (NOT_READY keeps its reason), else READY."""
    if agent.pending_state:
        agent.move_to(agent.pending_state, agent.reason_code_id if agent.pending_state == "NOT_READY" else None)
    elif dialog.prior_state == "NOT_READY":
        agent.move_to("NOT_READY", dialog.prior_reason)
    else:
        agent.move_to("READY")


def end_wrap_up(backend, agent):
    """Delete the agent's calls in wrap-up (the agent left WORK)."""
    for dialog in dialogs_of(backend, agent):
        if dialog.agent_participant().state == "WRAP_UP":
            dialog.agent_participant().move_to("DROPPED")
            remove(backend, dialog)


def remote_hangup(backend, dialog):
    """The caller hangs up: a ringing call is abandoned (agent back to their state), a live one ends."""
    with backend.lock:
        agent = backend.agent(dialog.agent_id)
        if dialog.state == "ALERTING":
            _hang_up_peer(backend, dialog)
            dialog.state = "DROPPED"
            for participant in dialog.participants:
                participant.move_to("DROPPED")
            remove(backend, dialog)
            _settle_agent(backend, agent, dialog)
        elif dialog.state in ("ACTIVE", "INITIATED"):
            end_call(backend, agent, dialog)
        else:
            raise InvalidState(f"Dialog {dialog.id} is {dialog.state}; nothing to hang up.", data="dialogId")


def remote_answer(backend, dialog):
    """The called party answers an outgoing call: INITIATED → ACTIVE."""
    with backend.lock:
        if dialog.state != "INITIATED":
            raise InvalidState(f"Dialog {dialog.id} is {dialog.state}; only a dialling (INITIATED) call can be "
                               "answered by the far end.", data="dialogId")
        peer = _peer(backend, dialog)
        if peer is not None:
            raise InvalidState(f"Dialog {dialog.id} rings user {peer.agent_id}; answer dialog {peer.id} as them.",
                               data="dialogId")
        _connect(backend, dialog)


def finish_wrap_up(backend, dialog, state=None):
    """The wrap-up timer runs out: the agent moves to ``state`` (default: the pending state, else READY)."""
    with backend.lock:
        agent = backend.agent(dialog.agent_id)
        if dialog.agent_participant().state != "WRAP_UP":
            raise InvalidState(f"Dialog {dialog.id} is not in wrap-up.", data="dialogId")
        target = state or agent.pending_state or "READY"
        reason = agent.reason_code_id if target == "NOT_READY" and agent.pending_state == "NOT_READY" else None
        backend.change_agent_state(agent, target, reason_code_id=reason)


# --- chat and email -------------------------------------------------------------------------------------------

def offer_media(backend, agent, mrd_id, from_address, call_variables, to_address=""):
    """A chat or email is offered to the agent in an MRD: OFFERED dialog (POST), Media READY → RESERVED."""
    with backend.lock:
        media = media_of(agent, mrd_id)
        if media.state == "LOGOUT":
            raise InvalidState(f"User {agent.id} is not signed in to {media.mrd['name']}.", data="agentId")
        open_dialogs = media_dialogs_of(backend, agent, media)
        if len(open_dialogs) >= media.max_dialog_limit:
            raise InvalidState(f"User {agent.id} already has {len(open_dialogs)} {media.mrd['description']} "
                               f"dialogs (maxDialogLimit {media.max_dialog_limit}).", data="agentId")
        number = backend.next_dialog_number()
        dialog = Dialog(
            id=f"{number}_{media.mrd['id']}_1", agent_id=agent.id, media_type=media.mrd["name"],
            from_address=from_address, to_address=to_address or agent.id, state="OFFERED",
            media_properties={"mediaId": media.mrd["id"], "taskName": media.mrd["description"]},
            call_variables=dict(call_variables), mrd_id=media.mrd["id"],
            participants=[Participant(agent.id, "OFFERED", True, media=True),
                          Participant(from_address, "ACTIVE", False, media=True)])
        backend.dialogs[dialog.id] = dialog
        publish_added(backend, dialog)
        if media.state == "READY":
            media.state, media.state_change_time = "RESERVED", now()
            backend.publish_media(agent, media)
        return dialog


def media_action(backend, agent, dialog, action, request_id="", target=None):
    """ACCEPT, START, PAUSE, RESUME, WRAP_UP or CLOSE on a chat or email dialog."""
    with backend.lock:
        participant = dialog.agent_participant()
        if target is not None and target not in (agent.id, agent.profile["extension"]):
            raise InvalidInput(f"targetMediaAddress {target} is not you ({agent.id}).", data="targetMediaAddress")
        if action not in participant.actions():
            raise InvalidState(f"{action} is not allowed while the dialog is {dialog.state}; allowed: "
                               f"{', '.join(participant.actions()) or 'none'}.", data="requestedAction")
        new_state = MEDIA_TRANSITIONS[action]
        if new_state == "CLOSED":
            _close(backend, dialog, request_id)
        else:
            dialog.state = new_state
            participant.move_to(new_state)
            publish_changed(backend, dialog, request_id)
        media = agent.media[dialog.mrd_id]
        if action == "ACCEPT" and media.state == "RESERVED":
            media.state, media.state_change_time = "READY", now()
            backend.publish_media(agent, media)


def _close(backend, dialog, request_id=""):
    dialog.state = "CLOSED"
    for participant in dialog.participants:
        participant.move_to("CLOSED")
    remove(backend, dialog, request_id)


def close_all_media_dialogs(backend, agent):
    """Sign-out closes the agent's chats and emails (dialogLogoutAction CLOSE)."""
    for dialog in dialogs_of(backend, agent, voice_only=False):
        if not dialog.is_voice:
            _close(backend, dialog)


def change_media(backend, agent, media, body, request_id=""):
    """PUT Media: LOGIN (with maxDialogLimit, interruptAction, dialogLogoutAction), READY, NOT_READY, LOGOUT."""
    with backend.lock:
        state = (body.findtext("state") or "").strip()
        if not state:
            raise ParameterMissing("state is required.", data="state")
        if state not in ("LOGIN", "READY", "NOT_READY", "LOGOUT"):
            raise InvalidInput(f"state must be LOGIN, READY, NOT_READY or LOGOUT, got {state!r}.", data="state")
        if not agent.signed_in:
            raise InvalidState(f"User {agent.id} is signed out of Finesse.", data="state")
        reason = (body.findtext("reasonCodeId") or "").strip() or None
        if state == "LOGIN":
            _media_login(media, body)
            state = "NOT_READY"
        elif media.state == "LOGOUT":
            raise InvalidState(f"Sign in to {media.mrd['name']} (state LOGIN) first.", data="state")
        if reason is not None:
            backend.reason_code(reason, "LOGOUT" if state == "LOGOUT" else "NOT_READY")
            if state == "READY":
                raise InvalidInput("reasonCodeId applies to NOT_READY and LOGOUT only.", data="reasonCodeId")
        if state == "LOGOUT":
            for dialog in media_dialogs_of(backend, agent, media):
                _close(backend, dialog)
        media.state, media.reason_code_id, media.state_change_time = state, reason, now()
        backend.publish_media(agent, media, request_id)


def _media_login(media, body):
    limit_text = (body.findtext("maxDialogLimit") or "").strip()
    if limit_text:
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= 10:
            raise InvalidInput(f"maxDialogLimit must be 1-10, got {limit_text!r}.", data="maxDialogLimit")
        media.max_dialog_limit = int(limit_text)
    interrupt = (body.findtext("interruptAction") or "").strip()
    if interrupt:
        if interrupt not in ("ACCEPT", "IGNORE"):
            raise InvalidInput(f"interruptAction must be ACCEPT or IGNORE, got {interrupt!r}.",
                               data="interruptAction")
        media.interrupt_action = interrupt
    logout_action = (body.findtext("dialogLogoutAction") or "").strip()
    if logout_action:
        if logout_action not in ("CLOSE", "TRANSFER"):
            raise InvalidInput(f"dialogLogoutAction must be CLOSE or TRANSFER, got {logout_action!r}.",
                               data="dialogLogoutAction")
        media.dialog_logout_action = logout_action
