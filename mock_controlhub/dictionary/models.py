"""The org's dictionary: fields and fieldsets, the rules of context-service.md §3, and the org limits.

This module reads: lookups, searches, in-use status, org limits and the seeding of the Cisco base items.
Writes live in fields.py and fieldsets.py (shared checks in validation.py), so the REST blueprint and the
Control Hub pages share one set of rules. Every function takes the backend first and returns dicts in the
wire shape of the dictionary API.
"""

import fnmatch
import json
import pathlib
import re
import sqlite3
from collections.abc import Callable, Iterable

from ..clock import format_rfc3339
from ..errors import BadRequest, NotFound
from ..identity.models import get_org
from ..shapes import Store, Wire
from .usage import fieldset_in_use

BASE_DICTIONARY = pathlib.Path(__file__).with_name("base_dictionary.json")
FIELD_ID_PATTERN = re.compile(r"^[0-9A-Za-z_-]+$")
FIELDSET_ID_PATTERN = re.compile(r"^[0-9A-Za-z_.-]+$")
LOCALE_PATTERN = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8})*$")
RESERVED_PREFIX = "cisco."
MAX_ID_LENGTH = 128
MAX_DESCRIPTION_LENGTH = 1024
MAX_LABEL_LENGTH = 256
MAX_SEARCH_ENTRIES = 1500
CLASSIFICATIONS = ("UNENCRYPTED", "ENCRYPTED", "PII")
DATA_TYPES = ("string", "integer", "long", "double", "boolean")
# Properties a client may echo back from a GET; the server owns their values.
SERVER_OWNED = {"refUrl", "lastUpdated", "orgId", "locales", "fieldDefinitions"}
FIELD_PROPERTIES = {
    "id",
    "description",
    "classification",
    "dataType",
    "dataTypeDefinition",
    "defaultValue",
    "searchable",
    "translations",
    "publiclyAccessible",
} | SERVER_OWNED
FIELDSET_PROPERTIES = {"id", "description", "fields", "inactiveFields", "publiclyAccessible"} | SERVER_OWNED
# Management property names (context-service.md §2.7) and the settings that hold their values.
LIMIT_SETTINGS = {
    "org.max.fields": "MAX_CUSTOM_FIELDS",
    "org.max.fieldsets": "MAX_FIELDSETS",
    "org.max.fields.per.fieldset": "MAX_FIELDS_PER_FIELDSET",
}


# --- reading ---------------------------------------------------------------------------------------------


def field_ref_url(field_id: str) -> str:
    """The dictionary URL path of a field."""
    return f"/dictionary/field/v1/id/{field_id}"


def fieldset_ref_url(fieldset_id: str) -> str:
    """The dictionary URL path of a fieldset."""
    return f"/dictionary/fieldset/v1/id/{fieldset_id}"


def _field_from_row(row: sqlite3.Row) -> Wire:
    """A stored field in wire shape."""
    return {**json.loads(row["doc"]), "refUrl": field_ref_url(row["id"]), "lastUpdated": row["last_updated"]}


def _fieldset_from_row(row: sqlite3.Row, field_docs: dict[str, Wire]) -> Wire:
    """A stored fieldset in wire shape, with the definitions of its fields (from ``field_docs``)."""
    doc = json.loads(row["doc"])
    definitions = [field_docs[field_id] for field_id in doc["fields"] if field_id in field_docs]
    return {
        **doc,
        "fieldDefinitions": definitions,
        "refUrl": fieldset_ref_url(row["id"]),
        "lastUpdated": row["last_updated"],
    }


def _field_docs(backend: Store, field_ids: Iterable[str] | None = None) -> dict[str, Wire]:
    """The fields ``field_ids`` (None: all) in wire shape, by id."""
    if field_ids is None:
        rows = backend.db.execute("SELECT * FROM dict_field").fetchall()
    else:
        field_ids = list(field_ids)
        marks = ", ".join("?" * len(field_ids))
        rows = backend.db.execute(f"SELECT * FROM dict_field WHERE id IN ({marks})", field_ids).fetchall()
    return {row["id"]: _field_from_row(row) for row in rows}


