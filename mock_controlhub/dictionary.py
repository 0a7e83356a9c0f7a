"""The org's dictionary: fields and fieldsets, the rules of context-service.md §3, and the org limits.

Every function takes the backend first and returns (or accepts) dicts in the wire shape of the dictionary
API. Validation lives here so the REST blueprint and the Control Hub pages share it; errors name the
offending property in ``field`` and, where there is one, the limit in ``limit``.
"""
import datetime as dt
import fnmatch
import json
import pathlib
import re

from .clock import format_rfc3339, parse_rfc3339
from .errors import BadRequest, Conflict, InUse, LimitExceeded, NotFound, ReadOnly, ValidationFailed
from .identity import get_org

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
FIELD_PROPERTIES = {"id", "description", "classification", "dataType", "dataTypeDefinition", "defaultValue",
                    "searchable", "translations", "publiclyAccessible"} | SERVER_OWNED
FIELDSET_PROPERTIES = {"id", "description", "fields", "inactiveFields", "publiclyAccessible"} | SERVER_OWNED
# Management property names (context-service.md §2.7) and the settings that hold their values.
LIMIT_SETTINGS = {
    "org.max.fields": "MAX_CUSTOM_FIELDS",
    "org.max.fieldsets": "MAX_FIELDSETS",
    "org.max.fields.per.fieldset": "MAX_FIELDS_PER_FIELDSET",
}


# --- reading ---------------------------------------------------------------------------------------------

def field_ref_url(field_id):
    """The dictionary URL path of a field."""
    return f"/dictionary/field/v1/id/{field_id}"


def fieldset_ref_url(fieldset_id):
    """The dictionary URL path of a fieldset."""
    return f"/dictionary/fieldset/v1/id/{fieldset_id}"


def _field_from_row(row):
    return {**json.loads(row["doc"]), "refUrl": field_ref_url(row["id"]), "lastUpdated": row["last_updated"]}


def _fieldset_from_row(row, field_docs):
    doc = json.loads(row["doc"])
    definitions = [field_docs[field_id] for field_id in doc["fields"] if field_id in field_docs]
    return {**doc, "fieldDefinitions": definitions, "refUrl": fieldset_ref_url(row["id"]),
            "lastUpdated": row["last_updated"]}


def _field_docs(backend, field_ids=None):
    if field_ids is None:
        rows = backend.db.execute("SELECT * FROM dict_field").fetchall()
    else:
        marks = ", ".join("?" * len(field_ids))
        rows = backend.db.execute(f"SELECT * FROM dict_field WHERE id IN ({marks})", list(field_ids)).fetchall()
    return {row["id"]: _field_from_row(row) for row in rows}


def find_field(backend, field_id):
    """The field ``field_id`` in wire shape, or None."""
    row = backend.db.execute("SELECT * FROM dict_field WHERE id = ?", (field_id,)).fetchone()
    return _field_from_row(row) if row else None


def find_fieldset(backend, fieldset_id):
    """The fieldset ``fieldset_id`` in wire shape (with ``fieldDefinitions``), or None."""
    row = backend.db.execute("SELECT * FROM dict_fieldset WHERE id = ?", (fieldset_id,)).fetchone()
    if row is None:
        return None
    return _fieldset_from_row(row, _field_docs(backend, json.loads(row["doc"])["fields"]))


def get_field(backend, field_id):
    """The field ``field_id`` in wire shape; NotFound when unknown."""
    field = find_field(backend, field_id)
    if field is None:
        raise NotFound(f"Field {field_id} does not exist.", field="id")
    return field


def get_fieldset(backend, fieldset_id):
    """The fieldset ``fieldset_id`` in wire shape; NotFound when unknown."""
    fieldset = find_fieldset(backend, fieldset_id)
    if fieldset is None:
        raise NotFound(f"Fieldset {fieldset_id} does not exist.", field="id")
    return fieldset


def list_fields(backend):
    """Every field (base and custom), ordered by id."""
    return sorted(_field_docs(backend).values(), key=lambda f: f["id"].lower())


def list_fieldsets(backend):
    """Every fieldset (base and custom), ordered by id."""
    return _fieldsets(backend, lambda row: True, None)


