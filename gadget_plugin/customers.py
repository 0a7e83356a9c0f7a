"""Customers: look-up by the interaction's identity, get, create, update (search: customer_search.py)."""

import functools
from typing import Any

from . import idempotency, shapes, store, validation
from .agent_auth import Agent
from .backend import Backend
from .errors import ValidationFailed

LOOKUP_LIMIT = 10
PHONE_LOOKUP_FIELDS = ("Context_Mobile_Phone", "Context_Home_Phone", "Context_Work_Phone")
EMAIL_LOOKUP_FIELDS = ("Context_Home_Email", "Context_Work_Email")
CHAT_LOOKUP_FIELDS = ("Context_Customer_External_ID",)
Wire = dict[str, Any]


def identity_terms(
    phone: str | None = None, email: str | None = None, chat: str | None = None
) -> list[tuple[str, str]]:
    """Search terms matching any of the identities (phones and emails normalised); empty when none given."""
    terms = []
    if phone and phone.strip():
        digits = validation.normalized_phone(validation.text(phone, "phone", required=True, limit=64))
        if len(digits.lstrip("+")) < 3:
            raise ValidationFailed("phone must have at least 3 digits.", field="phone", limit=3)
        terms += [(field, digits.lstrip("+")) for field in PHONE_LOOKUP_FIELDS]
    if email and email.strip():
        address = validation.normalized_email(validation.text(email, "email", required=True, limit=254))
        terms += [(field, address) for field in EMAIL_LOOKUP_FIELDS]
    if chat and chat.strip():
        identity = validation.text(chat, "chat", required=True, limit=254)
        if "@" in identity:
            return identity_terms(phone=phone, email=identity)
        terms += [(field, identity) for field in CHAT_LOOKUP_FIELDS]
    return terms


def matching(
    backend: Backend, phone: str | None = None, email: str | None = None, chat: str | None = None
) -> list[Wire]:
    """The wire customers matching the interaction's identity (at most 10)."""
    terms = identity_terms(phone, email, chat)
    if not terms:
        raise ValidationFailed("Give at least one of phone, email or chat.", field="phone")
    return store.search(backend, "customer", terms, operation="or", max_entries=LOOKUP_LIMIT)[0]


def lookup(
    backend: Backend, phone: str | None = None, email: str | None = None, chat: str | None = None
) -> dict[str, Any]:
    """``{matches: [Customer + lastContact], count}``: 0, 1 or many customers for the identity."""
    return lookup_answer(backend, matching(backend, phone, email, chat))


def lookup_answer(backend: Backend, found: list[Wire]) -> dict[str, Any]:
    """The look-up's answer for the customers ``matching`` found, their last contacts read in parallel."""
    contacts = backend.parallel(*[functools.partial(last_contact, backend, wire["id"]) for wire in found])
    matches = [dict(shapes.customer(wire), lastContact=contact) for wire, contact in zip(found, contacts)]
    return {"matches": matches, "count": len(matches)}


def last_contact(backend: Backend, customer_id: str) -> str | None:
    """When the customer's newest activity was created, or None."""
    found, _ = store.search(backend, "pod", [("customerId", customer_id)], max_entries=1, sort="created")
    return found[0].get("created") if found else None


def get(backend: Backend, customer_id: str) -> dict[str, Any]:
    """One customer."""
    return shapes.customer(store.get(backend, "customer", customer_id))


def create(backend: Backend, agent: Agent, body: dict[str, Any], key: str | None = None) -> tuple[dict[str, Any], bool]:
    """Store a new customer (``{fields, fieldsets?}``) once per idempotency ``key``: ``(customer, created)``."""
    fieldsets = _fieldsets(body.get("fieldsets"))
    fields = store.checked_fields(backend, body.get("fields") or {}, fieldsets)
    wire, created = idempotency.create_once(
        backend,
        agent,
        "customer",
        {
            "type": "customer",
            "fieldsets": fieldsets,
            "contributors": [store.contributor(agent)],
            "dataElements": shapes.data_elements(fields, backend.dictionary.field_types()),
        },
        key,
    )
    return shapes.customer(wire), created


def update(backend: Backend, agent: Agent, customer_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Change fields of a customer that still has the caller's ``lastUpdated``."""
    last_updated = validation.last_updated(body)
    wire = store.get(backend, "customer", customer_id)
    store.check_fresh(wire, "customer", last_updated)
    return shapes.customer(store.update_fields(backend, agent, "customer", wire, body, last_updated))


def _fieldsets(value: Any) -> list[str]:
    if value is None:
        return [store.CUSTOMER_FIELDSET]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ValidationFailed("fieldsets must be a non-empty list of fieldset ids.", field="fieldsets")
    return value
