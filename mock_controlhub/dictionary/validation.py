"""Validation shared by field and fieldset writes: body shape, ids, texts, flags, staleness, org limits.

Errors name the offending property in ``field`` and, where there is one, the limit in ``limit``.
"""

import datetime as dt
import re
import sqlite3
from collections.abc import Collection, Mapping
from typing import Any

from ..clock import format_rfc3339, parse_rfc3339
from ..errors import BadRequest, Conflict, ValidationFailed
from ..shapes import Store, Wire
from .exceptions import LimitExceeded, ReadOnly
from .models import MAX_ID_LENGTH, org_limits


def object_body(body: object, allowed: Collection[str], kind: str) -> dict[str, Any]:
    """The body's ``allowed`` properties; others (Control Hub's ``classificationUI``, ``dataTypeUI``,
    ``dataTypeValue``, ``publiclyAccessibleUI`` [CSU]) are ignored: neither stored nor echoed."""
    if not isinstance(body, dict):
        raise BadRequest(f"The {kind} must be a JSON object.")
    return {key: value for key, value in body.items() if key in allowed}


def valid_id(value: object, pattern: re.Pattern[str], label: str, allowed: str) -> str:
    """``value`` when it is a non-empty id of at most MAX_ID_LENGTH characters matching ``pattern``."""
    if not isinstance(value, str) or not value:
        raise ValidationFailed(f"{label} is required.", field="id")
    if len(value) > MAX_ID_LENGTH:
        raise ValidationFailed(f"{label} is longer than {MAX_ID_LENGTH} characters.", field="id", limit=MAX_ID_LENGTH)
    if not pattern.match(value):
        raise ValidationFailed(f"{label} {value!r} may contain only {allowed}.", field="id")
    return value


def check_same_id(body: Mapping[str, Any], object_id: str, label: str) -> None:
    """Refuse a body whose ``id`` differs from the item's (ids are immutable)."""
    if "id" in body and body["id"] != object_id:
        raise ValidationFailed(f"{label} ids cannot be changed ({object_id} → {body['id']}).", field="id")


def check_not_stale(body: Mapping[str, Any], current: Wire) -> None:
    """Refuse (CONFLICT, with the stored item) a body whose ``lastUpdated`` is not the current one."""
    if "lastUpdated" in body and body["lastUpdated"] != current["lastUpdated"]:
        raise Conflict(
            f"{current['id']} was changed at {current['lastUpdated']}; reload it and retry.",
            field="lastUpdated",
            current=current,
        )


def writable(item: Wire, kind: str) -> Wire:
    """``item`` unless it is a Cisco base (publicly accessible) item, which is read-only."""
    if item["publiclyAccessible"]:
        raise ReadOnly(f"Cisco base {kind} {item['id']} is read-only.", field="id")
    return item


def refuse_public(body: Mapping[str, Any]) -> None:
    """Refuse ``publiclyAccessible: true`` (no longer creatable since SDK 2.0.1)."""
    if valid_boolean(body.get("publiclyAccessible", False), "publiclyAccessible"):
        raise ValidationFailed(
            "Publicly accessible fields and fieldsets can no longer be created; send publiclyAccessible false.",
            field="publiclyAccessible",
        )


def valid_choice(value: Any, allowed: tuple[str, ...], prop: str) -> str:
    """``value`` when it is one of ``allowed``; else an error naming ``prop``."""
    if value not in allowed:
        raise ValidationFailed(f"{prop} must be one of {', '.join(allowed)}, got {value!r}.", field=prop)
    return value


def valid_boolean(value: object, prop: str) -> bool:
    """A boolean from ``true``/``false`` or their strings (the wire may send "false")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationFailed(f"{prop} must be true or false, got {value!r}.", field=prop)


def valid_text(value: object, prop: str, limit: int, required: bool = False) -> str:
    """Trimmed text of at most ``limit`` characters (empty when absent and not ``required``)."""
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed(f"{prop} must be {'non-empty ' if required else ''}text.", field=prop)
    if len(value) > limit:
        raise ValidationFailed(f"{prop} is longer than {limit} characters.", field=prop, limit=limit)
    return value.strip()


def string_list(value: object, prop: str) -> list[str]:
    """A list of non-empty strings, else an error naming ``prop``."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationFailed(f"{prop} must be a list of ids.", field=prop)
    return list(value)


def count_rows(db: sqlite3.Connection, table: str, base: int | None = None) -> int:
    """Rows of ``table`` (only base or only custom ones when ``base`` is given)."""
    sql = f"SELECT COUNT(*) FROM {table}" + ("" if base is None else f" WHERE base = {int(base)}")
    return db.execute(sql).fetchone()[0]


def check_limit(backend: Store, name: str, wanted: int, prop: str, what: str) -> None:
    """Refuse (LIMIT_EXCEEDED) when ``wanted`` is over the org limit ``name``."""
    limit = org_limits(backend)[name]
    if wanted > limit:
        raise LimitExceeded(f"At most {limit} {what} are allowed ({name}).", field=prop, limit=limit, property=name)


def next_timestamp(backend: Store, current: Wire) -> str:
    """A new lastUpdated, strictly later than the current one (so stale-checks always see a change)."""
    now = backend.clock.now()
    previous = parse_rfc3339(current["lastUpdated"])
    if now <= previous:
        now = previous + dt.timedelta(milliseconds=1)
    return format_rfc3339(now)
