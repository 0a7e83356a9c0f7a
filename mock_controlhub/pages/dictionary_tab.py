"""Control Hub pages: the flow the Hybrid Context Fields and Fieldsets tabs share — the filtered, sortable table
with its side panel, the New and Edit forms, and delete after the confirmation dialog.

A ``DictionaryTab`` subclass says what differs (which objects, their form, their panel, their limit);
``register`` adds the four routes under the endpoint names the templates use (``fields.list_fields``,
``fields.create_field``, ``fields.edit_field``, ``fields.delete_field``; likewise for fieldsets).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Mapping
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..errors import ContextServiceError
from ..shapes import Wire
from .forms import Form, FormValues, matches_filter
from .routes import Page, form_errors, not_editable_page, sorted_table


class DictionaryTab(ABC):
    """One dictionary tab; subclasses set the class attributes and implement the abstract hooks."""

    kind: str  # "field": the side panel's query parameter and the word in messages
    plural: str  # "fields": the blueprint, the tab and the list template's name
    columns: Mapping[str, Callable[[Wire], Any]]  # sortable column → its sort key
    inputs: Collection[str]  # the form's inputs
    error_inputs: Mapping[str, str]  # wire property named in an error → its input

    def register(self, bp: Blueprint) -> None:
        """Add the list, New, Edit and Delete routes to ``bp``."""
        bp.add_url_rule("", f"list_{self.plural}", self.list_page)
        bp.add_url_rule("/new", f"create_{self.kind}", self.create_page, methods=["GET", "POST"])
        bp.add_url_rule("/<item_id>/edit", f"edit_{self.kind}", self.edit_page, methods=["GET", "POST"])
        bp.add_url_rule("/<item_id>/delete", f"delete_{self.kind}", self.delete_page, methods=["POST"])

    # What differs between the tabs.
    @abstractmethod
    def find(self, item_id: str) -> Wire | None:
        """The item ``item_id``, or None."""

    @abstractmethod
    def list_items(self) -> list[Wire]:
        """Every item of the org's dictionary."""

    @abstractmethod
    def in_use(self, item_id: str) -> bool:
        """Whether Context Service data uses the item (some properties are then locked)."""

    @abstractmethod
    def form_values(self, current: Wire | None, form: Form | None = None, in_use: bool = False) -> FormValues:
        """The form's values: from ``form`` when posted, else from ``current`` (or the defaults)."""

    @abstractmethod
    def body(self, values: FormValues, current: Wire | None, in_use: bool) -> Wire:
        """The wire body the form's ``values`` stand for."""

    @abstractmethod
    def create(self, body: Wire) -> Wire:
        """Store a new item; the stored item."""

    @abstractmethod
    def update(self, item_id: str, body: Wire) -> None:
        """Store ``body`` as the item ``item_id``."""

    @abstractmethod
    def delete(self, item_id: str) -> None:
        """Delete the item ``item_id``."""

    @abstractmethod
    def panel(self, item: Wire) -> dict[str, Any]:
        """The side panel's values: at least ``editable`` and ``deletable``."""

    @abstractmethod
    def searchable_text(self, item: Wire) -> list[str]:
        """What the table filter matches in the item's row."""

    @abstractmethod
    def at_limit(self) -> bool:
        """Whether the org's limit allows no new item (the New button is hidden)."""

    @abstractmethod
    def form_context(self) -> dict[str, Any]:
        """What the New/Edit form's template needs besides the values and errors."""

    # The flow both tabs share.
    def list_page(self) -> ResponseReturnValue:
        """The table, filtered by ``filter``; ``<kind>`` opens the side panel, ``confirm=delete`` the dialog."""
        return self.render_list()

    def create_page(self) -> ResponseReturnValue:
        """The New form; on success the new item's side panel opens."""
        if request.method == "GET":
            return self.render_form(self.form_values(None), current=None, errors={})
        values = self.form_values(None, request.form)
        try:
            item = self.create(self.body(values, current=None, in_use=False))
        except ContextServiceError as exc:
            errors = form_errors(exc, self.inputs, self.error_inputs)
            return self.render_form(values, current=None, errors=errors, status=exc.status)
        return self._done(item["id"], "created")

    def edit_page(self, item_id: str) -> ResponseReturnValue:
        """The Edit form of a custom item; what is locked while it is in use is shown but not editable."""
        current = self.find(item_id)
        refused = not_editable_page(current, self.kind, item_id)
        if refused:
            return refused
        in_use = self.in_use(item_id)
        if request.method == "GET":
            return self.render_form(self.form_values(current), current=current, errors={}, in_use=in_use)
        values = self.form_values(current, request.form, in_use)
        try:
            self.update(item_id, self.body(values, current=current, in_use=in_use))
        except ContextServiceError as exc:
            errors = form_errors(exc, self.inputs, self.error_inputs)
            return self.render_form(values, current=current, errors=errors, in_use=in_use, status=exc.status)
        return self._done(item_id, "saved")

    def delete_page(self, item_id: str) -> ResponseReturnValue:
        """Delete a custom item nothing uses (after the confirmation dialog)."""
        try:
            self.delete(item_id)
        except ContextServiceError as exc:
            return self.render_list(selected_id=item_id, error=exc.message, status=exc.status)
        return self._done(item_id, "deleted")

    def render_list(self, selected_id: str | None = None, error: str | None = None, status: int = 200) -> Page:
        """The table, its side panel for ``selected_id`` (else the ``<kind>`` parameter) and ``error``."""
        selected_id = selected_id or request.args.get(self.kind)
        text = request.args.get("filter", "").strip()
        items, table = sorted_table(
            [item for item in self.list_items() if matches_filter(text, self.searchable_text(item))],
            self.columns,
            "id",
            f"{self.plural}.list_{self.plural}",
        )
        selected = self.find(selected_id) if selected_id else None
        panel = self.panel(selected) if selected else None
        confirm = bool(panel and panel["deletable"] and request.args.get("confirm") == "delete" and not error)
        return render_template(
            f"controlhub/{self.plural}.html",
            active_tab=self.plural,
            table=table,
            filter_text=text,
            selected=selected,
            panel=panel,
            confirm=confirm,
            error=error,
            at_limit=self.at_limit(),
            kind=self.kind,
            plural=self.plural,
            items=items,
        ), status

    def render_form(
        self, values: FormValues, current: Wire | None, errors: dict[str, str], in_use: bool = False, status: int = 200
    ) -> Page:
        """The New/Edit form with ``values`` and ``errors`` next to their inputs."""
        return render_template(
            f"controlhub/{self.kind}_form.html",
            active_tab=self.plural,
            values=values,
            current=current,
            errors=errors,
            in_use=in_use,
            **self.form_context(),
        ), status

    def _done(self, item_id: str, verb: str) -> ResponseReturnValue:
        """Flash what was done; back to the list, with the item's side panel open unless it was deleted."""
        flash(f"{self.kind.capitalize()} {item_id} was {verb}.")
        selected: dict[str, Any] = {} if verb == "deleted" else {self.kind: item_id}
        return redirect(url_for(f"{self.plural}.list_{self.plural}", **selected))
