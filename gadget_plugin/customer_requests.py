"""Requests: create ("Add request") and update title, description and other fields."""

from collections.abc import Mapping
from typing import Any

from . import idempotency, shapes, store, validation
from .agent_auth import Agent
from .backend import Backend
from .shapes import Shaped


def create(backend: Backend, agent: Agent, body: Mapping[str, Any], key: str | None = None) -> tuple[Shaped, bool]:
    """A new active request for ``customerId`` with ``fields`` (title, description, …), made once per
    idempotency ``key``: ``(request, created)``."""
    customer_id = validation.text(body.get("customerId"), "customerId", required=True, limit=128)
    fieldsets = [store.REQUEST_FIELDSET]
    fields = store.checked_fields(backend, body.get("fields") or {}, fieldsets)
    wire, created = idempotency.create_once(
        backend,
        agent,
        "request",
        {
            "type": "request",
            "customerId": customer_id,
            "fieldsets": fieldsets,
            "contributors": [store.contributor(agent)],
            "dataElements": shapes.data_elements(fields, backend.dictionary.field_types()),
        },
        key,
        lambda: store.get(backend, "customer", customer_id, field="customerId"),
    )
    return dict(shapes.request(wire), activities=[]), created


def update(backend: Backend, agent: Agent, request_id: str, body: Mapping[str, Any]) -> Shaped:
    """Change fields of an open request that still has the caller's ``lastUpdated``."""
    last_updated = validation.last_updated(body)
    wire = store.get(backend, "request", request_id)
    store.require_open(wire, "This request is closed; closed requests cannot be changed.")
    store.check_fresh(wire, "request", last_updated)
    return shapes.request(store.update_fields(backend, agent, "request", wire, body, last_updated))
