"""Writing custom fields: create, update (with the in-use locks), delete; enum (single-select) definitions."""

import json
from typing import Any

from ..clock import format_rfc3339
from ..errors import Conflict, ValidationFailed
from ..shapes import Store, Wire
from .exceptions import InUse
from .models import (
    CLASSIFICATIONS,
    DATA_TYPES,
    FIELD_ID_PATTERN,
    FIELD_PROPERTIES,
    LOCALE_PATTERN,
    MAX_DESCRIPTION_LENGTH,
    MAX_LABEL_LENGTH,
    SERVER_OWNED,
    field_in_use,
    fieldsets_containing,
    find_field,
    get_field,
)
from .validation import (
    check_limit,
    check_not_stale,
    check_same_id,
    count_rows,
    next_timestamp,
    object_body,
    refuse_public,
    string_list,
    valid_boolean,
    valid_choice,
    valid_id,
    valid_text,
    writable,
)


def create_field(backend: Store, body: object) -> Wire:
    """Create a custom field from a wire-shaped body; returns it. Raises the errors of §3."""
    body = object_body(body, FIELD_PROPERTIES, "field")
    field_id = valid_id(body.get("id"), FIELD_ID_PATTERN, "Field id", "letters, digits, '-' and '_'")
    refuse_public(body)
    doc = _valid_field_doc(body, previous=None)
    with backend.transaction() as db:
        existing = find_field(backend, field_id)
        if existing:
            raise Conflict(f"A field with id {field_id} already exists.", field="id", current=existing)
        check_limit(backend, "org.max.fields", count_rows(db, "dict_field", base=0) + 1, "id", "custom fields")
        db.execute(
            "INSERT INTO dict_field (id, base, doc, last_updated) VALUES (?, 0, ?, ?)",
            (field_id, json.dumps({"id": field_id, **doc}), format_rfc3339(backend.clock.now())),
        )
    return get_field(backend, field_id)


def update_field(backend: Store, field_id: str, body: object) -> Wire:
    """Change a custom field (properties left out keep their value); returns it. Locked properties stay
    locked while the field is in a fieldset; removed enum options become inactive then."""
    body = object_body(body, FIELD_PROPERTIES, "field")
    with backend.transaction() as db:
        current = writable(get_field(backend, field_id), "field")
        check_same_id(body, field_id, "Field")
        check_not_stale(body, current)
        refuse_public(body)
        in_use = field_in_use(backend, field_id)
        merged = {key: value for key, value in current.items() if key not in SERVER_OWNED}
        merged.update({key: value for key, value in body.items() if key not in SERVER_OWNED})
        doc = _valid_field_doc(merged, previous=current if in_use else None)
        if in_use:
            _check_locked(current, doc)
        db.execute(
            "UPDATE dict_field SET doc = ?, last_updated = ? WHERE id = ?",
            (json.dumps({"id": field_id, **doc}), next_timestamp(backend, current), field_id),
        )
    return get_field(backend, field_id)


def delete_field(backend: Store, field_id: str) -> None:
    """Delete a custom field that is in no fieldset."""
    with backend.transaction() as db:
        writable(get_field(backend, field_id), "field")
        holders = fieldsets_containing(backend, field_id)
        if holders:
            raise InUse(
                f"Field {field_id} is in use by fieldset(s) {', '.join(holders)}; remove it from them "
                "before deleting it.",
                field="id",
                fieldsets=holders,
            )
        db.execute("DELETE FROM dict_field WHERE id = ?", (field_id,))


def _valid_field_doc(body: dict[str, Any], previous: Wire | None) -> Wire:
    """The stored document (without id) of a valid field body; ``previous`` is the field when in use."""
    data_type = valid_choice(body.get("dataType"), DATA_TYPES, "dataType")
    doc: Wire = {
        "description": valid_text(body.get("description"), "description", MAX_DESCRIPTION_LENGTH),
        "classification": valid_choice(body.get("classification"), CLASSIFICATIONS, "classification"),
        "dataType": data_type,
        "searchable": valid_boolean(body.get("searchable", True), "searchable"),
        "translations": _translations(body.get("translations")),
        "publiclyAccessible": False,
        "locales": [],
    }
    definition = body.get("dataTypeDefinition")
    if definition is not None:
        if data_type != "string":
            raise ValidationFailed(
                "A single-select list (dataTypeDefinition) needs dataType string.", field="dataTypeDefinition"
            )
        previous_definition = (previous or {}).get("dataTypeDefinition")
        doc["dataTypeDefinition"] = _enum_definition(definition, previous_definition)
    default = body.get("defaultValue")
    if default is not None:
        doc["defaultValue"] = _default_value(default, doc.get("dataTypeDefinition"))
    return doc