def _fieldsets(backend, wanted, limit):
    """The first ``limit`` (None: all) fieldsets by id whose row passes ``wanted``, with field definitions."""
    rows = backend.db.execute("SELECT * FROM dict_fieldset ORDER BY lower(id)").fetchall()
    rows = [row for row in rows if wanted(row)][:limit]
    field_ids = {field_id for row in rows for field_id in json.loads(row["doc"])["fields"]}
    docs = _field_docs(backend, field_ids)
    return [_fieldset_from_row(row, docs) for row in rows]


def fieldsets_containing(backend, field_id):
    """Ids of the fieldsets that list ``field_id`` (active or inactive), ordered by id."""
    rows = backend.db.execute(
        "SELECT fieldset_id FROM dict_fieldset_member WHERE field_id = ? ORDER BY lower(fieldset_id)", (field_id,))
    return [row[0] for row in rows]


def field_in_use(backend, field_id):
    """A field is in use when it belongs to at least one fieldset."""
    return bool(fieldsets_containing(backend, field_id))


def fieldset_in_use(backend, fieldset_id):
    """A fieldset is in use when any Context Service object (lab or production) references it."""
    from . import objects  # the object store imports this module

    return objects.fieldset_in_use(backend, fieldset_id)


def field_status(backend, field_id):
    """``{"status": {"inUse"}, "refUrl", "id"}`` for a field; NotFound when unknown."""
    get_field(backend, field_id)
    return {"status": {"inUse": field_in_use(backend, field_id)}, "refUrl": field_ref_url(field_id), "id": field_id}


def fieldset_status(backend, fieldset_id):
    """``{"status": {"inUse"}, "refUrl", "id"}`` for a fieldset; NotFound when unknown."""
    get_fieldset(backend, fieldset_id)
    return {"status": {"inUse": fieldset_in_use(backend, fieldset_id)}, "refUrl": fieldset_ref_url(fieldset_id),
            "id": fieldset_id}


def search_fields(backend, query, max_entries=None):
    """Fields matching ``id:*`` or ``id:<pattern>`` (``*`` wildcards), at most ``max_entries``."""
    _, value = _parse_query(query, ("id",))
    matches = [f for f in list_fields(backend) if fnmatch.fnmatchcase(f["id"], value)]
    return matches[:_max_entries(max_entries)]


def search_fieldsets(backend, query, max_entries=None):
    """Fieldsets matching ``id:*``, ``id:<pattern>`` or ``fieldId:<field id>``, at most ``max_entries``."""
    key, value = _parse_query(query, ("id", "fieldId"))
    limit = _max_entries(max_entries)
    if key == "fieldId":
        member_of = set(fieldsets_containing(backend, value))
        return _fieldsets(backend, lambda row: row["id"] in member_of, limit)
    return _fieldsets(backend, lambda row: fnmatch.fnmatchcase(row["id"], value), limit)


def _parse_query(query, keys):
    key, sep, value = (query or "").partition(":")
    if not sep or key not in keys or not value.strip():
        allowed = " or ".join(f"{k}:<value>" for k in keys)
        raise BadRequest(f"q must be {allowed} (id:* lists everything), got {query!r}.", field="q")
    return key, value.strip()


def _max_entries(value):
    if value in (None, ""):
        return MAX_SEARCH_ENTRIES
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_SEARCH_ENTRIES:
        raise BadRequest(f"maxEntries must be an integer from 1 to {MAX_SEARCH_ENTRIES}, got {value!r}.",
                         field="maxEntries", limit=MAX_SEARCH_ENTRIES)
    return number


# --- limits ----------------------------------------------------------------------------------------------

def org_limits(backend):
    """The org's dictionary limits by management property name (``org.max.fields`` …)."""
    return {name: int(backend.config[setting]) for name, setting in LIMIT_SETTINGS.items()}


