"""Control Hub pages: the Hybrid Context Fieldsets tab (table, filter, side panel, create/edit, delete)."""

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..dictionary import fieldsets as fieldset_writes, models as dictionary
from ..dictionary.usage import components_using, fieldset_in_use
from ..errors import ContextServiceError
from ..shapes import Wire
from .forms import (
    FIELDSET_ERROR_INPUTS,
    FIELDSET_INPUTS,
    FormValues,
    fieldset_body,
    fieldset_form_values,
    matches_filter,
)
from .routes import Page, admin_blueprint, backend, form_errors, not_editable_page, sorted_table

bp = admin_blueprint("fieldsets", __name__, url_prefix="/services/context/fieldsets")


COLUMNS: dict[str, Callable[[Wire], Any]] = {
    "id": lambda fs: fs["id"],
    "description": lambda fs: fs.get("description", ""),
    "fields": lambda fs: len(fs["fields"]) - len(fs["inactiveFields"]),
    "source": lambda fs: fs["publiclyAccessible"],
    "updated": lambda fs: fs["lastUpdated"],
}


@bp.route("")
def list_fieldsets() -> ResponseReturnValue:
    """The fieldsets table, filtered by ``filter``; ``fieldset`` opens the side panel, ``confirm=delete`` the
    dialog."""
    return _render_list()


@bp.route("/new", methods=["GET", "POST"])
def create_fieldset() -> ResponseReturnValue:
    """The New Fieldset form with its field picker; on success the new fieldset's side panel opens."""
    if request.method == "GET":
        return _render_form(fieldset_form_values(None), current=None, errors={})
    values = fieldset_form_values(None, request.form)
    try:
        fieldset = fieldset_writes.create_fieldset(backend(), fieldset_body(values, current=None))
    except ContextServiceError as exc:
        return _render_form(
            values, current=None, errors=form_errors(exc, FIELDSET_INPUTS, FIELDSET_ERROR_INPUTS), status=exc.status
        )
    flash(f"Fieldset {fieldset['id']} was created.")
    return redirect(url_for("fieldsets.list_fieldsets", fieldset=fieldset["id"]))


@bp.route("/<fieldset_id>/edit", methods=["GET", "POST"])
def edit_fieldset(fieldset_id: str) -> ResponseReturnValue:
    """The Edit Fieldset form of a custom fieldset; while in use, removed fields become inactive."""
    current = dictionary.find_fieldset(backend(), fieldset_id)
    refused = not_editable_page(current, "fieldset", fieldset_id)
    if refused:
        return refused
    in_use = fieldset_in_use(backend(), fieldset_id)
    if request.method == "GET":
        return _render_form(fieldset_form_values(current), current=current, errors={}, in_use=in_use)
    values = fieldset_form_values(current, request.form)
    try:
        fieldset_writes.update_fieldset(backend(), fieldset_id, fieldset_body(values, current=current))
    except ContextServiceError as exc:
        return _render_form(
            values,
            current=current,
            errors=form_errors(exc, FIELDSET_INPUTS, FIELDSET_ERROR_INPUTS),
            in_use=in_use,
            status=exc.status,
        )
    flash(f"Fieldset {fieldset_id} was saved.")
    return redirect(url_for("fieldsets.list_fieldsets", fieldset=fieldset_id))


@bp.route("/<fieldset_id>/delete", methods=["POST"])
def delete_fieldset(fieldset_id: str) -> ResponseReturnValue:
    """Delete a custom fieldset no Context Service object uses (after the confirmation dialog)."""
    try:
        fieldset_writes.delete_fieldset(backend(), fieldset_id)
    except ContextServiceError as exc:
        return _render_list(selected_id=fieldset_id, error=exc.message, status=exc.status)
    flash(f"Fieldset {fieldset_id} was deleted.")
    return redirect(url_for("fieldsets.list_fieldsets"))


def _render_list(selected_id: str | None = None, error: str | None = None, status: int = 200) -> Page:
    """The fieldsets table, its side panel for ``selected_id`` (else the ``fieldset`` parameter) and ``error``."""
    selected_id = selected_id or request.args.get("fieldset")
    text = request.args.get("filter", "").strip()
    fieldsets, table = sorted_table(
        [fs for fs in dictionary.list_fieldsets(backend()) if matches_filter(text, _searchable_text(fs))],
        COLUMNS,
        "id",
        "fieldsets.list_fieldsets",
    )
    selected = dictionary.find_fieldset(backend(), selected_id) if selected_id else None
    panel = _panel(selected) if selected else None
    confirm = bool(panel and panel["deletable"] and request.args.get("confirm") == "delete" and not error)
    limits = dictionary.org_limits(backend())
    return render_template(
        "controlhub/fieldsets.html",
        active_tab="fieldsets",
        fieldsets=fieldsets,
        table=table,
        filter_text=text,
        selected=selected,
        panel=panel,
        confirm=confirm,
        error=error,
        at_limit=len(dictionary.list_fieldsets(backend())) >= limits["org.max.fieldsets"],
    ), status


def _panel(fieldset: Wire) -> dict[str, Any]:
    """The side panel of a fieldset: in use, by which components, and whether it may be edited or deleted."""
    in_use = fieldset_in_use(backend(), fieldset["id"])
    custom = not fieldset["publiclyAccessible"]
    return {
        "in_use": in_use,
        "editable": custom,
        "deletable": custom and not in_use,
        "used_by": components_using(backend(), fieldset["id"]),
    }


def _searchable_text(fieldset: Wire) -> list[str]:
    """What the table filter matches in a fieldset's row."""
    return [
        fieldset["id"],
        fieldset.get("description", ""),
        *fieldset["fields"],
        "Cisco" if fieldset["publiclyAccessible"] else "custom",
    ]


def _render_form(
    values: FormValues, current: Wire | None, errors: dict[str, str], in_use: bool = False, status: int = 200
) -> Page:
    """The New/Edit Fieldset form with ``values`` and ``errors`` next to their inputs."""
    limits = dictionary.org_limits(backend())
    return render_template(
        "controlhub/fieldset_form.html",
        active_tab="fieldsets",
        values=values,
        current=current,
        errors=errors,
        in_use=in_use,
        all_fields=dictionary.list_fields(backend()),
        max_fields=limits["org.max.fields.per.fieldset"],
    ), status
