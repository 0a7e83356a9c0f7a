"""Chat and email tasks (non-voice, Task Routing): offers in an MRD, the task actions ACCEPT, START, PAUSE,
RESUME, WRAP_UP and CLOSE, and the agent's Media sign-in and state per MRD.

Every function takes the backend first and runs under its lock; notifications go out through ``dialogs``.
"""

from collections.abc import Mapping

from lxml import etree

from .clock import now
from .dialogs import (
    dialogs_of,
    media_dialogs_of,
    media_of,
    publish_added,
    publish_changed,
    remove,
    target_address,
)
from .errors import InvalidInput, InvalidState, ParameterMissing
from .models import Agent, Dialog, FinesseBackend, Media, Participant
from .updates import publish_media

# TRANSFER hands the task to a script selector (toAddress): it leaves the agent like a CLOSE (inferred).
MEDIA_TRANSITIONS = {
    "ACCEPT": "ACCEPTED",
    "START": "ACTIVE",
    "PAUSE": "PAUSED",
    "RESUME": "ACTIVE",
    "WRAP_UP": "WRAPPING_UP",
    "CLOSE": "CLOSED",
    "TRANSFER": "CLOSED",
}
TRANSFER_TARGET_MAX = 64


def offer_media(
    backend: FinesseBackend,
    agent: Agent,
    mrd_id: str,
    from_address: str,
    call_variables: Mapping[str, str],
    to_address: str = "",
) -> Dialog:
    """A chat or email is offered to the agent in an MRD: OFFERED dialog (POST), Media READY → RESERVED."""
    with backend.lock:
        media = media_of(agent, mrd_id)
        if media.state == "LOGOUT":
            raise InvalidState(f"User {agent.id} is not signed in to {media.mrd['name']}.", data="agentId")
        open_dialogs = media_dialogs_of(backend, agent, media)
        if len(open_dialogs) >= media.max_dialog_limit:
            raise InvalidState(
                f"User {agent.id} already has {len(open_dialogs)} {media.mrd['description']} "
                f"dialogs (maxDialogLimit {media.max_dialog_limit}).",
                data="agentId",
            )
        number = backend.next_dialog_number()
        dialog = Dialog(
            id=f"{number}_{media.mrd['id']}_1",
            agent_id=agent.id,
            media_type=media.mrd["name"],
            from_address=from_address,
            to_address=to_address or agent.id,
            state="OFFERED",
            media_properties={"mediaId": media.mrd["id"], "taskName": media.mrd["description"]},
            call_variables=dict(call_variables),
            mrd_id=media.mrd["id"],
            participants=[
                Participant(agent.id, "OFFERED", True, media=True),
                Participant(from_address, "ACTIVE", False, media=True),
            ],
        )
        backend.dialogs[dialog.id] = dialog
        publish_added(backend, dialog)
        if media.state == "READY":
            media.state, media.state_change_time = "RESERVED", now()
            publish_media(backend, agent, media)
        return dialog


def media_action(
    backend: FinesseBackend,
    agent: Agent,
    dialog: Dialog,
    action: str,
    request_id: str = "",
    target: str | None = None,
    to_address: str | None = None,
) -> None:
    """ACCEPT, START, PAUSE, RESUME, WRAP_UP, TRANSFER (to the script selector ``to_address``) or CLOSE on a
    chat or email dialog."""
    with backend.lock:
        if action == "TRANSFER":
            _check_transfer_target(to_address)
        participant = dialog.agent_participant()
        if target is not None and target not in (agent.id, agent.profile["extension"]):
            raise InvalidInput(f"targetMediaAddress {target} is not you ({agent.id}).", data="targetMediaAddress")
        if action not in participant.actions():
            raise InvalidState(
                f"{action} is not allowed while the dialog is {dialog.state}; allowed: "
                f"{', '.join(participant.actions()) or 'none'}.",
                data="requestedAction",
            )
        new_state = MEDIA_TRANSITIONS[action]
        if new_state == "CLOSED":
            _close(backend, dialog, request_id)
        else:
            dialog.state = new_state
            participant.move_to(new_state)
            publish_changed(backend, dialog, request_id)
        media = media_of(agent, dialog.mrd_id or "")  # a chat or email dialog always has its MRD
        if action == "ACCEPT" and media.state == "RESERVED":
            media.state, media.state_change_time = "READY", now()
            publish_media(backend, agent, media)


def request_action(
    backend: FinesseBackend, agent: Agent, dialog: Dialog, action: str, body: etree._Element, request_id: str = ""
) -> None:
    """``PUT /finesse/api/Dialog/{id}`` on a chat or email task."""
    to_address = (body.findtext("toAddress") or "").strip() if body is not None else None
    return media_action(backend, agent, dialog, action, request_id, target_address(body), to_address)


def _check_transfer_target(to_address: str | None) -> None:
    if not to_address:
        raise ParameterMissing("toAddress (the script selector) is required for TRANSFER.", data="toAddress")
    if len(to_address) > TRANSFER_TARGET_MAX:
        raise InvalidInput(f"toAddress is longer than {TRANSFER_TARGET_MAX} characters.", data="toAddress")


def _close(backend: FinesseBackend, dialog: Dialog, request_id: str = "") -> None:
    dialog.state = "CLOSED"
    for participant in dialog.participants:
        participant.move_to("CLOSED")
    remove(backend, dialog, request_id)


def close_all_media_dialogs(backend: FinesseBackend, agent: Agent) -> None:
    """Sign-out closes the agent's chats and emails (dialogLogoutAction CLOSE)."""
    for dialog in dialogs_of(backend, agent, voice_only=False):
        if not dialog.is_voice:
            _close(backend, dialog)


def change_media(
    backend: FinesseBackend, agent: Agent, media: Media, body: etree._Element, request_id: str = ""
) -> None:
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
        publish_media(backend, agent, media, request_id)


def _media_login(media: Media, body: etree._Element) -> None:
    limit_text = (body.findtext("maxDialogLimit") or "").strip()
    if limit_text:
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= 10:
            raise InvalidInput(f"maxDialogLimit must be 1-10, got {limit_text!r}.", data="maxDialogLimit")
        media.max_dialog_limit = int(limit_text)
    interrupt = (body.findtext("interruptAction") or "").strip()
    if interrupt:
        if interrupt not in ("ACCEPT", "IGNORE"):
            raise InvalidInput(f"interruptAction must be ACCEPT or IGNORE, got {interrupt!r}.", data="interruptAction")
        media.interrupt_action = interrupt
    logout_action = (body.findtext("dialogLogoutAction") or "").strip()
    if logout_action:
        if logout_action not in ("CLOSE", "TRANSFER"):
            raise InvalidInput(
                f"dialogLogoutAction must be CLOSE or TRANSFER, got {logout_action!r}.", data="dialogLogoutAction"
            )
        media.dialog_logout_action = logout_action
