"""Control Hub pages: the Hybrid Context Fields tab (table, filter, side panel, create/edit, delete)."""

from collections.abc import Callable
from typing import Any


from ..dictionary import fields as field_writes, models as dictionary
from ..shapes import Wire
from .forms import (
    FIELD_ERROR_INPUTS,
    FIELD_INPUTS,
    FIELD_KINDS,
    PRIVACY_LABELS,
    Form,
    FormValues,
    field_body,
    field_form_values,
)
from .dictionary_tab import DictionaryTab
from .routes import admin_blueprint, backend

bp = admin_blueprint("fields", __name__, url_prefix="/services/context/fields")


@bp.app_template_filter("privacy_label")
def privacy_label(classification: str) -> str:
    """Control Hub's name for a classification (``PII`` → ``PII Encrypted``)."""
    return PRIVACY_LABELS.get(classification, classification)


@bp.app_template_filter("field_type_label")
def field_type_label(field: Wire) -> str:
    """Control Hub's name for a field's data type; single-select lists show their option count."""
    definition = field.get("dataTypeDefinition")
    if definition:
        return f"Single-select list ({len(definition['enumerations'])} options)"
    data_type: str = field["dataType"]
    return FIELD_KINDS.get(data_type, data_type)


COLUMNS: dict[str, Callable[[Wire], Any]] = {
    "id": lambda f: f["id"],
    "description": lambda f: f.get("description", ""),
    "type": lambda f: field_type_label(f),
    "privacy": lambda f: privacy_label(f["classification"]),
    "searchable": lambda f: f["searchable"],
    "source": lambda f: f["publiclyAccessible"],
    "updated": lambda f: f["lastUpdated"],
}


class FieldsTab(DictionaryTab):
    """The Fields tab: the org's fields, Cisco's base ones read-only; a field in a fieldset cannot be deleted."""

    kind, plural, columns = "field", "fields", COLUMNS
    inputs, error_inputs = FIELD_INPUTS, FIELD_ERROR_INPUTS

    def find(self, item_id: str) -> Wire | None:
        """The field ``item_id``, or None."""
        return dictionary.find_field(backend(), item_id)

    def list_items(self) -> list[Wire]:
        """Every field of the org's dictionary."""
        return dictionary.list_fields(backend())

    def in_use(self, item_id: str) -> bool:
        """Whether Context Service data uses the field."""
        return dictionary.field_in_use(backend(), item_id)

    def form_values(self, current: Wire | None, form: Form | None = None, in_use: bool = False) -> FormValues:
        """The field form's values (inputs locked while in use come from ``current``)."""
        return field_form_values(current, form, in_use)

    def body(self, values: FormValues, current: Wire | None, in_use: bool) -> Wire:
        """The field's wire body."""
        return field_body(values, current=current, in_use=in_use)

    def create(self, body: Wire) -> Wire:
        """Create the custom field."""
        return field_writes.create_field(backend(), body)

    def update(self, item_id: str, body: Wire) -> None:
        """Save the custom field."""
        field_writes.update_field(backend(), item_id, body)

    def delete(self, item_id: str) -> None:
        """Delete a custom field that is in no fieldset."""
        field_writes.delete_field(backend(), item_id)

    def panel(self, item: Wire) -> dict[str, Any]:
        """The fieldsets holding the field and whether it may be edited or deleted."""
        fieldsets = dictionary.fieldsets_containing(backend(), item["id"])
        custom = not item["publiclyAccessible"]
        return {
            "fieldsets": fieldsets,
            "in_use": bool(fieldsets),
            "editable": custom,
            "deletable": custom and not fieldsets,
        }

    def searchable_text(self, item: Wire) -> list[str]:
        """Id, description, labels, type, privacy, searchable and source."""
        return [
            item["id"],
            item.get("description", ""),
            *item["translations"].values(),
            field_type_label(item),
            privacy_label(item["classification"]),
            "Yes" if item["searchable"] else "No",
            "Cisco" if item["publiclyAccessible"] else "custom",
        ]

    def at_limit(self) -> bool:
        """The org has org.max.fields custom fields."""
        custom = sum(1 for f in dictionary.list_fields(backend()) if not f["publiclyAccessible"])
        return custom >= dictionary.org_limits(backend())["org.max.fields"]

    def form_context(self) -> dict[str, Any]:
        """The data type and privacy choices."""
        return {"kinds": FIELD_KINDS, "privacy_labels": PRIVACY_LABELS}


FieldsTab().register(bp)
