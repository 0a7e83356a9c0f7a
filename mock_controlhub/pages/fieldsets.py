"""Control Hub pages: the Hybrid Context Fieldsets tab (table, filter, side panel, create/edit, delete)."""

from collections.abc import Callable
from typing import Any


from ..dictionary import fieldsets as fieldset_writes, models as dictionary
from ..dictionary.usage import components_using, fieldset_in_use
from ..shapes import Wire
from .forms import (
    FIELDSET_ERROR_INPUTS,
    FIELDSET_INPUTS,
    Form,
    FormValues,
    fieldset_body,
    fieldset_form_values,
)
from .dictionary_tab import DictionaryTab
from .routes import admin_blueprint, backend

bp = admin_blueprint("fieldsets", __name__, url_prefix="/services/context/fieldsets")


COLUMNS: dict[str, Callable[[Wire], Any]] = {
    "id": lambda fs: fs["id"],
    "description": lambda fs: fs.get("description", ""),
    "fields": lambda fs: len(fs["fields"]) - len(fs["inactiveFields"]),
    "source": lambda fs: fs["publiclyAccessible"],
    "updated": lambda fs: fs["lastUpdated"],
}


class FieldsetsTab(DictionaryTab):
    """The Fieldsets tab: the org's fieldsets, Cisco's base ones read-only; one that data uses cannot be deleted
    and keeps the fields removed from it as inactive."""

    kind, plural, columns = "fieldset", "fieldsets", COLUMNS
    inputs, error_inputs = FIELDSET_INPUTS, FIELDSET_ERROR_INPUTS

    def find(self, item_id: str) -> Wire | None:
        """The fieldset ``item_id``, or None."""
        return dictionary.find_fieldset(backend(), item_id)

    def list_items(self) -> list[Wire]:
        """Every fieldset of the org's dictionary."""
        return dictionary.list_fieldsets(backend())

    def in_use(self, item_id: str) -> bool:
        """Whether Context Service data uses the fieldset."""
        return fieldset_in_use(backend(), item_id)

    def form_values(self, current: Wire | None, form: Form | None = None, in_use: bool = False) -> FormValues:
        """The fieldset form's values (its field picker)."""
        return fieldset_form_values(current, form)

    def body(self, values: FormValues, current: Wire | None, in_use: bool) -> Wire:
        """The fieldset's wire body."""
        return fieldset_body(values, current=current)

    def create(self, body: Wire) -> Wire:
        """Create the custom fieldset."""
        return fieldset_writes.create_fieldset(backend(), body)

    def update(self, item_id: str, body: Wire) -> None:
        """Save the custom fieldset (while in use, removed fields become inactive)."""
        fieldset_writes.update_fieldset(backend(), item_id, body)

    def delete(self, item_id: str) -> None:
        """Delete a custom fieldset no Context Service object uses."""
        fieldset_writes.delete_fieldset(backend(), item_id)

    def panel(self, item: Wire) -> dict[str, Any]:
        """In use, by which components, and whether it may be edited or deleted."""
        in_use = fieldset_in_use(backend(), item["id"])
        custom = not item["publiclyAccessible"]
        return {
            "in_use": in_use,
            "editable": custom,
            "deletable": custom and not in_use,
            "used_by": components_using(backend(), item["id"]),
        }

    def searchable_text(self, item: Wire) -> list[str]:
        """Id, description, its fields and source."""
        return [
            item["id"],
            item.get("description", ""),
            *item["fields"],
            "Cisco" if item["publiclyAccessible"] else "custom",
        ]

    def at_limit(self) -> bool:
        """The org has org.max.fieldsets fieldsets."""
        return len(dictionary.list_fieldsets(backend())) >= dictionary.org_limits(backend())["org.max.fieldsets"]

    def form_context(self) -> dict[str, Any]:
        """The field picker's choices and its limit."""
        limits = dictionary.org_limits(backend())
        return {"all_fields": dictionary.list_fields(backend()), "max_fields": limits["org.max.fields.per.fieldset"]}


FieldsetsTab().register(bp)