def org_property(backend, property_key):
    """``{"value"}`` of a management property given as ``<name>.org.<orgId>``; NotFound when unknown."""
    name, sep, org_id = property_key.rpartition(".org.")
    limits = org_limits(backend)
    if not sep or name not in limits:
        raise NotFound(f"Unknown property {property_key}; known: "
                       + ", ".join(f"{n}.org.<orgId>" for n in limits) + ".", field="propertyName")
    if org_id != get_org(backend)["id"]:
        raise NotFound(f"Unknown organization {org_id}.", field="orgId")
    return {"value": str(limits[name])}


# --- seeding ---------------------------------------------------------------------------------------------

def seed_base_dictionary(backend):
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
                _store_members(db, fieldset["id"], fieldset["fields"])


_BASE_UPSERT = """INSERT INTO {table} (id, base, doc, last_updated) VALUES (?, 1, ?, ?)
    ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, last_updated = excluded.last_updated
    WHERE {table}.base = 1 AND {table}.doc != excluded.doc"""


def _store_members(db, fieldset_id, field_ids):
    db.execute("DELETE FROM dict_fieldset_member WHERE fieldset_id = ?", (fieldset_id,))
    db.executemany("INSERT INTO dict_fieldset_member (fieldset_id, field_id) VALUES (?, ?)",
                   [(fieldset_id, field_id) for field_id in field_ids])


# --- fields: writing -------------------------------------------------------------------------------------

def create_field(backend, body):
    """Create a custom field from a wire-shaped body; returns it. Raises the errors of §3."""
    body = _object_body(body, FIELD_PROPERTIES, "field")
    field_id = _valid_id(body.get("id"), FIELD_ID_PATTERN, "Field id", "letters, digits, '-' and '_'")
    _refuse_public(body)
    doc = _valid_field_doc(body, previous=None)
    with backend.transaction() as db:
        existing = find_field(backend, field_id)
        if existing:
            raise Conflict(f"A field with id {field_id} already exists.", field="id", current=existing)
        _check_limit(backend, "org.max.fields", _count(db, "dict_field", base=0) + 1, "id", "custom fields")
        db.execute("INSERT INTO dict_field (id, base, doc, last_updated) VALUES (?, 0, ?, ?)",
                   (field_id, json.dumps({"id": field_id, **doc}), format_rfc3339(backend.clock.now())))
    return get_field(backend, field_id)


def update_field(backend, field_id, body):
    """Change a custom field (properties left out keep their value); returns it. Locked properties stay
    locked while the field is in a fieldset; removed enum options become inactive then."""
    body = _object_body(body, FIELD_PROPERTIES, "field")
    with backend.transaction() as db:
        current = _writable(get_field(backend, field_id), "field")
        _check_same_id(body, field_id, "Field")
        _check_not_stale(body, current)
        _refuse_public(body)
        in_use = field_in_use(backend, field_id)
        merged = {key: value for key, value in current.items() if key not in SERVER_OWNED}
        merged.update({key: value for key, value in body.items() if key not in SERVER_OWNED})
        doc = _valid_field_doc(merged, previous=current if in_use else None)
        if in_use:
            _check_locked(current, doc)
        db.execute("UPDATE dict_field SET doc = ?, last_updated = ? WHERE id = ?",
                   (json.dumps({"id": field_id, **doc}), _next_timestamp(backend, current), field_id))
    return get_field(backend, field_id)


def delete_field(backend, field_id):
    """Delete a custom field that is in no fieldset."""
    with backend.transaction() as db:
        _writable(get_field(backend, field_id), "field")
        holders = fieldsets_containing(backend, field_id)
        if holders:
            raise InUse(f"Field {field_id} is in use by fieldset(s) {', '.join(holders)}; remove it from them "
                        "before deleting it.", field="id", fieldsets=holders)
        db.execute("DELETE FROM dict_field WHERE id = ?", (field_id,))


