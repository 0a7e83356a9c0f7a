"""Control Hub pages: the Hybrid Context Fields tab (table, filter, side panel, create/edit, delete)."""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..dictionary import fields as field_writes, models as dictionary
from ..errors import ContextServiceError
from ..shapes import Wire
from .forms import (
    FIELD_ERROR_INPUTS,
    FIELD_INPUTS,
    FIELD_KINDS,
    PRIVACY_LABELS,
    FormValues,
    field_body,
    field_form_values,
    matches_filter,
)
from .routes import Page, admin_blueprint, backend, form_errors, not_editable_page, sorted_table

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


@bp.route("")
def list_fields() -> ResponseReturnValue:
    """The fields table, filtered by ``filter``; ``field`` opens the side panel, ``confirm=delete`` the dialog."""
    return _render_list()


@bp.route("/new", methods=["GET", "POST"])
def create_field() -> ResponseReturnValue:
    """The New Field form; on success the new field's side panel opens."""
    if request.method == "GET":
        return _render_form(field_form_values(None), current=None, errors={})
    values = field_form_values(None, request.form)
    try:
        field = field_writes.create_field(backend(), field_body(values, current=None, in_use=False))
    except ContextServiceError as exc:
        return _render_form(
            values, current=None, errors=form_errors(exc, FIELD_INPUTS, FIELD_ERROR_INPUTS), status=exc.status
        )
    flash(f"Field {field['id']} was created.")
    return redirect(url_for("fields.list_fields", field=field["id"]))


@bp.route("/<field_id>/edit", methods=["GET", "POST"])
def edit_field(field_id: str) -> ResponseReturnValue:
    """The Edit Field form of a custom field; properties locked while in use are shown but not editable."""
    current = dictionary.find_field(backend(), field_id)
    refused = not_editable_page(current, "field", field_id)
    if refused:
        return refused
    in_use = dictionary.field_in_use(backend(), field_id)
    if request.method == "GET":
        return _render_form(field_form_values(current), current=current, errors={}, in_use=in_use)
    values = field_form_values(current, request.form, in_use)
    try:
        field_writes.update_field(backend(), field_id, field_body(values, current=current, in_use=in_use))
    except ContextServiceError as exc:
        return _render_form(
            values,
            current=current,
            errors=form_errors(exc, FIELD_INPUTS, FIELD_ERROR_INPUTS),
            in_use=in_use,
            status=exc.status,
        )
    flash(f"Field {field_id} was saved.")
    return redirect(url_for("fields.list_fields", field=field_id))


@bp.route("/<field_id>/delete", methods=["POST"])
def delete_field(field_id: str) -> ResponseReturnValue:
    """Delete a custom field that is in no fieldset (after the confirmation dialog)."""
    try:
        field_writes.delete_field(backend(), field_id)
    except ContextServiceError as exc:
        return _render_list(selected_id=field_id, error=exc.message, status=exc.status)
    flash(f"Field {field_id} was deleted.")
    return redirect(url_for("fields.list_fields"))


def _render_list(selected_id: str | None = None, error: str | None = None, status: int = 200) -> Page:
    """The fields table, its side panel for ``selected_id`` (else the ``field`` parameter) and ``error``."""
    selected_id = selected_id or request.args.get("field")
    text = request.args.get("filter", "").strip()
    fields, table = sorted_table(
        [f for f in dictionary.list_fields(backend()) if matches_filter(text, _searchable_text(f))],
        COLUMNS,
        "id",
        "fields.list_fields",
    )
    selected = dictionary.find_field(backend(), selected_id) if selected_id else None
    panel = _panel(selected) if selected else None
    confirm = bool(panel and panel["deletable"] and request.args.get("confirm") == "delete" and not error)
    return render_template(
        "controlhub/fields.html",
        active_tab="fields",
        fields=fields,
        table=table,
        filter_text=text,
        selected=selected,
        panel=panel,
        confirm=confirm,
        error=error,
        at_limit=_custom_count() >= dictionary.org_limits(backend())["org.max.fields"],
    ), status


def _panel(field: Wire) -> dict[str, Any]:
    """The side panel of a field: the fieldsets holding it and whether it may be edited or deleted."""
    fieldsets = dictionary.fieldsets_containing(backend(), field["id"])
    custom = not field["publiclyAccessible"]
    return {
        "fieldsets": fieldsets,
        "in_use": bool(fieldsets),
        "editable": custom,
        "deletable": custom and not fieldsets,
    }


def _searchable_text(field: Wire) -> list[str]:
    """What the table filter matches in a field's row."""
    return [
        field["id"],
        field.get("description", ""),
        *field["translations"].values(),
        field_type_label(field),
        privacy_label(field["classification"]),
        "Yes" if field["searchable"] else "No",
        "Cisco" if field["publiclyAccessible"] else "custom",
    ]


def _custom_count() -> int:
    """How many custom fields the org has."""
    return sum(1 for f in dictionary.list_fields(backend()) if not f["publiclyAccessible"])


def _render_form(
    values: FormValues, current: Wire | None, errors: dict[str, str], in_use: bool = False, status: int = 200
) -> Page:
    """The New/Edit Field form with ``values`` and ``errors`` next to their inputs."""
    return render_template(
        "controlhub/field_form.html",
        active_tab="fields",
        values=values,
        current=current,
        errors=errors,
        in_use=in_use,
        kinds=FIELD_KINDS,
        privacy_labels=PRIVACY_LABELS,
    ), status
