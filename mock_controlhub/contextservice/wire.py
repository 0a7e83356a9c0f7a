"""The wire side of Context Service objects: types, ``refUrl``, timestamps and the JSON of a stored row."""

import datetime as dt
import json
from collections.abc import Sized
from typing import Any

from ..clock import UTC, format_rfc3339, parse_rfc3339
from ..errors import NotFound, ValidationFailed
from ..shapes import Row, Wire

DETAIL_TYPES = ("detail.comment", "detail.feedback")
# URL path type -> the stored types it covers; "pod" is the SDK's name for an activity.
PATH_TYPES = {
    "customer": ("customer",),
    "request": ("request",),
    "activity": ("activity",),
    "pod": ("activity",),
    "detail": DETAIL_TYPES,
}
MEDIA_TYPES = ("chat", "email", "event", "mobile", "social", "video", "voice", "web")
STATES = ("active", "closed")

EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
MILLISECOND = dt.timedelta(milliseconds=1)


def placeholders(values: Sized) -> str:
    """``?, ?, ?`` for an SQL ``IN`` list of ``values``."""
    return ", ".join("?" * len(values))


# --- time ------------------------------------------------------------------------------------------------


def to_ms(moment: dt.datetime) -> int:
    """Epoch milliseconds of an aware datetime."""
    return (moment - EPOCH) // MILLISECOND


def format_ms(ms: int) -> str:
    """RFC 3339 (milliseconds, ``Z``) of epoch milliseconds."""
    return format_rfc3339(EPOCH + ms * MILLISECOND)


def parse_timestamp(value: Any, prop: str) -> int:
    """Epoch milliseconds of an RFC 3339 value (or the REST sample's ``{"date": ...}``); names ``prop``."""
    text = value.get("date") if isinstance(value, dict) else value
    try:
        return to_ms(parse_rfc3339(text))
    except (TypeError, ValueError):
        raise ValidationFailed(
            f"{prop} must be an RFC 3339 timestamp like 2017-07-16T07:49:44.184Z, got {value!r}.", field=prop
        ) from None


# --- types and wire shape --------------------------------------------------------------------------------


def stored_types(path_type: str) -> tuple[str, ...]:
    """The stored object types a URL path type covers; NotFound for an unknown type."""
    if path_type not in PATH_TYPES:
        raise NotFound(f"Unknown object type {path_type!r}; use one of {', '.join(PATH_TYPES)}.", field="type")
    return PATH_TYPES[path_type]


def path_type_of(obj_type: str) -> str:
    """The URL path type of a stored type (``detail.comment`` -> ``detail``)."""
    return "detail" if obj_type in DETAIL_TYPES else obj_type


def ref_url(obj_type: str, object_id: str) -> str:
    """``/context/v1/{type}/{id}``."""
    return f"/context/v1/{path_type_of(obj_type)}/{object_id}"


def to_wire(row: Row) -> Wire:
    """The wire JSON of a stored object row."""
    doc = json.loads(row["doc"])
    return {
        "id": row["id"],
        "type": row["type"],
        "refUrl": ref_url(row["type"], row["id"]),
        "customerId": row["customer_id"],
        "parentId": row["parent_id"],
        "mediaType": row["media_type"],
        "state": row["state"],
        "fieldsets": doc["fieldsets"],
        "dataElements": doc["dataElements"],
        "tags": doc["tags"],
        "contributors": doc["contributors"],
        "created": format_ms(row["created_ms"]),
        "lastUpdated": format_ms(row["last_updated_ms"]),
    }