def find_field(backend: Store, field_id: str) -> Wire | None:
    """The field ``field_id`` in wire shape, or None."""
    row = backend.db.execute("SELECT * FROM dict_field WHERE id = ?", (field_id,)).fetchone()
    return _field_from_row(row) if row else None


def find_fieldset(backend: Store, fieldset_id: str) -> Wire | None:
    """The fieldset ``fieldset_id`` in wire shape (with ``fieldDefinitions``), or None."""
    row = backend.db.execute("SELECT * FROM dict_fieldset WHERE id = ?", (fieldset_id,)).fetchone()
    if row is None:
        return None
    return _fieldset_from_row(row, _field_docs(backend, json.loads(row["doc"])["fields"]))


def get_field(backend: Store, field_id: str) -> Wire:
    """The field ``field_id`` in wire shape; NotFound when unknown."""
    field = find_field(backend, field_id)
    if field is None:
        raise NotFound(f"Field {field_id} does not exist.", field="id")
    return field


def get_fieldset(backend: Store, fieldset_id: str) -> Wire:
    """The fieldset ``fieldset_id`` in wire shape; NotFound when unknown."""
    fieldset = find_fieldset(backend, fieldset_id)
    if fieldset is None:
        raise NotFound(f"Fieldset {fieldset_id} does not exist.", field="id")
    return fieldset


def list_fields(backend: Store) -> list[Wire]:
    """Every field (base and custom), ordered by id."""
    return sorted(_field_docs(backend).values(), key=lambda f: f["id"].lower())


def list_fieldsets(backend: Store) -> list[Wire]:
    """Every fieldset (base and custom), ordered by id."""
    return _fieldsets(backend, lambda row: True, None)


def _fieldsets(backend: Store, wanted: Callable[[sqlite3.Row], bool], limit: int | None) -> list[Wire]:
    """The first ``limit`` (None: all) fieldsets by id whose row passes ``wanted``, with field definitions."""
    rows = backend.db.execute("SELECT * FROM dict_fieldset ORDER BY lower(id)").fetchall()
    rows = [row for row in rows if wanted(row)][:limit]
    field_ids = {field_id for row in rows for field_id in json.loads(row["doc"])["fields"]}
    docs = _field_docs(backend, field_ids)
    return [_fieldset_from_row(row, docs) for row in rows]


def fieldsets_containing(backend: Store, field_id: str) -> list[str]:
    """Ids of the fieldsets that list ``field_id`` (active or inactive), ordered by id."""
    rows = backend.db.execute(
        "SELECT fieldset_id FROM dict_fieldset_member WHERE field_id = ? ORDER BY lower(fieldset_id)", (field_id,)
    )
    return [row[0] for row in rows]


def field_in_use(backend: Store, field_id: str) -> bool:
    """A field is in use when it belongs to at least one fieldset."""
    return bool(fieldsets_containing(backend, field_id))


def field_status(backend: Store, field_id: str) -> Wire:
    """``{"status": {"inUse"}, "refUrl", "id"}`` for a field; NotFound when unknown."""
    get_field(backend, field_id)
    return {"status": {"inUse": field_in_use(backend, field_id)}, "refUrl": field_ref_url(field_id), "id": field_id}


def fieldset_status(backend: Store, fieldset_id: str) -> Wire:
    """``{"status": {"inUse"}, "refUrl", "id"}`` for a fieldset; NotFound when unknown."""
    get_fieldset(backend, fieldset_id)
    return {
        "status": {"inUse": fieldset_in_use(backend, fieldset_id)},
        "refUrl": fieldset_ref_url(fieldset_id),
        "id": fieldset_id,
    }


def search_fields(backend: Store, query: str | None, max_entries: str | None = None) -> list[Wire]:
    """Fields matching ``id:*`` or ``id:<pattern>`` (``*`` wildcards), at most ``max_entries``."""
    _, value = _parse_query(query, ("id",))
    matches = [f for f in list_fields(backend) if fnmatch.fnmatchcase(f["id"], value)]
    return matches[: _max_entries(max_entries)]


