"""Context Service objects: create, get, update, delete and flush, with the rules of context-service.md §1-2.

Objects live in two partitions, lab and production (header ``cisco-context-labmode``). A request closes
itself 5 days after the last update of the request or of any activity under it; that is evaluated on the
mock clock whenever objects are read or written, and the closing moment becomes its ``lastUpdated``.
"""

import datetime as dt
import json
import sqlite3
import uuid
from typing import Any, TypedDict

from ..errors import Conflict, NotFound, PayloadTooLarge, ValidationFailed
from ..shapes import Row, Store, Wire
from . import elements, search_index
from .links import resolve_links
from .exceptions import LabModeOnly, ObjectClosed
from .wire import (
    DETAIL_TYPES,
    MEDIA_TYPES,
    STATES,
    format_ms,
    parse_timestamp,
    path_type_of,
    placeholders,
    ref_url,
    stored_types,
    to_ms,
    to_wire,
)

AUTO_CLOSE_MS = 5 * 24 * 3600 * 1000
LINK_PROPERTIES = ("customerId", "customerRefUrl", "parentId", "parentRefUrl")
OBJECT_PROPERTIES = {
    "type",
    "mediaType",
    "fieldsets",
    "dataElements",
    "tags",
    "contributors",
    "state",
    *LINK_PROPERTIES,
}
# Properties a client may echo back from a GET; the server owns their values. ``trackingId`` is what clients
# copy from the ``trackingid`` header into the object they send back (issue #11).
SERVER_OWNED = {"id", "refUrl", "created", "lastUpdated", "workgroups", "trackingId"}
# A detail created without ``type`` (the path names the kind): feedback on the rating fieldset, else a
# comment (inferred; [CSU] creates comments so).
FEEDBACK_FIELDSET = "cisco.base.rating"


class Created(TypedDict):
    """The answer to a create: ``id`` and ``refUrl`` [reference/context-service.md §2.2, CSU], and ``lastUpdated``."""

    id: str
    refUrl: str
    lastUpdated: str


class Properties(TypedDict):
    """An object's validated properties: its media type, its stored document and, for the search index, its
    data element values and their fields."""

    media_type: str | None
    doc: Wire
    values: dict[str, Any]
    fields: dict[str, Wire]


# --- auto-close ------------------------------------------------------------------------------------------


def close_due_requests(db: sqlite3.Connection, now_ms: int) -> None:
    """Close every active request whose 5 quiet days are over; its ``lastUpdated`` becomes the closing moment."""
    db.execute(
        "UPDATE cs_object SET state = 'closed', last_updated_ms = MAX(close_at_ms, last_updated_ms + 1) "
        "WHERE type = 'request' AND state = 'active' AND close_at_ms <= ?",
        (now_ms,),
    )


def _keep_request_open(db: sqlite3.Connection, request_pk: int, now_ms: int) -> None:
    """An activity written under an open request: the request stays open 5 more days from now."""
    db.execute(
        "UPDATE cs_object SET close_at_ms = MAX(close_at_ms, ?) WHERE pk = ? AND state = 'active'",
        (now_ms + AUTO_CLOSE_MS, request_pk),
    )


# --- reading ---------------------------------------------------------------------------------------------


def load_row(db: sqlite3.Connection, path_type: str, object_id: str, lab: bool) -> sqlite3.Row:
    """The stored row of ``object_id`` in the partition, among the path type's stored types; NotFound."""
    types = stored_types(path_type)
    row = db.execute(
        f"SELECT * FROM cs_object WHERE id = ? AND lab = ? AND type IN ({placeholders(types)})",
        (object_id, int(lab), *types),
    ).fetchone()
    if row is None:
        mode = "lab" if lab else "production"
        raise NotFound(f"No {path_type} with id {object_id} in {mode} mode.", field="id")
    return row


def get_object(backend: Store, path_type: str, object_id: str, lab: bool) -> Wire:
    """One object in wire shape; NotFound when it is not in this partition."""
    with backend.transaction() as db:
        close_due_requests(db, to_ms(backend.clock.now()))
        return to_wire(load_row(db, path_type, object_id, lab))


