"""Dialogs, shared by calls (``calls.py``) and chat/email tasks (``tasks.py``): look-ups, call variables, and the
dialog notifications (the ``Dialog`` and ``Participant`` records are in ``models.py``).

Voice dialogs publish on ``/finesse/api/User/{id}/Dialogs``; chat and email (non-voice, Task Routing) dialogs on
``/finesse/api/User/{id}/Dialogs/Media`` with source ``…/Media/{mrdId}/Dialogs`` for adds and deletes, as in
Cisco's notification reference. Every function takes the backend first and runs under its lock.
"""

import re

from lxml import etree

from . import xmlshapes
from .errors import InvalidInput, NotFound
from .models import Agent, Dialog, FinesseBackend, Media

CALL_VARIABLE = re.compile(r"^callVariable([1-9]|10)$")
ECC_VARIABLE = re.compile(r"^user\.[A-Za-z0-9_.\[\]]{1,32}$")
CALL_VARIABLE_MAX = 40
ECC_VALUE_MAX = 210
# Context Service's activity id, which CVP, SocialMiner or ECE put on the contact when they created its activity.
POD_ID_VARIABLE = "POD.ID"


# --- look-ups ---------------------------------------------------------------------------------------------


def find(backend: FinesseBackend, dialog_id: str) -> Dialog:
    """The dialog with this id, or NotFound."""
    dialog = backend.dialogs.get(str(dialog_id))
    if dialog is None:
        raise NotFound(f"Dialog {dialog_id} does not exist.", data=str(dialog_id))
    return dialog


def dialogs_of(backend: FinesseBackend, agent: Agent, voice_only: bool = True) -> list[Dialog]:
    """The agent's dialogs, oldest first (voice only unless asked)."""
    return [d for d in backend.dialogs.values() if d.agent_id == agent.id and (d.is_voice or not voice_only)]


def media_of(agent: Agent, mrd_id: str) -> Media:
    """The agent's Media for an MRD id, or NotFound."""
    media = agent.media.get(str(mrd_id))
    if media is None:
        raise NotFound(f"Media {mrd_id} does not exist.", data=str(mrd_id))
    return media


def media_dialogs_of(backend: FinesseBackend, agent: Agent, media: Media) -> list[Dialog]:
    """The agent's dialogs in one MRD."""
    return [d for d in backend.dialogs.values() if d.agent_id == agent.id and d.mrd_id == media.mrd["id"]]


# --- notifications ----------------------------------------------------------------------------------------


def _node(dialog: Dialog) -> str:
    suffix = "/Dialogs" if dialog.is_voice else "/Dialogs/Media"
    return f"/finesse/api/User/{dialog.agent_id}{suffix}"


def _collection_source(dialog: Dialog) -> str:
    if dialog.is_voice:
        return f"/finesse/api/User/{dialog.agent_id}/Dialogs"
    return f"/finesse/api/User/{dialog.agent_id}/Media/{dialog.mrd_id}/Dialogs"


def publish_added(backend: FinesseBackend, dialog: Dialog, request_id: str = "") -> None:
    """POST on the collection: ``<dialogs><Dialog>``."""
    data = xmlshapes.dialogs_element([dialog], tag="dialogs")
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "POST", _collection_source(dialog), request_id)
    )


def publish_changed(backend: FinesseBackend, dialog: Dialog, request_id: str = "") -> None:
    """PUT from the dialog itself: ``<dialog>``."""
    data = xmlshapes.dialog_element(dialog, tag="dialog")
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "PUT", f"/finesse/api/Dialog/{dialog.id}", request_id)
    )


def remove(backend: FinesseBackend, dialog: Dialog, request_id: str = "") -> None:
    """Forget the dialog and publish DELETE on the collection (final state in the payload)."""
    backend.dialogs.pop(dialog.id, None)
    data = xmlshapes.dialogs_element([dialog], tag="dialogs")
    backend.hub.publish(
        [dialog.agent_id], _node(dialog), xmlshapes.update(data, "DELETE", _collection_source(dialog), request_id)
    )


def target_address(body: etree._Element | None) -> str | None:
    """The ``<targetMediaAddress>`` of a Dialog request body, or None."""
    if body is None:
        return None
    element = body.find("targetMediaAddress")
    return None if element is None else (element.text or "").strip() or None


def validate_call_variable(name: str, value: object) -> str:
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
