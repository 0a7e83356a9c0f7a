"""Mapping between Context Service's wire objects and the gadget's JSON shapes (docs/architecture.md)."""

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

# A Context Service object as its REST API sends and takes it (reference/context-service.md §1): ``id``,
# ``fieldsets``, ``dataElements``, ``tags``, ``parentId``/``parentRefUrl``… Only some keys are always there.
Wire = dict[str, Any]
# An object in the gadget's JSON shape (docs/architecture.md): what the API answers.
Shaped = dict[str, Any]
# ``{field id: value}`` of an object's ``dataElements``.
Fields = dict[str, Any]


class Location(TypedDict):
    """Where an activity is: its customer and request (either may be missing)."""

    customerId: str | None
    requestId: str | None


# A recorded move: ``from`` is a Python keyword, hence the functional form.
Move = TypedDict(
    "Move",
    {
        "id": str,
        "activityId": str | None,
        "by": str | None,
        "at": str | None,
        "from": Location,
        "to": Location,
        "undone": bool,
    },
)

MOVE_TAG = "cc-gadget-move"
UNDO_TAG = "cc-gadget-undo"
# Tags the proxy keeps for itself on customers, requests, activities and comments (docs/gadget-plugin.md):
# the idempotency key of the create that made the object, the mark of a concurrently recorded twin, the mark
# of a request made for an activity (``FOR_TAG_PREFIX``) and that of an activity written into a guessed request
# (``GUESS_TAG``, ``guess.py``). Each is one alphanumeric word, so no whole-word search an agent types matches it.
KEY_TAG_PREFIX = "cckey"
FOR_TAG_PREFIX = "ccfor"
TWIN_TAG = "ccgadgettwin"
GUESS_TAG = "ccgadgetguess"
HIDDEN_TAG = re.compile(rf"^(?:(?:{KEY_TAG_PREFIX}|{FOR_TAG_PREFIX})[0-9a-f]{{32}}|{TWIN_TAG}|{GUESS_TAG})$")


def data_elements(fields: Mapping[str, Any], field_types: Mapping[str, str]) -> list[dict[str, Any]]:
    """Wire ``dataElements`` for ``{field: value}``: ``[{"<field>": value, "type": "<dataType>"}]``, empty left out."""
    return [
        {key: value, "type": field_types.get(key, "string")}
        for key, value in fields.items()
        if value is not None and value != ""
    ]


def fields_of(wire: Wire) -> Fields:
    """``{field: value}`` from a wire object's ``dataElements`` (either wire encoding)."""
    fields: Fields = {}
    for element in wire.get("dataElements") or []:
        if "key" in element:
            fields[element["key"]] = element.get("value")
        else:
            fields.update({key: value for key, value in element.items() if key != "type"})
    return fields


def parent_id(wire: Wire) -> str | None:
    """The wire object's parent id (``parentId`` or the last segment of ``parentRefUrl``)."""
    return wire.get("parentId") or _ref_id(wire.get("parentRefUrl"))


def customer_id(wire: Wire) -> str | None:
    """The wire object's customer id (``customerId`` or the last segment of ``customerRefUrl``)."""
    return wire.get("customerId") or _ref_id(wire.get("customerRefUrl"))


def visible_tags(wire: Wire) -> list[str]:
    """The object's tags the agent sees (the proxy's own hidden tags left out)."""
    return [tag for tag in wire.get("tags") or [] if not HIDDEN_TAG.match(tag)]


def age(wire: Wire) -> tuple[str, str]:
    """Sort key of twins: the first stored (oldest ``created``, then lowest id) is the one every process keeps."""
    return wire.get("created") or "", wire["id"]


def dialog_link(wire: Wire) -> str | None:
    """The Finesse dialog an activity records (``Context_POD_Activity_Link``), or None."""
    return fields_of(wire).get("Context_POD_Activity_Link")


def made_for_activity(wire: Wire) -> bool:
    """True for a request the proxy made to receive an activity (a new request of a record or a move)."""
    return any(tag.startswith(FOR_TAG_PREFIX) and HIDDEN_TAG.match(tag) for tag in wire.get("tags") or [])


