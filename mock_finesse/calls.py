"""Calls: Finesse's voice dialog rules — offer, answer, hold, drop, wrap-up, make call, agent-to-agent calls,
single-step transfer, consult, transfer and conference — and how the agent's state follows them (how a call
ends is in ``call_endings.py``).

Every function takes the backend first and runs under its lock; notifications go out through ``dialogs``.
"""

import re
from collections.abc import Callable, Mapping

from lxml import etree

from . import calldata
from .call_endings import agent_to, end_call, end_wrap_up, link, peer_of, remote_hangup, set_consult_connected
from .dialogs import dialogs_of, publish_added, publish_changed, remove, target_address
from .clock import now
from .errors import InvalidInput, InvalidState, ParameterMissing
from .models import Agent, Dialog, FinesseBackend, Participant

CALL_TYPES = (
    "ACD_IN",
    "PREROUTE_ACD_IN",
    "PREROUTE_DIRECT_AGENT",
    "TRANSFER",
    "OTHER_IN",
    "OUT",
    "AGENT_INSIDE",
    "CONSULT",
    "CONFERENCE",
    "OUTBOUND",
    "OUTBOUND_PREVIEW",
)
# An agent's action on a call: (backend, agent, dialog, the <Dialog> request body, requestId).
CallAction = Callable[[FinesseBackend, Agent, Dialog, etree._Element, str], None]


def offer_call(
    backend: FinesseBackend,
    agent: Agent,
    from_address: str,
    dnis: str = "",
    dialed_number: str = "",
    call_type: str = "ACD_IN",
    call_variables: Mapping[str, str] | None = None,
    queue_name: str = "",
    queue_number: str = "",
) -> Dialog:
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
            id=str(number),
            agent_id=agent.id,
            media_type="Voice",
            from_address=from_address,
            to_address=extension,
            state="ALERTING",
            media_properties=_voice_properties(
                number,
                dialed_number or dnis or extension,
                call_type,
                dnis or dialed_number or extension,
                queue_name,
                queue_number,
            ),
            call_variables=dict(call_variables or {}),
            participants=[
                Participant(extension, "ALERTING", True, media_address_type="AGENT_DEVICE"),
                Participant(from_address, "INITIATED", False),
            ],
            prior_state=prior_state,
            prior_reason=agent.reason_code_id,
            recordable=calldata.recordable(backend),
        )
        backend.dialogs[dialog.id] = dialog
        publish_added(backend, dialog)
        agent_to(backend, agent, "RESERVED")
        return dialog


def has_live_call(backend: FinesseBackend, agent: Agent) -> bool:
    """True while the agent has a call that is not over (wrap-up does not count)."""
    return any(d.is_voice and d.state != "DROPPED" for d in dialogs_of(backend, agent))


def _voice_properties(
    number: int, dialed_number: str, call_type: str, dnis: str, queue_name: str, queue_number: str
) -> dict[str, str]:
    return {
        "dialedNumber": dialed_number,
        "callType": call_type,
        "DNIS": dnis,
        "queueNumber": queue_number,
        "queueName": queue_name,
        "callKeyCallId": str(number % 100000),
        "callKeySequenceNum": "1",
        "callKeyPrefix": now().strftime("%j%H"),
        "wrapUpReason": "",
        "outboundClassification": "",
    }


def make_call(
    backend: FinesseBackend, agent: Agent, from_address: str | None, to_address: str | None, request_id: str = ""
) -> Dialog:
    """MAKE_CALL from a NOT_READY agent: INITIATED dialog, agent TALKING; the far end rings until connected."""
    with backend.lock:
        if not to_address:
            raise ParameterMissing("toAddress is required.", data="toAddress")
        if not re.match(r"^[0-9*#+]{1,32}$", to_address):
            raise InvalidInput(f"toAddress must be 1-32 digits (and * # +), got {to_address!r}.", data="toAddress")
        if from_address and from_address != agent.profile["extension"]:
            raise InvalidInput(f"fromAddress must be your extension {agent.profile['extension']}.", data="fromAddress")
        if agent.state != "NOT_READY":
            raise InvalidState(f"Make a call from NOT_READY (state is {agent.state}).", data="state")
        return _dial(backend, agent, to_address, _callee(backend, agent, to_address), request_id)