def _valid_field_doc(body, previous):
    """The stored document (without id) of a valid field body; ``previous`` is the field when in use."""
    data_type = _choice(body.get("dataType"), DATA_TYPES, "dataType")
    doc = {
        "description": _text(body.get("description"), "description", MAX_DESCRIPTION_LENGTH),
        "classification": _choice(body.get("classification"), CLASSIFICATIONS, "classification"),
        "dataType": data_type,
        "searchable": _boolean(body.get("searchable", True), "searchable"),
        "translations": _translations(body.get("translations")),
        "publiclyAccessible": False,
        "locales": [],
    }
    definition = body.get("dataTypeDefinition")
    if definition is not None:
        if data_type != "string":
            raise ValidationFailed("A single-select list (dataTypeDefinition) needs dataType string.",
                                   field="dataTypeDefinition")
        previous_definition = (previous or {}).get("dataTypeDefinition")
        doc["dataTypeDefinition"] = _enum_definition(definition, previous_definition)
    default = body.get("defaultValue")
    if default is not None:
        doc["defaultValue"] = _default_value(default, doc.get("dataTypeDefinition"))
    return doc


def _enum_definition(definition, previous):
    """Validate an enum definition; options of ``previous`` (the in-use field's) left out turn inactive."""
    if not isinstance(definition, dict) or definition.get("type") != "enum":
        raise ValidationFailed('dataTypeDefinition must be {"type": "enum", "enumerations": [...]}.',
                               field="dataTypeDefinition")
    options = definition.get("enumerations")
    if not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
        raise ValidationFailed("Every option in enumerations must be non-empty text.", field="enumerations")
    options = [o.strip() for o in options]
    duplicates = sorted({o for o in options if options.count(o) > 1})
    if duplicates:
        raise ValidationFailed(f"Options must be unique; repeated: {', '.join(duplicates)}.", field="enumerations")
    translations = _option_translations(definition.get("translations"), options)
    inactive = _string_list(definition.get("inactiveEnumerations", []), "inactiveEnumerations")
    if previous:
        kept = [o for o in previous["enumerations"] if o not in options]
        for option in kept:
            index = previous["enumerations"].index(option)
            for locale, labels in translations.items():
                old = previous["translations"].get(locale) or previous["enumerations"]
                labels.append(old[index])
        options = options + kept
        inactive = inactive + [o for o in kept if o not in inactive]
    unknown = [o for o in inactive if o not in options]
    if unknown:
        raise ValidationFailed(f"inactiveEnumerations lists options that are not in enumerations: "
                               f"{', '.join(unknown)}.", field="inactiveEnumerations")
    if len(options) - len(inactive) < 2:
        raise ValidationFailed("A single-select list needs at least 2 active options.", field="enumerations",
                               limit=2)
    return {"type": "enum", "enumerations": options, "translations": translations,
            "inactiveEnumerations": [o for o in options if o in inactive]}


def _option_translations(translations, options):
    translations = {} if translations is None else translations
    if not isinstance(translations, dict):
        raise ValidationFailed("Option translations must be an object of locale: [labels].", field="translations")
    result = {"en_US": list(options)}
    for locale, labels in translations.items():
        _check_locale(locale)
        if not isinstance(labels, list) or len(labels) != len(options) or not all(
                isinstance(label, str) and label.strip() for label in labels):
            raise ValidationFailed(f"Option labels for {locale} must be {len(options)} non-empty texts, one per "
                                   "option.", field="translations")
        result[locale] = [label.strip() for label in labels]
    return result


def _default_value(value, definition):
    if definition is None:
        raise ValidationFailed("defaultValue is only allowed on single-select (enum) fields.", field="defaultValue")
    active = [o for o in definition["enumerations"] if o not in definition["inactiveEnumerations"]]
    if value not in active:
        raise ValidationFailed(f"defaultValue must be one of the active options ({', '.join(active)}), got "
                               f"{value!r}.", field="defaultValue")
    return value


def _check_locked(current, doc):
    """Data type, enum-ness, classification and searchability cannot change while a field is in use."""
    for prop in ("dataType", "classification", "searchable"):
        if current[prop] != doc[prop]:
            raise InUse(f"{prop} of field {current['id']} cannot change while the field is in a fieldset.",
                        field=prop)
    if ("dataTypeDefinition" in current) != ("dataTypeDefinition" in doc):
        raise InUse(f"Field {current['id']} cannot switch to or from a single-select list while it is in a "
                    "fieldset.", field="dataTypeDefinition")