def search_fieldsets(backend: Store, query: str | None, max_entries: str | None = None) -> list[Wire]:
    """Fieldsets matching ``id:*``, ``id:<pattern>`` or ``fieldId:<field id>``, at most ``max_entries``."""
    key, value = _parse_query(query, ("id", "fieldId"))
    limit = _max_entries(max_entries)
    if key == "fieldId":
        member_of = set(fieldsets_containing(backend, value))
        return _fieldsets(backend, lambda row: row["id"] in member_of, limit)
    return _fieldsets(backend, lambda row: fnmatch.fnmatchcase(row["id"], value), limit)


def _parse_query(query: str | None, keys: tuple[str, ...]) -> tuple[str, str]:
    """``(key, value)`` of a ``key:value`` query whose key is one of ``keys``; else BadRequest naming ``q``."""
    key, sep, value = (query or "").partition(":")
    if not sep or key not in keys or not value.strip():
        allowed = " or ".join(f"{k}:<value>" for k in keys)
        raise BadRequest(f"q must be {allowed} (id:* lists everything), got {query!r}.", field="q")
    return key, value.strip()


def _max_entries(value: str | None) -> int:
    """``maxEntries`` as a number from 1 to MAX_SEARCH_ENTRIES (default: the maximum)."""
    if value in (None, ""):
        return MAX_SEARCH_ENTRIES
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_SEARCH_ENTRIES:
        raise BadRequest(
            f"maxEntries must be an integer from 1 to {MAX_SEARCH_ENTRIES}, got {value!r}.",
            field="maxEntries",
            limit=MAX_SEARCH_ENTRIES,
        )
    return number


# --- limits ----------------------------------------------------------------------------------------------


def org_limits(backend: Store) -> dict[str, int]:
    """The org's dictionary limits by management property name (``org.max.fields`` …)."""
    return {name: int(backend.config[setting]) for name, setting in LIMIT_SETTINGS.items()}


def org_property(backend: Store, property_key: str) -> Wire:
    """``{"value"}`` of a management property given as ``<name>.org.<orgId>``; NotFound when unknown."""
    name, sep, org_id = property_key.rpartition(".org.")
    limits = org_limits(backend)
    if not sep or name not in limits:
        raise NotFound(
            f"Unknown property {property_key}; known: " + ", ".join(f"{n}.org.<orgId>" for n in limits) + ".",
            field="propertyName",
        )
    if org_id != get_org(backend)["id"]:
        raise NotFound(f"Unknown organization {org_id}.", field="orgId")
    return {"value": str(limits[name])}


# --- seeding ---------------------------------------------------------------------------------------------


def seed_base_dictionary(backend: Store) -> None:
    """Store the Cisco base fields and fieldsets (publicly accessible, read-only); on an existing database,
    bring base items whose definition changed up to date and leave custom ones alone."""
    base = json.loads(BASE_DICTIONARY.read_text(encoding="utf-8"))
    now = format_rfc3339(backend.clock.now())
    with backend.transaction() as db:
        for field in base["fields"]:
            doc = {**field, "publiclyAccessible": True, "locales": []}
            db.execute(_BASE_UPSERT.format(table="dict_field"), (field["id"], json.dumps(doc), now))
        for fieldset in base["fieldsets"]:
            doc = {**fieldset, "inactiveFields": [], "publiclyAccessible": True, "orgId": backend.config["ORG_ID"]}
            if db.execute(_BASE_UPSERT.format(table="dict_fieldset"), (fieldset["id"], json.dumps(doc), now)).rowcount:
                store_members(db, fieldset["id"], fieldset["fields"])


_BASE_UPSERT = """INSERT INTO {table} (id, base, doc, last_updated) VALUES (?, 1, ?, ?)
    ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, last_updated = excluded.last_updated
    WHERE {table}.base = 1 AND {table}.doc != excluded.doc"""


def store_members(db: sqlite3.Connection, fieldset_id: str, field_ids: Iterable[str]) -> None:
    """Replace the member rows of a fieldset with ``field_ids``."""
    db.execute("DELETE FROM dict_fieldset_member WHERE fieldset_id = ?", (fieldset_id,))
    db.executemany(
        "INSERT INTO dict_fieldset_member (fieldset_id, field_id) VALUES (?, ?)",
        [(fieldset_id, field_id) for field_id in field_ids],
    )
