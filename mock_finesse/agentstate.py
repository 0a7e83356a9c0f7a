"""Finesse's agent state rules: sign-in, READY / NOT_READY (pending while on a call), sign-out, end of wrap-up.

Every function takes the backend first and runs under its lock; the agent's User and Media changes are
published through ``updates``.
"""

from . import call_endings, tasks
from .errors import InvalidInput, InvalidState
from .models import Agent, Dialog, FinesseBackend
from .updates import publish_media, publish_user

ON_CALL_STATES = ("RESERVED", "TALKING", "HOLD")
WRAP_UP_STATES = ("WORK", "WORK_READY")
FOLLOWS_CALLS = (
    "RESERVED",
    "TALKING",
    "HOLD",
    "WORK",
    "WORK_READY",
    "RESERVED_OUTBOUND",
    "RESERVED_OUTBOUND_PREVIEW",
    "UNKNOWN",
)
SETTABLE_STATES = ("LOGIN", "READY", "NOT_READY", "LOGOUT")


def change_agent_state(
    backend: FinesseBackend,
    agent: Agent,
    state: str,
    reason_code_id: str | None = None,
    extension: str | None = None,
    request_id: str = "",
) -> None:
    """Apply a PUT User state change (LOGIN, READY, NOT_READY, LOGOUT) with Finesse's rules."""
    with backend.lock:
        if state in FOLLOWS_CALLS:
            raise InvalidInput(f"Agents cannot set state {state}; it follows their calls.", data="state")
        if state not in SETTABLE_STATES:
            raise InvalidInput(f"state must be one of {', '.join(SETTABLE_STATES)}, got {state!r}.", data="state")
        media_changed = False
        if state == "LOGIN":
            media_changed = _login(agent, extension)
        elif not agent.signed_in:
            raise InvalidState(f"User {agent.id} is signed out; sign in (state LOGIN) first.", data="state")
        elif state == "LOGOUT":
            media_changed = _logout(backend, agent, reason_code_id)
        else:
            _ready_or_not(backend, agent, state, reason_code_id)
        publish_user(backend, agent, request_id)
        for media in agent.media.values() if media_changed else ():
            publish_media(backend, agent, media)


def _login(agent: Agent, extension: str | None) -> bool:
    if extension is None or not str(extension).strip():
        raise InvalidInput("extension is required to sign in.", data="extension")
    if str(extension).strip() != agent.profile["extension"]:
        raise InvalidInput(f"extension {extension} is not the device of user {agent.id}.", data="extension")
    if agent.signed_in:
        return False
    agent.move_to("NOT_READY")
    agent.move_all_media_to("NOT_READY")
    return True


def _logout(backend: FinesseBackend, agent: Agent, reason_code_id: str | None) -> bool:
    if agent.state != "NOT_READY":
        raise InvalidState(f"User {agent.id} must be NOT_READY to sign out (state is {agent.state}).", data="state")
    if reason_code_id is not None:
        backend.reason_code(reason_code_id, "LOGOUT")
    tasks.close_all_media_dialogs(backend, agent)
    agent.move_to("LOGOUT", reason_code_id)
    agent.move_all_media_to("LOGOUT")
    return True


def _ready_or_not(backend: FinesseBackend, agent: Agent, state: str, reason_code_id: str | None) -> None:
    if reason_code_id is not None and state == "NOT_READY":
        backend.reason_code(reason_code_id, "NOT_READY")
    elif reason_code_id is not None:
        raise InvalidInput("reasonCodeId applies to NOT_READY and LOGOUT only.", data="reasonCodeId")
    if agent.state in ON_CALL_STATES:
        agent.pending_state = state
        agent.reason_code_id = reason_code_id if state == "NOT_READY" else agent.reason_code_id
        return
    if agent.state in WRAP_UP_STATES:
        call_endings.end_wrap_up(backend, agent)
    agent.move_to(state, reason_code_id)


def sign_out(backend: FinesseBackend, agent: Agent) -> None:
    """Desktop sign-out: NOT_READY first when needed, then LOGOUT; refused while on a call."""
    with backend.lock:
        if agent.state in ON_CALL_STATES:
            raise InvalidState("End your call before signing out.", data="state")
        if agent.state != "NOT_READY" and agent.signed_in:
            change_agent_state(backend, agent, "NOT_READY")
        if agent.signed_in:
            change_agent_state(backend, agent, "LOGOUT")


def finish_wrap_up(backend: FinesseBackend, dialog: Dialog, state: str | None = None) -> None:
    """The wrap-up timer runs out: the agent moves to ``state`` (default: the pending state, else READY)."""
    with backend.lock:
        agent = backend.agent(dialog.agent_id)
        if dialog.agent_participant().state != "WRAP_UP":
            raise InvalidState(f"Dialog {dialog.id} is not in wrap-up.", data="dialogId")
        target = state or agent.pending_state or "READY"
        reason = agent.reason_code_id if target == "NOT_READY" and agent.pending_state == "NOT_READY" else None
        change_agent_state(backend, agent, target, reason_code_id=reason)