def _enum_definition(definition: object, previous: Wire | None) -> Wire:
    """Validate an enum definition; options of ``previous`` (the in-use field's) left out turn inactive."""
    if not isinstance(definition, dict) or definition.get("type") != "enum":
        raise ValidationFailed(
            'dataTypeDefinition must be {"type": "enum", "enumerations": [...]}.', field="dataTypeDefinition"
        )
    options = definition.get("enumerations")
    if not isinstance(options, list) or not all(isinstance(o, str) and o.strip() for o in options):
        raise ValidationFailed("Every option in enumerations must be non-empty text.", field="enumerations")
    options = [o.strip() for o in options]
    duplicates = sorted({o for o in options if options.count(o) > 1})
    if duplicates:
        raise ValidationFailed(f"Options must be unique; repeated: {', '.join(duplicates)}.", field="enumerations")
    translations = _option_translations(definition.get("translations"), options)
    inactive = string_list(definition.get("inactiveEnumerations", []), "inactiveEnumerations")
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
        raise ValidationFailed(
            f"inactiveEnumerations lists options that are not in enumerations: {', '.join(unknown)}.",
            field="inactiveEnumerations",
        )
    if len(options) - len(inactive) < 2:
        raise ValidationFailed("A single-select list needs at least 2 active options.", field="enumerations", limit=2)
    return {
        "type": "enum",
        "enumerations": options,
        "translations": translations,
        "inactiveEnumerations": [o for o in options if o in inactive],
    }


def _option_translations(translations: object, options: list[str]) -> dict[str, list[str]]:
    """Option labels by locale (``en_US``: the options themselves), one non-empty label per option."""
    translations = {} if translations is None else translations
    if not isinstance(translations, dict):
        raise ValidationFailed("Option translations must be an object of locale: [labels].", field="translations")
    result = {"en_US": list(options)}
    for locale, labels in translations.items():
        _check_locale(locale)
        if (
            not isinstance(labels, list)
            or len(labels) != len(options)
            or not all(isinstance(label, str) and label.strip() for label in labels)
        ):
            raise ValidationFailed(
                f"Option labels for {locale} must be {len(options)} non-empty texts, one per option.",
                field="translations",
            )
        result[locale] = [label.strip() for label in labels]
    return result


def _default_value(value: object, definition: Wire | None) -> object:
    """A single-select field's default: one of its active options."""
    if definition is None:
        raise ValidationFailed("defaultValue is only allowed on single-select (enum) fields.", field="defaultValue")
    active = [o for o in definition["enumerations"] if o not in definition["inactiveEnumerations"]]
    if value not in active:
        raise ValidationFailed(
            f"defaultValue must be one of the active options ({', '.join(active)}), got {value!r}.",
            field="defaultValue",
        )
    return value


def _check_locked(current: Wire, doc: Wire) -> None:
    """Data type, enum-ness, classification and searchability cannot change while a field is in use."""
    for prop in ("dataType", "classification", "searchable"):
        if current[prop] != doc[prop]:
            raise InUse(f"{prop} of field {current['id']} cannot change while the field is in a fieldset.", field=prop)
    if ("dataTypeDefinition" in current) != ("dataTypeDefinition" in doc):
        raise InUse(
            f"Field {current['id']} cannot switch to or from a single-select list while it is in a fieldset.",
            field="dataTypeDefinition",
        )


def _translations(value: object) -> dict[str, str]:
    """A field's labels by locale; ``en_US`` is required."""
    if not isinstance(value, dict) or not isinstance(value.get("en_US"), str) or not value["en_US"].strip():
        raise ValidationFailed("A label in translations.en_US is required.", field="translations.en_US")
    result = {}
    for locale, label in value.items():
        _check_locale(locale)
        result[locale] = valid_text(label, f"translations.{locale}", MAX_LABEL_LENGTH, required=True)
    return result


def _check_locale(locale: object) -> None:
    """A locale like ``en_US`` or ``sr_Latn_RS``; else an error naming ``translations``."""
    if not isinstance(locale, str) or not LOCALE_PATTERN.match(locale):
        raise ValidationFailed(f"{locale!r} is not a locale like en_US or sr_Latn_RS.", field="translations")