def _translations(value):
    if not isinstance(value, dict) or not isinstance(value.get("en_US"), str) or not value["en_US"].strip():
        raise ValidationFailed("A label in translations.en_US is required.", field="translations.en_US")
    result = {}
    for locale, label in value.items():
        _check_locale(locale)
        result[locale] = _text(label, f"translations.{locale}", MAX_LABEL_LENGTH, required=True)
    return result


def _check_locale(locale):
    if not isinstance(locale, str) or not LOCALE_PATTERN.match(locale):
        raise ValidationFailed(f"{locale!r} is not a locale like en_US or sr_Latn_RS.", field="translations")


# --- fieldsets: writing ----------------------------------------------------------------------------------

def create_fieldset(backend, body):
    """Create a custom fieldset from a wire-shaped body; returns it. Raises the errors of §3."""
    body = _object_body(body, FIELDSET_PROPERTIES, "fieldset")
    fieldset_id = _valid_id(body.get("id"), FIELDSET_ID_PATTERN, "Fieldset id", "letters, digits, '-', '_' and '.'")
    if fieldset_id.lower().startswith(RESERVED_PREFIX):
        raise ReadOnly(f"Fieldset ids starting with {RESERVED_PREFIX} are reserved for Cisco base fieldsets.",
                       field="id")
    _refuse_public(body)
    with backend.transaction() as db:
        existing = find_fieldset(backend, fieldset_id)
        if existing:
            raise Conflict(f"A fieldset with id {fieldset_id} already exists.", field="id", current=existing)
        _check_limit(backend, "org.max.fieldsets", _count(db, "dict_fieldset") + 1, "id", "fieldsets")
        doc = _valid_fieldset_doc(backend, fieldset_id, body, previous=None)
        db.execute("INSERT INTO dict_fieldset (id, base, doc, last_updated) VALUES (?, 0, ?, ?)",
                   (fieldset_id, json.dumps(doc), format_rfc3339(backend.clock.now())))
        _store_members(db, fieldset_id, doc["fields"])
    return get_fieldset(backend, fieldset_id)


def update_fieldset(backend, fieldset_id, body):
    """Change a custom fieldset's description or fields; while in use removed fields become inactive and
    re-added ones move back to the end. Returns the fieldset."""
    body = _object_body(body, FIELDSET_PROPERTIES, "fieldset")
    with backend.transaction() as db:
        current = _writable(get_fieldset(backend, fieldset_id), "fieldset")
        _check_same_id(body, fieldset_id, "Fieldset")
        _check_not_stale(body, current)
        _refuse_public(body)
        merged = {"description": current.get("description"), "fields": current["fields"],
                  "inactiveFields": current["inactiveFields"], **body}
        if "fields" in body and "inactiveFields" not in body:
            merged["inactiveFields"] = []
        previous = current if fieldset_in_use(backend, fieldset_id) else None
        doc = _valid_fieldset_doc(backend, fieldset_id, merged, previous)
        db.execute("UPDATE dict_fieldset SET doc = ?, last_updated = ? WHERE id = ?",
                   (json.dumps(doc), _next_timestamp(backend, current), fieldset_id))
        _store_members(db, fieldset_id, doc["fields"])
    return get_fieldset(backend, fieldset_id)


def delete_fieldset(backend, fieldset_id):
    """Delete a custom fieldset that no Context Service object references."""
    with backend.transaction() as db:
        _writable(get_fieldset(backend, fieldset_id), "fieldset")
        if fieldset_in_use(backend, fieldset_id):
            raise InUse(f"Fieldset {fieldset_id} is in use by Context Service data and cannot be deleted.",
                        field="id")
        db.execute("DELETE FROM dict_fieldset WHERE id = ?", (fieldset_id,))