def counts(backend: Store) -> dict[str, dict[str, int]]:
    """``{"production": {type: n}, "lab": {type: n}}`` over every stored object."""
    result: dict[str, dict[str, int]] = {"production": {}, "lab": {}}
    with backend.lock:
        for row in backend.db.execute("SELECT lab, type, COUNT(*) FROM cs_object GROUP BY lab, type"):
            result["lab" if row[0] else "production"][row[1]] = row[2]
    return result


# --- writing ---------------------------------------------------------------------------------------------


def create_object(backend: Store, path_type: str, body: object, lab: bool, at: dt.datetime | None = None) -> Created:
    """Store a new object; returns ``{id, refUrl, lastUpdated}``. ``at`` back-dates it (demo data only)."""
    types = stored_types(path_type)
    body = _checked_body(body)
    if "id" in body:
        raise ValidationFailed("id is assigned by Context Service; leave it out when creating.", field="id")
    obj_type = _body_type(body.get("type"), types, path_type, body.get("fieldsets"))
    moment = at or backend.clock.now()
    now_ms = to_ms(moment)
    with backend.transaction() as db:
        close_due_requests(db, now_ms)
        customer_id, parent = resolve_links(db, obj_type, body, lab)
        props = _properties(backend, obj_type, body)
        state = _initial_state(obj_type, body.get("state"))
        row: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "lab": int(lab),
            "type": obj_type,
            "customer_id": customer_id,
            "parent_id": parent["id"] if parent else None,
            "media_type": props["media_type"],
            "state": state,
            "created_ms": now_ms,
            "last_updated_ms": now_ms,
            "close_at_ms": now_ms + AUTO_CLOSE_MS if obj_type == "request" else None,
            "doc": json.dumps(props["doc"], ensure_ascii=False),
        }
        _check_size(backend, row)
        cursor = db.execute(
            "INSERT INTO cs_object (id, lab, type, customer_id, parent_id, media_type, state, created_ms, "
            "last_updated_ms, close_at_ms, doc) VALUES (:id, :lab, :type, :customer_id, :parent_id, :media_type, "
            ":state, :created_ms, :last_updated_ms, :close_at_ms, :doc)",
            row,
        )
        pk = cursor.lastrowid
        assert pk is not None  # an INSERT always sets it
        _store_search_data(db, pk, row, props)
        if parent is not None and obj_type == "activity":
            _keep_request_open(db, parent["pk"], now_ms)
    return {"id": row["id"], "refUrl": ref_url(obj_type, row["id"]), "lastUpdated": format_ms(now_ms)}


def update_object(backend: Store, path_type: str, object_id: str, body: object, lab: bool) -> Wire:
    """Update an object carrying its current ``lastUpdated``; properties left out keep their value.

    Returns the stored object. Closed requests and details refuse (OBJECT_CLOSED); a stale ``lastUpdated``
    gets CONFLICT with the stored object as ``current``.
    """
    body = _checked_body(body)
    with backend.transaction() as db:
        now_ms = to_ms(backend.clock.now())
        close_due_requests(db, now_ms)
        row = load_row(db, path_type, object_id, lab)
        _check_updatable(row)
        _check_fresh(row, body)
        if body.get("id", object_id) != object_id:
            raise ValidationFailed(f"id cannot be changed ({object_id} -> {body['id']}).", field="id")
        _body_type(body.get("type", row["type"]), (row["type"],), row["type"])
        merged = _merged_body(row, body)
        customer_id, parent = resolve_links(db, row["type"], merged, lab, moving_from=row["parent_id"])
        props = _properties(backend, row["type"], merged)
        state = _updated_state(row, body.get("state", row["state"]))
        last_updated_ms = max(now_ms, row["last_updated_ms"] + 1)
        new = {
            **dict(row),
            "customer_id": customer_id,
            "parent_id": parent["id"] if parent else None,
            "media_type": props["media_type"],
            "state": state,
            "last_updated_ms": last_updated_ms,
            "doc": json.dumps(props["doc"], ensure_ascii=False),
        }
        if row["type"] == "request":
            new["close_at_ms"] = max(row["close_at_ms"], now_ms + AUTO_CLOSE_MS)
        _check_size(backend, new)
        db.execute(
            "UPDATE cs_object SET customer_id = :customer_id, parent_id = :parent_id, media_type = "
            ":media_type, state = :state, last_updated_ms = :last_updated_ms, close_at_ms = :close_at_ms, "
            "doc = :doc WHERE pk = :pk",
            new,
        )
        _store_search_data(db, row["pk"], new, props)
        if parent is not None and row["type"] == "activity":
            _keep_request_open(db, parent["pk"], now_ms)
        return to_wire(new)


