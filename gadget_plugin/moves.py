"""Moving an activity to another request (open or new) or another customer, recorded and undoable.

Each move is recorded in Context Service as a hidden ``detail.comment`` under the activity (tag
``cc-gadget-move``, ``Context_Visible`` false, ``Context_Comment`` = JSON ``{by, at, from, to}``); an undo
adds a second hidden detail (tag ``cc-gadget-undo``, ``{"undo": <move id>, by, at}``). Details are
immutable, so the history cannot be rewritten. Every check runs before the first write; a new request is
created only after the move is known to be allowed (tagged for the activity, so a retry reuses it), and if
recording the move fails the activity is moved back, so no move is ever left unrecorded. A write whose answer
was lost is checked before anything is undone: an activity that did move, or a record that was stored, counts
as done (docs/gadget-plugin.md, "Write order").
"""

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from . import activities, comments, idempotency, open_requests, shapes, store, validation
from .agent_auth import Agent
from .backend import Backend
from .errors import Conflict, GadgetError, NotFound, ValidationFailed
from .shapes import Location, Shaped, Wire

NEW = activities.NEW
log = logging.getLogger(__name__)


class Target(TypedDict):
    """Where a move takes an activity: always to a customer; into a request, a new one (``"new"``) or none."""

    customerId: str
    requestId: str | None


class Moved(TypedDict):
    """The answer of a move or an undo: the activity where it is now, and the move."""

    activity: Shaped
    move: shapes.Move


def location(wire: Wire) -> Location:
    """``{customerId, requestId}`` of an activity."""
    return {"customerId": shapes.customer_id(wire), "requestId": shapes.parent_id(wire)}


def move(backend: Backend, agent: Agent, activity_id: str, body: Mapping[str, Any]) -> Moved:
    """Move per ``{requestId: <id>|"new"|null, customerId?, lastUpdated}``; returns ``{activity, move}``."""
    last_updated = validation.last_updated(body)
    wire = store.get(backend, "pod", activity_id)
    store.check_fresh(wire, "pod", last_updated)
    source = location(wire)
    if source["requestId"]:
        store.require_open(
            store.get(backend, "request", source["requestId"]),
            "This activity belongs to a closed request and cannot be moved.",
        )
    target = _checked_target(backend, source, body)
    backend.dictionary.field_types()  # the move record needs it: in hand before the first write
    new_request = target["requestId"] == NEW
    if new_request:
        target["requestId"] = _request_for(backend, agent, wire, target["customerId"])
    try:
        moved = _relocate(backend, agent, wire, last_updated, target)
    except GadgetError as exc:
        if new_request:
            exc.message += activities.RETRY_FILLS_REQUEST
        raise
    record = _record(backend, agent, activity_id, {"from": source, "to": target}, shapes.MOVE_TAG, moved, wire)
    return {"activity": activities.get(backend, activity_id), "move": shapes.move(record, undone=False)}


def assign(backend: Backend, agent: Agent, body: Mapping[str, Any]) -> Shaped:
    """``{activityId, customerId?}``: the activity another product created for the contact (the dialog's
    ``POD.ID``).

    With a customer already, or without ``customerId``, it is returned as it is. Otherwise it moves to the
    customer's newest open request (or a new one), recorded as a move like any other.
    """
    activity_id = validation.text(body.get("activityId"), "activityId", required=True, limit=128)
    customer_id = validation.text(body.get("customerId"), "customerId", limit=128)
    wire = store.get(backend, "pod", activity_id, field="activityId")
    if shapes.customer_id(wire) or not customer_id:
        return activities.get(backend, activity_id, lambda: wire)
    request = open_requests.newest_open_request(backend, customer_id)
    moved = move(
        backend,
        agent,
        activity_id,
        {"customerId": customer_id, "lastUpdated": wire["lastUpdated"], "requestId": request["id"] if request else NEW},
    )
    return moved["activity"]


