"""Writing custom fieldsets: create, update (removed fields turn inactive while in use), delete."""

import json
from typing import Any

from ..clock import format_rfc3339
from ..errors import Conflict, ValidationFailed
from ..shapes import Store, Wire
from .exceptions import InUse, ReadOnly
from .models import (
    FIELDSET_ID_PATTERN,
    FIELDSET_PROPERTIES,
    MAX_DESCRIPTION_LENGTH,
    RESERVED_PREFIX,
    find_field,
    find_fieldset,
    get_fieldset,
    store_members,
)
from .usage import fieldset_in_use
from .validation import (
    check_limit,
    check_not_stale,
    check_same_id,
    count_rows,
    next_timestamp,
    object_body,
    refuse_public,
    string_list,
    valid_id,
    valid_text,
    writable,
)


def create_fieldset(backend: Store, body: object) -> Wire:
    """Create a custom fieldset from a wire-shaped body; returns it. Raises the errors of §3."""
    body = object_body(body, FIELDSET_PROPERTIES, "fieldset")
    fieldset_id = valid_id(body.get("id"), FIELDSET_ID_PATTERN, "Fieldset id", "letters, digits, '-', '_' and '.'")
    if fieldset_id.lower().startswith(RESERVED_PREFIX):
        raise ReadOnly(
            f"Fieldset ids starting with {RESERVED_PREFIX} are reserved for Cisco base fieldsets.", field="id"
        )
    refuse_public(body)
    with backend.transaction() as db:
        existing = find_fieldset(backend, fieldset_id)
        if existing:
            raise Conflict(f"A fieldset with id {fieldset_id} already exists.", field="id", current=existing)
        check_limit(backend, "org.max.fieldsets", count_rows(db, "dict_fieldset") + 1, "id", "fieldsets")
        doc = _valid_fieldset_doc(backend, fieldset_id, body, previous=None)
        db.execute(
            "INSERT INTO dict_fieldset (id, base, doc, last_updated) VALUES (?, 0, ?, ?)",
            (fieldset_id, json.dumps(doc), format_rfc3339(backend.clock.now())),
        )
        store_members(db, fieldset_id, doc["fields"])
    return get_fieldset(backend, fieldset_id)


def update_fieldset(backend: Store, fieldset_id: str, body: object) -> Wire:
    """Change a custom fieldset's description or fields; while in use removed fields become inactive and
    re-added ones move back to the end. Returns the fieldset."""
    body = object_body(body, FIELDSET_PROPERTIES, "fieldset")
    with backend.transaction() as db:
        current = writable(get_fieldset(backend, fieldset_id), "fieldset")
        check_same_id(body, fieldset_id, "Fieldset")
        check_not_stale(body, current)
        refuse_public(body)
        merged = {
            "description": current.get("description"),
            "fields": current["fields"],
            "inactiveFields": current["inactiveFields"],
            **body,
        }
        if "fields" in body and "inactiveFields" not in body:
            merged["inactiveFields"] = []
        previous = current if fieldset_in_use(backend, fieldset_id) else None
        doc = _valid_fieldset_doc(backend, fieldset_id, merged, previous)
        db.execute(
            "UPDATE dict_fieldset SET doc = ?, last_updated = ? WHERE id = ?",
            (json.dumps(doc), next_timestamp(backend, current), fieldset_id),
        )
        store_members(db, fieldset_id, doc["fields"])
    return get_fieldset(backend, fieldset_id)


def delete_fieldset(backend: Store, fieldset_id: str) -> None:
    """Delete a custom fieldset that no Context Service object references."""
    with backend.transaction() as db:
        writable(get_fieldset(backend, fieldset_id), "fieldset")
        if fieldset_in_use(backend, fieldset_id):
            raise InUse(f"Fieldset {fieldset_id} is in use by Context Service data and cannot be deleted.", field="id")
        db.execute("DELETE FROM dict_fieldset WHERE id = ?", (fieldset_id,))


def _valid_fieldset_doc(backend: Store, fieldset_id: str, body: dict[str, Any], previous: Wire | None) -> Wire:
    """The stored document of a valid fieldset body; ``previous`` is the fieldset when in use."""
    requested = string_list(body.get("fields"), "fields")
    duplicates = sorted({f for f in requested if requested.count(f) > 1})
    if duplicates:
        raise ValidationFailed(f"Fields must be listed once; repeated: {', '.join(duplicates)}.", field="fields")
    inactive = string_list(body.get("inactiveFields") or [], "inactiveFields")
    fields = requested
    if previous:
        dropped = [f for f in previous["fields"] if f not in requested]
        reactivated = [f for f in previous["inactiveFields"] if f in requested and f not in inactive]
        fields = [f for f in requested if f not in reactivated] + dropped + reactivated
        inactive = inactive + [f for f in dropped if f not in inactive]
    else:
        fields = [f for f in requested if f not in inactive]
        inactive = []
    stray = [f for f in inactive if f not in fields]
    if stray:
        raise ValidationFailed(
            f"inactiveFields lists fields that are not in fields: {', '.join(stray)}.", field="inactiveFields"
        )
    if len(fields) == len(inactive):
        raise ValidationFailed("A fieldset needs at least one field.", field="fields", limit=1)
    missing = [f for f in fields if not find_field(backend, f)]
    if missing:
        raise ValidationFailed(f"Unknown field(s): {', '.join(missing)}.", field="fields", missing=missing)
    check_limit(backend, "org.max.fields.per.fieldset", len(fields), "fields", "fields in one fieldset")
    return {
        "id": fieldset_id,
        "orgId": backend.config["ORG_ID"],
        "description": valid_text(body.get("description"), "description", MAX_DESCRIPTION_LENGTH),
        "fields": fields,
        "inactiveFields": [f for f in fields if f in inactive],
        "publiclyAccessible": False,
    }