def delete_object(backend: Store, path_type: str, object_id: str, lab: bool) -> None:
    """Delete one object (lab mode only); objects under it are kept, as in Context Service."""
    stored_types(path_type)
    if not lab:
        raise LabModeOnly("Objects can be deleted in lab mode only (send cisco-context-labmode: true).")
    with backend.transaction() as db:
        row = load_row(db, path_type, object_id, lab)
        db.execute("DELETE FROM cs_object WHERE pk = ?", (row["pk"],))


def flush(backend: Store, path_type: str, lab: bool) -> Wire:
    """Delete every lab object of a type; returns ``{completed, numberFlushed, message}``."""
    types = stored_types(path_type)
    if not lab:
        raise LabModeOnly("Flush works in lab mode only (send cisco-context-labmode: true).")
    with backend.transaction() as db:
        count = db.execute(f"DELETE FROM cs_object WHERE lab = 1 AND type IN ({placeholders(types)})", types).rowcount
    return {"completed": True, "numberFlushed": count, "message": f"Flushed {count} {path_type} object(s)."}


# --- rules -----------------------------------------------------------------------------------------------


def _checked_body(body: object) -> dict[str, Any]:
    """The body's known properties; unknown top-level ones are ignored, as a lenient service would."""
    if not isinstance(body, dict):
        raise ValidationFailed("The object must be a JSON object.", field="body")
    return {key: value for key, value in body.items() if key in OBJECT_PROPERTIES | SERVER_OWNED}


def _body_type(value: object, types: tuple[str, ...], path_type: str, fieldsets: object = None) -> str:
    """The stored type named by the body's ``type`` (a detail's without it follows its ``fieldsets``)."""
    if value is None and len(types) == 1:
        return types[0]
    if value is None and types == DETAIL_TYPES:
        return "detail.feedback" if isinstance(fieldsets, list) and FEEDBACK_FIELDSET in fieldsets else "detail.comment"
    if value == "pod" and "activity" in types:
        return "activity"
    if value in types:
        return value
    expected = " or ".join(types)
    raise ValidationFailed(
        f"type must be {expected} on /context/v1/{path_type_of(path_type)}, got {value!r}.", field="type"
    )


def _merged_body(row: Row, body: dict[str, Any]) -> dict[str, Any]:
    """The stored object's properties with the update's on top (a RefUrl link replaces the stored id)."""
    current = to_wire(row)
    merged = {key: current[key] for key in ("mediaType", "fieldsets", "dataElements", "tags", "contributors")}
    merged["customerId"], merged["parentId"] = row["customer_id"], row["parent_id"]
    if "customerRefUrl" in body:
        merged.pop("customerId")
    if "parentRefUrl" in body:
        merged.pop("parentId")
    merged.update({key: value for key, value in body.items() if key in OBJECT_PROPERTIES})
    return merged


def _check_updatable(row: Row) -> None:
    """Closed requests and details refuse updates (OBJECT_CLOSED)."""
    if row["state"] == "closed" and row["type"] in ("request", *DETAIL_TYPES):
        kind = "Details are always closed" if row["type"] in DETAIL_TYPES else "Closed requests cannot be updated"
        raise ObjectClosed(f"{kind}: {row['type']} {row['id']} is closed.", field="state")