def undo(backend: Backend, agent: Agent, move_id: str) -> Moved:
    """Move the activity back where the move took it from; returns ``{activity, move}`` (undone)."""
    record = store.get(backend, "detail", move_id)
    if shapes.MOVE_TAG not in (record.get("tags") or []):
        raise NotFound(f"No move with id {move_id}.", field="id")
    done = shapes.move(record, undone=False)
    activity_id = done["activityId"]
    if not activity_id:
        raise NotFound(f"No move with id {move_id}.", field="id")  # a record under no activity moved nothing
    wire = store.get(backend, "pod", activity_id)
    if move_id in undone_moves(backend, activity_id):
        raise Conflict("This move has already been undone.", current=shapes.activity(wire))
    if location(wire) != done["to"]:
        raise Conflict("The activity has moved again since; undo the newer move first.", current=shapes.activity(wire))
    if done["to"]["requestId"]:
        store.require_open(
            store.get(backend, "request", done["to"]["requestId"]),
            "The activity is now in a closed request and cannot be moved back.",
        )
    if done["from"]["requestId"]:
        store.require_open(
            store.get(backend, "request", done["from"]["requestId"]),
            "The request the activity came from is closed; it cannot be moved back.",
        )
    moved = _relocate(backend, agent, wire, wire["lastUpdated"], done["from"])
    _record(backend, agent, activity_id, {"undo": move_id}, shapes.UNDO_TAG, moved, wire)
    _drop_left_empty(backend, done["to"]["requestId"], done["to"]["customerId"], activity_id)
    return {"activity": activities.get(backend, activity_id), "move": {**done, "undone": True}}


def _drop_left_empty(backend: Backend, request_id: str | None, customer_id: str | None, activity_id: str) -> None:
    """In lab mode, delete the request a move of this activity made once the undo has left it empty (Context
    Service deletes nothing in production: there it stays, not shown while empty, for the next move to reuse)."""
    if not backend.config["LAB_MODE"] or not request_id:
        return
    try:
        request = backend.cs.get("request", request_id)
        if (
            set(made_for_tags(activity_id, customer_id)) & set(request.get("tags") or [])
            and not shapes.fields_of(request)
            and not store.search(backend, "pod", [("parentId", request_id)], max_entries=1)[0]
        ):
            backend.cs.delete("request", request_id)
    except GadgetError:
        log.warning("empty request left by an undone move not deleted", extra={"requestId": request_id})


def undone_moves(backend: Backend, activity_id: str) -> set[str]:
    """Ids of the moves of this activity that have been undone."""
    undone: set[str] = set()
    for detail in comments.details_of(backend, [activity_id]):
        if shapes.UNDO_TAG in (detail.get("tags") or []):
            undone.add(json.loads(shapes.fields_of(detail).get("Context_Comment") or "{}").get("undo"))
    return undone


def _checked_target(backend: Backend, source: Location, body: Mapping[str, Any]) -> Target:
    customer_id = validation.text(body.get("customerId"), "customerId", limit=128) or source["customerId"]
    if not customer_id:
        raise ValidationFailed("This activity has no customer yet: send customerId.", field="customerId")
    if customer_id != source["customerId"]:
        store.get(backend, "customer", customer_id, field="customerId")
    request_id: str | None = body.get("requestId")
    if request_id not in (None, NEW):
        request_id = validation.text(request_id, "requestId", limit=128)
        if request_id is None:  # blank: neither a request nor "new" nor null (which would leave every request)
            raise ValidationFailed('requestId must be a request id, "new" or null.', field="requestId")
        target_request = store.get(backend, "request", request_id, field="requestId")
        store.require_open(target_request, "Activities can move to open or new requests only; this one is closed.")
        if shapes.customer_id(target_request) != customer_id:
            raise ValidationFailed("requestId belongs to another customer.", field="requestId")
    target: Target = {"customerId": customer_id, "requestId": request_id}
    if target == source:
        raise ValidationFailed("The activity is already there.", field="requestId")
    return target


