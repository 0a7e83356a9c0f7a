"""An object's dictionary-bound properties: fieldsets, data elements, tags and contributors.

Data elements travel in the raw Context Service encoding, an array of ``{"<fieldId>": value, "type":
"string"}``; the REST sample's ``{"key", "value", "type"}`` form is accepted too. Every element must belong to
one of the object's fieldsets and have its field's data type (enum values among the active options).
"""

import math
from collections.abc import Callable, Mapping
from typing import Any

from ..dictionary import models as dictionary
from ..errors import NotFound, ValidationFailed
from ..shapes import Store, Wire
from .exceptions import ElementDataTypeError

CONTRIBUTOR_TYPES = ("USER", "MACHINE")
INT32 = 2**31
INT64 = 2**63


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


VALUE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and -INT32 <= v < INT32,
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool) and -INT64 <= v < INT64,
    "double": lambda v: _is_number(v) and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
}


def valid_fieldsets(backend: Store, value: object) -> list[Wire]:
    """The fieldsets (wire dicts, with ``fieldDefinitions``) named by ``value``; at least one, all known."""
    if not isinstance(value, list) or not value:
        raise ValidationFailed("Each object must have at least one fieldset.", field="fieldsets", limit=1)
    if not all(isinstance(item, str) and item for item in value):
        raise ValidationFailed("fieldsets must be a list of fieldset ids.", field="fieldsets")
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        raise ValidationFailed(f"Fieldsets must be listed once; repeated: {', '.join(repeated)}.", field="fieldsets")
    fieldsets = []
    for fieldset_id in value:
        try:
            fieldsets.append(dictionary.get_fieldset(backend, fieldset_id))
        except NotFound:
            raise ValidationFailed(f"Fieldset {fieldset_id} does not exist.", field="fieldsets") from None
    return fieldsets


def valid_elements(fieldsets: list[Wire], value: object) -> tuple[dict[str, Any], dict[str, Wire]]:
    """``({fieldId: value}, {fieldId: field})`` for valid data elements of an object with ``fieldsets``."""
    allowed = {field["id"]: field for fieldset in fieldsets for field in fieldset["fieldDefinitions"]}
    elements = {}
    for field_id, element_value, declared in decode_elements(value):
        field = allowed.get(field_id)
        if field is None:
            names = ", ".join(fs["id"] for fs in fieldsets)
            raise ValidationFailed(
                f"Data element {field_id} is not a field of the object's fieldsets ({names}).", field=field_id
            )
        if field_id in elements:
            raise ValidationFailed(f"Data element {field_id} is given more than once.", field=field_id)
        elements[field_id] = _valid_value(field, element_value, declared)
    return elements, allowed


def encode_elements(elements: Mapping[str, Any], fields_by_id: Mapping[str, Wire]) -> list[Wire]:
    """The wire encoding of ``{fieldId: value}``: ``[{"<fieldId>": value, "type": "<dataType>"}]``."""
    return [{field_id: value, "type": fields_by_id[field_id]["dataType"]} for field_id, value in elements.items()]


def decode_elements(value: object) -> list[tuple[Any, Any, Any]]:
    """``(fieldId, value, declared type or None)`` for each element of either wire form."""
    if not isinstance(value, list):
        raise ValidationFailed("dataElements must be a list of data elements.", field="dataElements")
    decoded = []
    for element in value:
        if not isinstance(element, dict):
            raise ValidationFailed("Each data element must be a JSON object.", field="dataElements")
        if "key" in element and "value" in element:
            decoded.append((element["key"], element["value"], element.get("type")))
            continue
        names = [name for name in element if name != "type"]
        if len(names) != 1:
            raise ValidationFailed(
                'A data element is {"<fieldId>": value, "type": "<dataType>"} or {"key", '
                f'"value", "type"}}; got keys {sorted(element)}.',
                field="dataElements",
            )
        decoded.append((names[0], element[names[0]], element.get("type")))
    for field_id, _, _ in decoded:
        if not isinstance(field_id, str) or not field_id:
            raise ValidationFailed("A data element's field id must be non-empty text.", field="dataElements")
    return decoded


def _valid_value(field: Wire, value: Any, declared: object) -> Any:
    field_id, data_type = field["id"], field["dataType"]
    if declared is not None and declared != data_type:
        raise ElementDataTypeError(
            f"DataElements type mismatch: {field_id} is {data_type}, not {declared}.", field=field_id
        )
    if value is None:
        raise ValidationFailed(f"Data element {field_id} has no value; leave it out instead.", field=field_id)
    if not VALUE_CHECKS[data_type](value):
        raise ElementDataTypeError(
            f"DataElements type mismatch: {field_id} must be a {data_type}, got {value!r}.", field=field_id
        )
    definition = field.get("dataTypeDefinition")
    if definition and definition.get("type") == "enum":
        active = [o for o in definition["enumerations"] if o not in definition.get("inactiveEnumerations", [])]
        if value not in active:
            raise ValidationFailed(
                f"{value!r} is not an option of {field_id}; options: {', '.join(active)}.", field=field_id
            )
    return value


def valid_tags(value: object) -> list[str]:
    """Tags: a list of non-empty strings (stored as given, surrounding spaces trimmed)."""
    if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
        raise ValidationFailed("tags must be a list of non-empty strings.", field="tags")
    return [tag.strip() for tag in value]


def valid_contributors(value: object) -> list[Wire]:
    """Contributors: ``[{"type": "USER"|"MACHINE", "username": "<id>"}]``."""
    if not isinstance(value, list):
        raise ValidationFailed("contributors must be a list.", field="contributors")
    for item in value:
        if (
            not isinstance(item, dict)
            or item.get("type") not in CONTRIBUTOR_TYPES
            or not isinstance(item.get("username"), str)
            or not item["username"].strip()
        ):
            raise ValidationFailed(
                'Each contributor is {"type": "USER" or "MACHINE", "username": "<id>"}.', field="contributors"
            )
    return [{"type": item["type"], "username": item["username"].strip()} for item in value]