def hidden_tags(wire: Wire) -> list[str]:
    """The proxy's own tags on the object (kept on every update)."""
    return [tag for tag in wire.get("tags") or [] if HIDDEN_TAG.match(tag)]


def object_id(wire: Wire) -> str | None:
    """The wire object's id (``id`` or the last segment of ``refUrl``, as a create answer may give it)."""
    return wire.get("id") or _ref_id(wire.get("refUrl"))


def _ref_id(ref_url: str | None) -> str | None:
    return ref_url.rstrip("/").rsplit("/", 1)[-1] if ref_url else None


def display_name(fields: Mapping[str, Any]) -> str:
    """Name → email → phone → "Unknown Customer", as the gadget shows a customer."""
    name = " ".join(part for part in (fields.get("Context_First_Name"), fields.get("Context_Last_Name")) if part)
    for candidate in (
        name,
        fields.get("Context_Home_Email"),
        fields.get("Context_Work_Email"),
        fields.get("Context_Mobile_Phone"),
        fields.get("Context_Home_Phone"),
        fields.get("Context_Work_Phone"),
    ):
        if candidate:
            return candidate
    return "Unknown Customer"


def _common(wire: Wire) -> Shaped:
    return {
        "id": wire["id"],
        "created": wire.get("created"),
        "lastUpdated": wire.get("lastUpdated"),
        "fieldsets": list(wire.get("fieldsets") or []),
        "fields": fields_of(wire),
    }


def customer(wire: Wire) -> Shaped:
    """Customer ``{id, created, lastUpdated, fieldsets, fields, displayName}``."""
    shaped = _common(wire)
    shaped["displayName"] = display_name(shaped["fields"])
    return shaped


def request(wire: Wire) -> Shaped:
    """Request ``{id, customerId, state, created, lastUpdated, closedAt, fieldsets, fields, tags}``."""
    shaped = _common(wire)
    state = wire.get("state") or "active"
    shaped.update(
        customerId=customer_id(wire),
        state=state,
        tags=visible_tags(wire),
        closedAt=wire.get("lastUpdated") if state == "closed" else None,
    )
    return shaped


def activity(wire: Wire, comments: Iterable[Shaped] | None = ()) -> Shaped:
    """Activity ``{id, customerId, requestId, mediaType, state, …, tags, contributors, comments}`` (``comments``
    None: not read yet)."""
    shaped = _common(wire)
    shaped.update(
        customerId=customer_id(wire),
        requestId=parent_id(wire),
        mediaType=wire.get("mediaType"),
        state=wire.get("state") or "active",
        tags=visible_tags(wire),
        contributors=list(wire.get("contributors") or []),
        comments=None if comments is None else list(comments),
    )
    return shaped


def is_move_record(wire: Wire) -> bool:
    """True for the hidden detail objects that record moves and undos (not agent comments)."""
    tags = set(wire.get("tags") or [])
    return MOVE_TAG in tags or UNDO_TAG in tags


def comment(wire: Wire) -> Shaped:
    """Comment ``{id, activityId, text, author, created}`` from a ``detail.comment``."""
    fields = fields_of(wire)
    return {
        "id": wire["id"],
        "activityId": parent_id(wire),
        "text": fields.get("Context_Comment", ""),
        "author": fields.get("Context_DisplayName", ""),
        "created": wire.get("created"),
    }


def move_record_fields(move: Mapping[str, Any], by_name: str) -> Fields:
    """``cisco.base.comment`` fields of the hidden detail that records a move (JSON in Context_Comment)."""
    return {
        "Context_Comment": json.dumps(move, separators=(",", ":")),
        "Context_DisplayName": by_name,
        "Context_Visible": False,
    }


def move(wire: Wire, undone: bool) -> Move:
    """Move ``{id, activityId, by, at, from, to, undone}`` from its recording detail."""
    recorded = json.loads(fields_of(wire).get("Context_Comment") or "{}")
    return {
        "id": wire["id"],
        "activityId": parent_id(wire),
        "by": recorded.get("by"),
        "at": recorded.get("at") or wire.get("created"),
        "from": recorded.get("from"),
        "to": recorded.get("to"),
        "undone": undone,
    }