def made_for_tags(activity_id: str, customer_id: str | None) -> list[str]:
    """The hidden tags that mark a request a move of the activity to the customer made: the one written now
    (customer and activity, so it says whose move it is), then the one written before the customer was in it
    ("move <activity id>"), read only, so a request such a move left empty is still found and reused."""
    return [idempotency.for_tag(f"move {customer_id} {activity_id}"), idempotency.for_tag(f"move {activity_id}")]


def _request_for(backend: Backend, agent: Agent, wire: Wire, customer_id: str) -> str:
    """The id of the new request the activity moves into: one an earlier move of it to this customer made and
    left empty (its answer lost, or the move failed or was undone) when it is still open, else a new one."""
    tags = made_for_tags(wire["id"], customer_id)
    for earlier in idempotency.find_all(backend, "request", tags):
        if (
            earlier.get("state") != "closed"
            and shapes.customer_id(earlier) == customer_id
            and earlier["id"] != shapes.parent_id(wire)
            and not store.search(backend, "pod", [("parentId", earlier["id"])], max_entries=1)[0]
        ):
            return earlier["id"]
    return activities.new_request(backend, agent, customer_id, tags[0])["id"]


def _relocate(backend: Backend, agent: Agent, wire: Wire, last_updated: str, target: Location | Target) -> Wire:
    """PUT the activity to ``target``; the stored activity. When the answer is lost (a 5xx) the activity is read
    again: if it is at ``target`` with a newer version, the PUT was stored and the move goes on."""
    try:
        return store.updated(
            backend,
            "pod",
            wire,
            {
                "lastUpdated": last_updated,
                "customerId": target["customerId"],
                "parentId": target["requestId"],
                "contributors": store.with_contributor(wire, agent),
            },
        )
    except GadgetError as exc:
        now = _stored_anyway(exc, lambda: backend.cs.get("pod", wire["id"]))
        if now and now.get("lastUpdated") != last_updated and location(now) == target:
            return now
        raise


def _record(
    backend: Backend,
    agent: Agent,
    activity_id: str,
    what: Mapping[str, Any],
    tag: str,
    moved: Wire,
    original: Wire,
) -> Wire:
    """Create the hidden detail; if that fails (and it was not stored after all), put the activity back and
    report."""
    entry = {"by": agent.id, "at": moved["lastUpdated"], **what}
    fields = shapes.move_record_fields(entry, agent.display_name)
    key = idempotency.key_tag("detail", agent, f"{tag} {activity_id} {moved['lastUpdated']}")
    try:
        return store.create(
            backend,
            "detail",
            {
                "type": "detail.comment",
                "parentId": activity_id,
                "fieldsets": [store.COMMENT_FIELDSET],
                "tags": [tag, key],
                "contributors": [store.contributor(agent)],
                "dataElements": shapes.data_elements(fields, backend.dictionary.field_types()),
            },
        )
    except GadgetError as exc:
        stored = _stored_anyway(exc, lambda: idempotency.find(backend, "detail", key))
        if stored:
            return stored
        _put_back(backend, moved, original)
        exc.message += " The move could not be recorded, so the activity was put back where it was."
        raise


def _stored_anyway(error: GadgetError, read: Callable[[], Wire | None]) -> Wire | None:
    """After a write failed with ``error``: what ``read`` finds when the failure may hide a stored write (a 5xx:
    the answer, not the write, may have been lost), else None. A failing read finds nothing."""
    if error.status < 500:
        return None
    try:
        return read()
    except GadgetError:
        return None


def _put_back(backend: Backend, moved: Wire, original: Wire) -> None:
    try:
        backend.cs.update(
            "pod",
            moved["id"],
            {
                "lastUpdated": moved["lastUpdated"],
                **{"customerId": shapes.customer_id(original), "parentId": shapes.parent_id(original)},
            },
        )
    except GadgetError:
        log.error("activity moved but neither recorded nor put back", extra={"activityId": moved["id"]})
