"""How a call ends, and the links between the two legs of an agent-to-agent call: drop, wrap-up, the caller
hanging up, and where the agent's state goes afterwards (Finesse's rules, reference finesse.md §3).

The lower half of ``calls.py``: every function takes the backend first and runs under its lock.
"""

from .clock import now
from .dialogs import dialogs_of, publish_changed, remove
from .errors import InvalidState
from .models import Agent, Dialog, FinesseBackend
from .updates import publish_user


def link(dialog: Dialog, peer: Dialog) -> None:
    """Make two dialogs the two agents' legs of one agent-to-agent call."""
    dialog.peer_id, peer.peer_id = peer.id, dialog.id


def peer_of(backend: FinesseBackend, dialog: Dialog) -> Dialog | None:
    """The other agent's leg of an agent-to-agent call, or None."""
    return backend.dialogs.get(dialog.peer_id) if dialog.peer_id else None


def hang_up_peer(backend: FinesseBackend, dialog: Dialog) -> None:
    """One agent leaves an agent-to-agent call: the other leg ends too (unlinked first, so only once)."""
    peer = peer_of(backend, dialog)
    if peer is not None:
        dialog.peer_id = peer.peer_id = None
        remote_hangup(backend, peer)


def set_consult_connected(backend: FinesseBackend, consult: Dialog, connected: bool) -> None:
    """Tell the held call of a consult call whether the consult is connected (TRANSFER and CONFERENCE follow)."""
    held = backend.dialogs.get(consult.associated_id) if consult.associated_id else None
    if held is not None:
        held.consult_connected = connected
        if not connected:
            held.consult_id = None
        publish_changed(backend, held)


def agent_to(backend: FinesseBackend, agent: Agent, state: str) -> None:
    """Move the agent to a state their calls decide (TALKING, HOLD, RESERVED) and publish the User."""
    agent.state, agent.state_change_time = state, now()
    publish_user(backend, agent)


def end_call(backend: FinesseBackend, agent: Agent, dialog: Dialog, request_id: str = "") -> None:
    """The call ends: wrap-up (agent WORK, dialog kept) for answered incoming calls when allowed, else DELETE."""
    with backend.lock:
        hang_up_peer(backend, dialog)
        wrap_up = dialog.answered and not dialog.outgoing and agent.profile["wrapUpOnIncoming"] != "NOT_ALLOWED"
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
        set_consult_connected(backend, dialog, False)
        _settle_agent(backend, agent, dialog)


def _settle_agent(backend: FinesseBackend, agent: Agent, ended: Dialog) -> None:
    """After a call ends: HOLD/TALKING while another call is up, WORK while one is in wrap-up, else move on."""
    live = [d for d in dialogs_of(backend, agent) if d.state != "DROPPED"]
    if live:
        held = all(d.agent_participant().state == "HELD" for d in live)
        agent.state, agent.state_change_time = ("HOLD" if held else "TALKING"), now()
    elif any(d.agent_participant().state == "WRAP_UP" for d in dialogs_of(backend, agent)):
        agent.state, agent.state_change_time = "WORK", now()
    else:
        _after_call(agent, ended)
    publish_user(backend, agent)


def _after_call(agent: Agent, dialog: Dialog) -> None:
    """Back to the pending state, else to the state before the call (NOT_READY keeps its reason), else READY."""
    if agent.pending_state:
        agent.move_to(agent.pending_state, agent.reason_code_id if agent.pending_state == "NOT_READY" else None)
    elif dialog.prior_state == "NOT_READY":
        agent.move_to("NOT_READY", dialog.prior_reason)
    else:
        agent.move_to("READY")


def end_wrap_up(backend: FinesseBackend, agent: Agent) -> None:
    """Delete the agent's calls in wrap-up (the agent left WORK)."""
    for dialog in dialogs_of(backend, agent):
        if dialog.agent_participant().state == "WRAP_UP":
            dialog.agent_participant().move_to("DROPPED")
            remove(backend, dialog)


def remote_hangup(backend: FinesseBackend, dialog: Dialog) -> None:
    """The caller hangs up: a ringing call is abandoned (agent back to their state), a live one ends."""
    with backend.lock:
        agent = backend.agent(dialog.agent_id)
        if dialog.state == "ALERTING":
            hang_up_peer(backend, dialog)
            dialog.state = "DROPPED"
            for participant in dialog.participants:
                participant.move_to("DROPPED")
            remove(backend, dialog)
            _settle_agent(backend, agent, dialog)
        elif dialog.state in ("ACTIVE", "INITIATED"):
            end_call(backend, agent, dialog)
        else:
            raise InvalidState(f"Dialog {dialog.id} is {dialog.state}; nothing to hang up.", data="dialogId")