def _dial(
    backend: FinesseBackend,
    agent: Agent,
    to_address: str,
    callee: Agent | None,
    request_id: str,
    consult_for: Dialog | None = None,
) -> Dialog:
    """A new outgoing leg (INITIATED, POST), agent TALKING; a callee agent's phone rings (linked leg)."""
    extension = agent.profile["extension"]
    number = backend.next_dialog_number()
    call_type = "CONSULT" if consult_for else ("AGENT_INSIDE" if callee else "OUT")
    dialog = Dialog(
        id=str(number),
        agent_id=agent.id,
        media_type="Voice",
        from_address=extension,
        to_address=to_address,
        state="INITIATED",
        media_properties=_voice_properties(number, to_address, call_type, to_address, "", ""),
        call_variables=dict(consult_for.call_variables) if consult_for else {},
        outgoing=True,
        participants=[
            Participant(extension, "INITIATED", True, media_address_type="AGENT_DEVICE"),
            Participant(to_address, "ALERTING", False),
        ],
        prior_state=agent.state,
        prior_reason=agent.reason_code_id,
        recordable=calldata.recordable(backend),
        associated_id=consult_for.id if consult_for else None,
    )
    backend.dialogs[dialog.id] = dialog
    publish_added(backend, dialog, request_id)
    agent_to(backend, agent, "TALKING")
    if callee:
        link(dialog, offer_call(backend, callee, extension, to_address, to_address, call_type, dialog.call_variables))
    return dialog


def _callee(backend: FinesseBackend, agent: Agent, to_address: str) -> Agent | None:
    """The signed-in agent on ``to_address`` (their phone will ring), None for outside numbers; busy → refused."""
    callee = backend.agent_by_extension(to_address)
    if callee is None:
        return None
    if callee.id == agent.id:
        raise InvalidInput("toAddress is your own extension.", data="toAddress")
    if has_live_call(backend, callee):
        raise InvalidState(f"{to_address} is busy: user {callee.id} is on a call.", data="toAddress")
    return callee


def request_action(
    backend: FinesseBackend, agent: Agent, dialog: Dialog, action: str, body: etree._Element, request_id: str = ""
) -> None:
    """``PUT /finesse/api/Dialog/{id}`` on a call: check the action is allowed for the agent's participant, apply it."""
    with backend.lock:
        participant = dialog.agent_participant()
        target = target_address(body)
        if target is None and action not in ("UPDATE_CALL_DATA",):
            raise ParameterMissing("targetMediaAddress is required.", data="targetMediaAddress")
        if target is not None and target != participant.media_address:
            raise InvalidInput(
                f"targetMediaAddress {target} is not your device {participant.media_address}.",
                data="targetMediaAddress",
            )
        allowed = dialog.actions_of(participant)
        if action not in allowed:
            raise InvalidState(
                f"{action} is not allowed while the participant is {participant.state}; allowed: "
                f"{', '.join(allowed) or 'none'}.",
                data="requestedAction",
            )
        VOICE_HANDLERS[action](backend, agent, dialog, body, request_id)


