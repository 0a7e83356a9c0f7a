"""The screen pop in one call: the look-up of the interaction's identity and, for a single match, its journey;
with the interaction's dialog, whether it is recorded already and, if not, a ``prepared`` token for its create.
"""

from typing import Any

from . import activities, comments, customers, idempotency, journey, shapes
from .prepared import Prepared


def screen_pop(
    backend: Any,
    agent: Any,
    identity: dict[str, str | None],
    max_entries: int,
    dialog_id: str | None = None,
    media_type: str | None = None,
) -> dict[str, Any]:
    """``{matches: [Customer + lastContact], count, journey, recorded, prepared}``.

    ``identity``: ``{phone, email, chat}``. ``journey`` (first page) only for a single match. With a
    ``dialog_id``: ``recorded``, the activity already stored for the dialog (with its comments), else None;
    ``prepared``, for a single match and a dialog not recorded, the signed token of the checks a create needs
    (``prepared.py``), else None. A single match costs three Context Service rounds: the look-up beside the
    dialog-link search, the journey's searches (which also give ``lastContact`` and the open request the
    create joins), the comments of its activities.
    """
    link = activities.dialog_link(dialog_id) if dialog_id else None
    found, stored = backend.parallel(
        lambda: customers.matching(backend, identity.get("phone"), identity.get("email"), identity.get("chat")),
        lambda: activities.recorded(backend, link) if link else None,
    )
    if len(found) != 1:
        answer, recorded = backend.parallel(
            lambda: customers.lookup_answer(backend, found), lambda: _with_comments(backend, stored)
        )
        return dict(answer, journey=None, recorded=recorded, prepared=None)
    reads = journey.read(backend, found[0]["id"], 0, max_entries)
    token = None
    if dialog_id and not stored and not reads.more_requests:
        token = _token(backend, agent, reads, dialog_id, media_type, found[0]["id"])
    shown, recorded = backend.parallel(lambda: journey.shaped(backend, reads), lambda: _with_comments(backend, stored))
    return {
        "matches": [dict(shapes.customer(found[0]), lastContact=reads.last_contact)],
        "count": 1,
        "journey": shown,
        "recorded": recorded,
        "prepared": token,
    }


def _token(
    backend: Any, agent: Any, reads: journey.JourneyReads, dialog_id: str, media_type: str | None, customer_id: str
) -> str:
    """The prepared token: the create of this dialog joins the newest open request of the journey (never one
    waiting for another activity), or a new one."""
    own_tag = idempotency.for_tag(activities.dialog_link(dialog_id))
    target = reads.newest_open_request(own_tag)
    request_id = target["id"] if target else activities.NEW
    return str(backend.prepared.sign(Prepared(agent.id, dialog_id, media_type, customer_id, request_id)))


def _with_comments(backend: Any, wire: dict[str, Any] | None) -> dict[str, Any] | None:
    """The recorded activity in the gadget's shape with its comments (None stays None)."""
    if wire is None:
        return None
    return shapes.activity(wire, comments.for_activities(backend, [wire["id"]]).get(wire["id"], []))
