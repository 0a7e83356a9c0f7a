"""Dialogs, the model shared by calls (``calls.py``) and chat/email tasks (``tasks.py``): participants and the
actions their state allows, look-ups, call variables, and the dialog notifications.

Voice dialogs publish on ``/finesse/api/User/{id}/Dialogs``; chat and email (non-voice, Task Routing) dialogs on
``/finesse/api/User/{id}/Dialogs/Media`` with source ``…/Media/{mrdId}/Dialogs`` for adds and deletes, as in
Cisco's notification reference. Every function takes the backend first and runs under its lock.
"""

import re
from dataclasses import dataclass, field

from . import xmlshapes
from .errors import InvalidInput, NotFound
from .clock import now

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
    "ACCEPTED": ["START", "TRANSFER", "CLOSE"],
    "ACTIVE": ["PAUSE", "WRAP_UP", "TRANSFER", "CLOSE"],
    "PAUSED": ["RESUME", "WRAP_UP", "TRANSFER", "CLOSE"],
    "WRAPPING_UP": ["CLOSE"],
    "CLOSED": [],
}
CALL_VARIABLE = re.compile(r"^callVariable([1-9]|10)$")
ECC_VARIABLE = re.compile(r"^user\.[A-Za-z0-9_.\[\]]{1,32}$")
CALL_VARIABLE_MAX = 40
ECC_VALUE_MAX = 210
# Context Service's activity id, which CVP, SocialMiner or ECE put on the contact when they created its activity.
POD_ID_VARIABLE = "POD.ID"


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
    recordable: bool = False  # START_RECORDING is offered on an ACTIVE call (UCCX deployments)
    recording: bool = False

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
        if participant.state == "ACTIVE" and self.recordable and not self.recording:
            actions = actions + ["START_RECORDING"]
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
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "POST", _collection_source(dialog), request_id)
    )


def publish_changed(backend, dialog, request_id=""):
    """PUT from the dialog itself: ``<dialog>``."""
    data = xmlshapes.dialog_element(dialog, tag="dialog")
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "PUT", f"/finesse/api/Dialog/{dialog.id}", request_id)
    )


def remove(backend, dialog, request_id=""):
    """Forget the dialog and publish DELETE on the collection (final state in the payload)."""
    backend.dialogs.pop(dialog.id, None)
    data = xmlshapes.dialogs_element([dialog], tag="dialogs")
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "DELETE", _collection_source(dialog), request_id)
    )


def target_address(body):
    """The ``<targetMediaAddress>`` of a Dialog request body, or None."""
    if body is None:
        return None
    element = body.find("targetMediaAddress")
    return None if element is None else (element.text or "").strip() or None


def validate_call_variable(name, value):
    """A call variable's value when its name and length are valid (callVariable1-10 ≤ 40, ECC user.* ≤ 210)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text.", data=name)
    if CALL_VARIABLE.match(name or ""):
        limit = CALL_VARIABLE_MAX
    elif ECC_VARIABLE.match(name or "") or name == POD_ID_VARIABLE:
        limit = ECC_VALUE_MAX
    else:
        raise InvalidInput(
            f"Call variable name {name!r} must be callVariable1..callVariable10, an ECC "
            f"variable user.<name> or {POD_ID_VARIABLE}.",
            data="name",
        )
    if len(value) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters.", data=name)
    return value