def _answer(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    _connect(backend, dialog, request_id)
    agent_to(backend, agent, "TALKING")
    peer = peer_of(backend, dialog)
    if peer is not None and peer.state == "INITIATED":
        _connect(backend, peer)


def _connect(backend: FinesseBackend, dialog: Dialog, request_id: str = "") -> None:
    """The call is connected (PUT ACTIVE); a connected consult call enables TRANSFER/CONFERENCE on the held one."""
    dialog.state, dialog.answered = "ACTIVE", True
    for participant in dialog.participants:
        participant.move_to("ACTIVE")
    publish_changed(backend, dialog, request_id)
    set_consult_connected(backend, dialog, True)


def _hold(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    _set_own_participant(backend, dialog, "HELD", request_id)
    agent_to(backend, agent, "HOLD")


def _retrieve(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    _set_own_participant(backend, dialog, "ACTIVE", request_id)
    agent_to(backend, agent, "TALKING")


def _set_own_participant(backend: FinesseBackend, dialog: Dialog, state: str, request_id: str) -> None:
    """HELD / ACTIVE on the agent's participant, mirrored in the other agent's leg of an internal call."""
    participant = dialog.agent_participant()
    participant.move_to(state)
    publish_changed(backend, dialog, request_id)
    peer = peer_of(backend, dialog)
    if peer is not None:
        for remote in peer.remote_participants():
            remote.move_to(state)
        publish_changed(backend, peer)


def _drop(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    end_call(backend, agent, dialog, request_id)


def _transfer(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    to_address = (body.findtext("toAddress") or "").strip()
    if not to_address:
        raise ParameterMissing("toAddress is required for TRANSFER_SST.", data="toAddress")
    other = _callee(backend, agent, to_address)
    peer = peer_of(backend, dialog)
    if peer is not None:
        dialog.peer_id = peer.peer_id = None
    end_call(backend, agent, dialog, request_id)
    if other is None and peer is not None:
        remote_hangup(backend, peer)  # the other agent's call went to an outside number: gone from the mock
    if other is not None:
        leg = offer_call(
            backend,
            other,
            dialog.from_address,
            dialog.media_properties["DNIS"],
            dialog.media_properties["dialedNumber"],
            "TRANSFER",
            dialog.call_variables,
        )
        if peer is not None:
            _ring_again(backend, peer, leg, to_address)


def _ring_again(backend: FinesseBackend, dialog: Dialog, new_peer: Dialog, to_address: str) -> None:
    """The other agent's leg now rings ``to_address`` (a transferred internal call)."""
    link(dialog, new_peer)
    dialog.state = "INITIATED"
    for remote in dialog.remote_participants():
        remote.media_address = to_address
        remote.move_to("ALERTING")
    publish_changed(backend, dialog)


def _consult(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    to_address = (body.findtext("toAddress") or "").strip()
    if not to_address:
        raise ParameterMissing("toAddress is required for CONSULT_CALL.", data="toAddress")
    callee = _callee(backend, agent, to_address)
    dialog.agent_participant().move_to("HELD")
    consult = _dial(backend, agent, to_address, callee, request_id, consult_for=dialog)
    dialog.consult_id = consult.id
    publish_changed(backend, dialog)


def _complete_consult(backend: FinesseBackend, dialog: Dialog) -> tuple[Dialog, Dialog | None]:
    """End the agent's consult leg of a held call; returns (consult leg, the consulted agent's leg or None)."""
    consult = backend.dialogs.get(dialog.consult_id or "")
    if consult is None:  # TRANSFER and CONFERENCE are offered only while the consult call is connected
        raise InvalidState(f"Dialog {dialog.id} has no connected consult call.", data="requestedAction")
    other_leg = peer_of(backend, consult)
    if other_leg is not None:
        consult.peer_id = other_leg.peer_id = None
    dialog.consult_id, dialog.consult_connected = None, False
    consult.state = "DROPPED"
    for participant in consult.participants:
        participant.move_to("DROPPED")
    remove(backend, consult)
    return consult, other_leg


def _transfer_consulted(
    backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str
) -> None:
    _, other_leg = _complete_consult(backend, dialog)
    if other_leg is not None:  # the consulted agent now has the caller
        other_leg.from_address = dialog.from_address
        other_leg.media_properties["callType"] = "TRANSFER"
        other_leg.call_variables = dict(dialog.call_variables)
        for remote in other_leg.remote_participants():
            remote.media_address = dialog.from_address
        publish_changed(backend, other_leg)
    end_call(backend, agent, dialog, request_id)


def _conference(backend: FinesseBackend, agent: Agent, dialog: Dialog, body: etree._Element, request_id: str) -> None:
    consult, other_leg = _complete_consult(backend, dialog)
    dialog.agent_participant().move_to("ACTIVE")
    dialog.participants.append(Participant(consult.to_address, "ACTIVE", False))
    dialog.media_properties["callType"] = "CONFERENCE"
    publish_changed(backend, dialog, request_id)
    if other_leg is not None:
        other_leg.participants.append(Participant(dialog.from_address, "ACTIVE", False))
        other_leg.media_properties["callType"] = "CONFERENCE"
        publish_changed(backend, other_leg)
    agent_to(backend, agent, "TALKING")


VOICE_HANDLERS: dict[str, CallAction] = {
    "ANSWER": _answer,
    "HOLD": _hold,
    "RETRIEVE": _retrieve,
    "DROP": _drop,
    "TRANSFER_SST": _transfer,
    "CONSULT_CALL": _consult,
    "TRANSFER": _transfer_consulted,
    "CONFERENCE": _conference,
    "UPDATE_CALL_DATA": calldata.update_call_data,
    "SEND_DTMF": calldata.send_dtmf,
    "START_RECORDING": calldata.start_recording,
}


def remote_answer(backend: FinesseBackend, dialog: Dialog) -> None:
    """The called party answers an outgoing call: INITIATED → ACTIVE."""
    with backend.lock:
        if dialog.state != "INITIATED":
            raise InvalidState(
                f"Dialog {dialog.id} is {dialog.state}; only a dialling (INITIATED) call can be "
                "answered by the far end.",
                data="dialogId",
            )
        peer = peer_of(backend, dialog)
        if peer is not None:
            raise InvalidState(
                f"Dialog {dialog.id} rings user {peer.agent_id}; answer dialog {peer.id} as them.", data="dialogId"
            )
        _connect(backend, dialog)