def _check_fresh(row: Row, body: dict[str, Any]) -> None:
    """The update must carry the stored ``lastUpdated``; a stale one is a CONFLICT carrying the stored object."""
    if "lastUpdated" not in body:
        raise ValidationFailed("lastUpdated is required: send the value from your last GET.", field="lastUpdated")
    given = parse_timestamp(body["lastUpdated"], "lastUpdated")
    if given != row["last_updated_ms"]:
        stored = format_ms(row["last_updated_ms"])
        raise Conflict(
            f"{row['type']} {row['id']} was changed at {stored}; your lastUpdated is {format_ms(given)}. "
            "Get it again and retry.",
            field="lastUpdated",
            current=to_wire(row),
        )


def _initial_state(obj_type: str, value: object) -> str:
    """The state of a new object: details are created closed, the others active unless told."""
    if obj_type in DETAIL_TYPES:
        if value not in (None, "closed"):
            raise ValidationFailed("Details are always created closed.", field="state")
        return "closed"
    return _valid_state(obj_type, value or "active")


def _updated_state(row: Row, value: object) -> str:
    """The state after an update: a closed object is never reopened."""
    if row["type"] == "customer" or value == row["state"]:
        return _valid_state(row["type"], value)
    if row["state"] == "closed" and value == "active":
        raise ObjectClosed(f"{row['type']} {row['id']} is closed and cannot be reopened.", field="state")
    return _valid_state(row["type"], value)


def _valid_state(obj_type: str, value: object) -> str:
    """``value`` when it is a state the type may have."""
    if value not in STATES:
        raise ValidationFailed(f"state must be active or closed, got {value!r}.", field="state")
    if obj_type == "customer" and value != "active":
        raise ValidationFailed("Customers are always active.", field="state")
    return value


def _properties(backend: Store, obj_type: str, body: dict[str, Any]) -> Properties:
    """Validated media type and the stored document (fieldsets, dataElements, tags, contributors)."""
    media_type = body.get("mediaType")
    if media_type is not None:
        if obj_type != "activity":
            raise ValidationFailed(f"mediaType applies to activities only, not to a {obj_type}.", field="mediaType")
        if media_type not in MEDIA_TYPES:
            raise ValidationFailed(f"Media type: {media_type} for activity object is invalid.", field="mediaType")
    fieldsets = elements.valid_fieldsets(backend, body.get("fieldsets"))
    values, fields_by_id = elements.valid_elements(fieldsets, body.get("dataElements", []))
    tags = elements.valid_tags(body.get("tags", []))
    doc = {
        "fieldsets": [fs["id"] for fs in fieldsets],
        "dataElements": elements.encode_elements(values, fields_by_id),
        "tags": tags,
        "contributors": elements.valid_contributors(body.get("contributors", [])),
    }
    return {"media_type": media_type, "doc": doc, "values": values, "fields": fields_by_id}


def _check_size(backend: Store, row: Row) -> None:
    """Refuse (PAYLOAD_TOO_LARGE) an object whose wire JSON is over MAX_OBJECT_BYTES."""
    limit = backend.config["MAX_OBJECT_BYTES"]
    size = len(json.dumps(to_wire(row), ensure_ascii=False).encode("utf-8"))
    if size > limit:
        raise PayloadTooLarge(
            f"The object is {size} bytes; an object can store at most {limit} bytes (256 KB).",
            field="dataElements",
            limit=limit,
        )


def _store_search_data(db: sqlite3.Connection, pk: int, row: Row, props: Properties) -> None:
    """Replace the object's fieldset rows and its search index entries."""
    db.execute("DELETE FROM cs_object_fieldset WHERE obj = ?", (pk,))
    db.executemany(
        "INSERT INTO cs_object_fieldset (obj, fieldset_id) VALUES (?, ?)",
        [(pk, fieldset_id) for fieldset_id in props["doc"]["fieldsets"]],
    )
    entries = search_index.entries_for(props["fields"], props["values"], props["doc"]["tags"])
    search_index.index_object(db, pk, row["lab"], row["type"], entries)