def _valid_fieldset_doc(backend, fieldset_id, body, previous):
    """The stored document of a valid fieldset body; ``previous`` is the fieldset when in use."""
    requested = _string_list(body.get("fields"), "fields")
    duplicates = sorted({f for f in requested if requested.count(f) > 1})
    if duplicates:
        raise ValidationFailed(f"Fields must be listed once; repeated: {', '.join(duplicates)}.", field="fields")
    inactive = _string_list(body.get("inactiveFields") or [], "inactiveFields")
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
        raise ValidationFailed(f"inactiveFields lists fields that are not in fields: {', '.join(stray)}.",
                               field="inactiveFields")
    if len(fields) == len(inactive):
        raise ValidationFailed("A fieldset needs at least one field.", field="fields", limit=1)
    missing = [f for f in fields if not find_field(backend, f)]
    if missing:
        raise ValidationFailed(f"Unknown field(s): {', '.join(missing)}.", field="fields", missing=missing)
    _check_limit(backend, "org.max.fields.per.fieldset", len(fields), "fields", "fields in one fieldset")
    return {"id": fieldset_id, "orgId": backend.config["ORG_ID"],
            "description": _text(body.get("description"), "description", MAX_DESCRIPTION_LENGTH),
            "fields": fields, "inactiveFields": [f for f in fields if f in inactive], "publiclyAccessible": False}


# --- shared validation -----------------------------------------------------------------------------------

def _object_body(body, allowed, kind):
    if not isinstance(body, dict):
        raise BadRequest(f"The {kind} must be a JSON object.")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationFailed(f"Unknown {kind} propert{'ies' if len(unknown) > 1 else 'y'}: {', '.join(unknown)}.",
                               field=unknown[0])
    return body


def _valid_id(value, pattern, label, allowed):
    if not isinstance(value, str) or not value:
        raise ValidationFailed(f"{label} is required.", field="id")
    if len(value) > MAX_ID_LENGTH:
        raise ValidationFailed(f"{label} is longer than {MAX_ID_LENGTH} characters.", field="id",
                               limit=MAX_ID_LENGTH)
    if not pattern.match(value):
        raise ValidationFailed(f"{label} {value!r} may contain only {allowed}.", field="id")
    return value


def _check_same_id(body, object_id, label):
    if "id" in body and body["id"] != object_id:
        raise ValidationFailed(f"{label} ids cannot be changed ({object_id} → {body['id']}).", field="id")


def _check_not_stale(body, current):
    if "lastUpdated" in body and body["lastUpdated"] != current["lastUpdated"]:
        raise Conflict(f"{current['id']} was changed at {current['lastUpdated']}; reload it and retry.",
                       field="lastUpdated", current=current)


def _writable(item, kind):
    if item["publiclyAccessible"]:
        raise ReadOnly(f"Cisco base {kind} {item['id']} is read-only.", field="id")
    return item


def _refuse_public(body):
    if _boolean(body.get("publiclyAccessible", False), "publiclyAccessible"):
        raise ValidationFailed("Publicly accessible fields and fieldsets can no longer be created; send "
                               "publiclyAccessible false.", field="publiclyAccessible")


def _choice(value, allowed, prop):
    if value not in allowed:
        raise ValidationFailed(f"{prop} must be one of {', '.join(allowed)}, got {value!r}.", field=prop)
    return value


def _boolean(value, prop):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValidationFailed(f"{prop} must be true or false, got {value!r}.", field=prop)


def _text(value, prop, limit, required=False):
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed(f"{prop} must be {'non-empty ' if required else ''}text.", field=prop)
    if len(value) > limit:
        raise ValidationFailed(f"{prop} is longer than {limit} characters.", field=prop, limit=limit)
    return value.strip()


def _string_list(value, prop):
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValidationFailed(f"{prop} must be a list of ids.", field=prop)
    return list(value)


def _count(db, table, base=None):
    sql = f"SELECT COUNT(*) FROM {table}" + ("" if base is None else f" WHERE base = {int(base)}")
    return db.execute(sql).fetchone()[0]


def _check_limit(backend, name, wanted, prop, what):
    limit = org_limits(backend)[name]
    if wanted > limit:
        raise LimitExceeded(f"At most {limit} {what} are allowed ({name}).", field=prop, limit=limit,
                            property=name)


def _next_timestamp(backend, current):
    """A new lastUpdated, strictly later than the current one (so stale-checks always see a change)."""
    now = backend.clock.now()
    previous = parse_rfc3339(current["lastUpdated"])
    if now <= previous:
        now = previous + dt.timedelta(milliseconds=1)
    return format_rfc3339(now)
