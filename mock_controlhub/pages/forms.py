"""Control Hub form handling: the field and fieldset forms as values for the templates and as wire bodies."""

from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import MultiDict

from ..shapes import Wire

# A form's values by input name, as the templates show them.
FormValues = dict[str, Any]
Form = MultiDict[str, str]

FIELD_KINDS = {
    "string": "String (Short Text)",
    "integer": "Integer (Number)",
    "long": "Long",
    "double": "Double (Decimal)",
    "boolean": "Boolean (Toggle)",
    "enum": "Single-select list",
}
PRIVACY_LABELS = {"PII": "PII Encrypted", "ENCRYPTED": "Non-PII Encrypted", "UNENCRYPTED": "Unencrypted"}
DEFAULT_CLASSIFICATION = "ENCRYPTED"
BLANK_TRANSLATION_ROWS = 2
# Wire property named in a dictionary error → the form input it belongs next to; and the inputs of each form.
FIELD_ERROR_INPUTS = {
    "translations.en_US": "label",
    "dataType": "kind",
    "dataTypeDefinition": "options",
    "enumerations": "options",
    "inactiveEnumerations": "options",
    "defaultValue": "default_option",
}
FIELD_INPUTS = {
    "id",
    "label",
    "description",
    "kind",
    "options",
    "default_option",
    "classification",
    "searchable",
    "translations",
}
FIELDSET_ERROR_INPUTS = {"inactiveFields": "fields"}
FIELDSET_INPUTS = {"id", "description", "fields"}


def matches_filter(text: str, haystack: Iterable[object]) -> bool:
    """Case-insensitive partial match of ``text`` against any of the strings in ``haystack``."""
    needle = text.casefold()
    return not needle or any(needle in str(value).casefold() for value in haystack)


def field_form_values(current: Wire | None, form: Form | None = None, in_use: bool = False) -> FormValues:
    """The field form's values: from ``form`` when posted, else from the field ``current`` (or defaults).

    Inputs locked while the field is in use are not posted; their values come from ``current``.
    """
    stored = _stored_field_values(current)
    if form is None:
        return stored
    values = {
        "id": current["id"] if current else form.get("id", "").strip(),
        "label": form.get("label", ""),
        "description": form.get("description", ""),
        "kind": form.get("kind", ""),
        "classification": form.get("classification", ""),
        "searchable": form.get("searchable") == "on",
        "options": form.get("options", ""),
        "inactive_options": stored["inactive_options"],
        "default_option": form.get("default_option", ""),
        "translations": _posted_translations(form),
        "last_updated": form.get("last_updated", ""),
    }
    if in_use:
        values.update({key: stored[key] for key in ("kind", "classification", "searchable")})
    return values


def _stored_field_values(field: Wire | None) -> FormValues:
    """The field form's values for a stored field (None: a new field's defaults)."""
    if field is None:
        return {
            "id": "",
            "label": "",
            "description": "",
            "kind": "string",
            "classification": DEFAULT_CLASSIFICATION,
            "searchable": True,
            "options": "",
            "inactive_options": [],
            "default_option": "",
            "translations": [("", "")] * BLANK_TRANSLATION_ROWS,
            "last_updated": "",
        }
    definition = field.get("dataTypeDefinition") or {}
    inactive = definition.get("inactiveEnumerations", [])
    others = [(locale, label) for locale, label in field["translations"].items() if locale != "en_US"]
    return {
        "id": field["id"],
        "label": field["translations"].get("en_US", ""),
        "description": field.get("description", ""),
        "kind": "enum" if definition else field["dataType"],
        "classification": field["classification"],
        "searchable": field["searchable"],
        "options": "\n".join(o for o in definition.get("enumerations", []) if o not in inactive),
        "inactive_options": inactive,
        "default_option": field.get("defaultValue", ""),
        "translations": others + [("", "")] * BLANK_TRANSLATION_ROWS,
        "last_updated": field["lastUpdated"],
    }


def _posted_translations(form: Form) -> list[tuple[str, str]]:
    """The posted ``(locale, label)`` rows."""
    pairs = zip(form.getlist("translation_locale"), form.getlist("translation_label"))
    return [(locale.strip(), label) for locale, label in pairs]


def field_body(values: FormValues, current: Wire | None, in_use: bool) -> Wire:
    """The wire body for ``dictionary.create_field`` / ``update_field`` from the form values."""
    translations = {"en_US": values["label"]}
    for locale, label in values["translations"]:
        if locale or label.strip():
            translations[locale] = label
    body: Wire = {
        "description": values["description"],
        "translations": translations,
        "dataTypeDefinition": None,
        "defaultValue": None,
    }
    if current is None:
        body["id"] = values["id"]
    else:
        body["lastUpdated"] = values["last_updated"]
    if not in_use:
        body.update(
            {
                "dataType": "string" if values["kind"] == "enum" else values["kind"],
                "classification": values["classification"],
                "searchable": values["searchable"],
            }
        )
    if values["kind"] == "enum":
        options = [line.strip() for line in values["options"].splitlines() if line.strip()]
        body["dataTypeDefinition"] = {
            "type": "enum",
            "enumerations": options,
            "translations": _kept_option_translations(current, options),
        }
        body["defaultValue"] = values["default_option"].strip() or None
    return body


def _kept_option_translations(current: Wire | None, options: list[str]) -> dict[str, list[str]]:
    """Option labels in other locales survive an edit for every locale that still labels every option."""
    definition = (current or {}).get("dataTypeDefinition") or {}
    kept: dict[str, list[str]] = {}
    for locale, labels in definition.get("translations", {}).items():
        by_option = dict(zip(definition["enumerations"], labels))
        if locale != "en_US" and all(option in by_option for option in options):
            kept[locale] = [by_option[option] for option in options]
    return kept


def fieldset_form_values(current: Wire | None, form: Form | None = None) -> FormValues:
    """The fieldset form's values: from ``form`` when posted, else from the fieldset ``current``."""
    if form is None:
        if current is None:
            return {"id": "", "description": "", "fields": [], "last_updated": ""}
        active = [f for f in current["fields"] if f not in current["inactiveFields"]]
        return {
            "id": current["id"],
            "description": current.get("description", ""),
            "fields": active,
            "last_updated": current["lastUpdated"],
        }
    return {
        "id": current["id"] if current else form.get("id", "").strip(),
        "description": form.get("description", ""),
        "fields": form.getlist("fields"),
        "last_updated": form.get("last_updated", ""),
    }


def fieldset_body(values: FormValues, current: Wire | None) -> Wire:
    """The wire body for ``dictionary.create_fieldset`` / ``update_fieldset`` from the form values."""
    body: Wire = {"description": values["description"], "fields": values["fields"]}
    if current is None:
        body["id"] = values["id"]
    else:
        body["lastUpdated"] = values["last_updated"]
    return body
