"""Reading and writing Context Service objects in the gadget's terms (used by every API concern)."""

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from . import shapes, validation
from .agent_auth import Agent
from .backend import Backend
from .errors import Conflict, NotFound, RequestClosed, UpstreamError
from .shapes import Fields, Shaped, Wire

CUSTOMER_FIELDSET = "cisco.base.customer"
REQUEST_FIELDSET = "cisco.base.request"
COMMENT_FIELDSET = "cisco.base.comment"
SHAPERS: dict[str, Callable[[Wire], Shaped]] = {
    "customer": shapes.customer,
    "request": shapes.request,
    "pod": shapes.activity,
}
NAMES = {"customer": "customer", "request": "request", "pod": "activity", "detail": "comment"}
MAX_ENTRIES = 200  # "Context Service will only return up to 200 full entities at a time" [SAMPLE Export.java]


def get(backend: Backend, object_type: str, object_id: str, field: str = "id") -> Wire:
    """The wire object; NotFound naming the kind of object in the gadget's words and ``field``, the input that
    named the id (``id`` for the URL, ``customerId``… for a body's reference)."""
    try:
        return backend.cs.get(object_type, object_id)
    except NotFound:
        raise NotFound(f"No {NAMES[object_type]} with id {object_id}.", field=field) from None


def create(backend: Backend, object_type: str, body: Wire) -> Wire:
    """POST a new object; the stored object, built from the body sent and the answer (``id`` or ``refUrl`` /
    ``Location``, ``lastUpdated``) without a read-back. Only an answer without them is read back."""
    answer = backend.cs.create(object_type, body)
    stored = {**body, **answer, "id": shapes.object_id(answer)}
    if not stored["id"]:
        raise UpstreamError(f"Context Service stored the {NAMES[object_type]} but did not say its id.")
    if not answer.get("lastUpdated"):
        return get(backend, object_type, stored["id"])
    # A new object was created when it was last updated (inferred: the create answer carries no ``created``).
    stored.setdefault("created", answer["lastUpdated"])
    stored.setdefault("state", "closed" if object_type == "detail" else "active")
    return stored


def search(
    backend: Backend,
    object_type: str,
    terms: Iterable[tuple[str, object]] = (),
    text: str | None = None,
    operation: str = "and",
    start: int = 0,
    max_entries: int = MAX_ENTRIES,
    sort: str = "lastUpdated",
) -> tuple[list[Wire], bool]:
    """``(wire objects, more)``, newest first, for ``key:value`` terms and/or free ``text``.

    Context Service answers no total, so one more object than needed is asked for: ``more`` says whether
    there are objects after this page (at the 200-object cap, a full page counts as "maybe more")."""
    asked = min(max_entries + 1, MAX_ENTRIES)
    params: dict[str, Any] = {
        "operation": operation,
        "startIndex": start,
        "maxEntries": asked,
        "sortedBy": sort,
        "sortOrder": "desc",
    }
    if terms:
        params["q"] = " ".join(f"{key}:{quoted(value)}" for key, value in terms)
    if text:
        params["query_string"] = text
    found = backend.cs.search(object_type, params)
    return found[:max_entries], len(found) > max_entries or (asked == max_entries and len(found) == asked)


def search_whole(
    backend: Backend, object_type: str, term_lists: Sequence[Sequence[tuple[str, object]]], sort: str = "created"
) -> list[Wire]:
    """Every object any of the ``term_lists`` finds (each list's terms ORed), however many, newest ``sort`` first.

    The searches run side by side; each that comes back full (more may follow: Context Service answers at most
    200) is read on from where it stopped (``startIndex``) in the next round, side by side with the others still
    unfinished, until each is read whole. An object found twice (one stored meanwhile shifts a page) is kept once.
    """
    found: dict[str, Wire] = {}
    pending = [(terms, 0) for terms in term_lists]
    while pending:
        pages = backend.parallel(
            *[
                functools.partial(search, backend, object_type, terms, operation="or", start=start, sort=sort)
                for terms, start in pending
            ]
        )
        found.update((wire["id"], wire) for page, _ in pages for wire in page)
        pending = [(terms, start + len(page)) for (terms, start), (page, more) in zip(pending, pages) if more and page]
    return sorted(found.values(), key=lambda wire: wire.get(sort) or "", reverse=True)


def check_fresh(wire: Wire, object_type: str, last_updated: str) -> None:
    """Conflict with the current object (gadget shape) when the caller's ``lastUpdated`` is stale."""
    if wire.get("lastUpdated") != last_updated:
        raise Conflict(
            f"This {NAMES[object_type]} was changed by someone else at {wire.get('lastUpdated')}; "
            "load the changes and try again.",
            field="lastUpdated",
            current=SHAPERS[object_type](wire),
        )


def update(backend: Backend, object_type: str, object_id: str, body: Wire) -> Wire:
    """PUT an update; a conflict Context Service detects comes back with ``current`` in the gadget shape."""
    try:
        return backend.cs.update(object_type, object_id, body)
    except Conflict as exc:
        raw = exc.details.get("current")
        if isinstance(raw, dict) and "id" in raw:
            exc.details["current"] = SHAPERS[object_type](raw)
        raise


def update_fields(
    backend: Backend,
    agent: Agent,
    object_type: str,
    wire: Wire,
    body: Mapping[str, Any],
    last_updated: str,
    **change: Any,
) -> Wire:
    """PUT the caller's ``fields`` (checked against the object's fieldsets) and ``change``, with the agent added
    as a contributor; the stored object."""
    fields = checked_fields(backend, body.get("fields") or {}, wire.get("fieldsets") or [])
    change.update(lastUpdated=last_updated, contributors=with_contributor(wire, agent))
    if fields:
        change["dataElements"] = merged_elements(backend, wire, fields)
    return updated(backend, object_type, wire, change)


def updated(backend: Backend, object_type: str, wire: Wire, change: Wire) -> Wire:
    """PUT ``change`` (with the ``lastUpdated`` it updates) of the object ``wire``; the stored object, built as
    a create's is from the version changed, the change sent and the answer over them. The PUT answer is inferred
    (reference §2.2): the whole object or ``{id, lastUpdated}`` give it without a read, an answer without
    ``lastUpdated`` (an empty body, a 204) is read back."""
    answer = update(backend, object_type, wire["id"], change)
    if not isinstance(answer, dict) or not answer.get("lastUpdated"):
        return get(backend, object_type, wire["id"])
    return {**wire, **change, **answer}


def require_open(request_wire: Wire, message: str) -> None:
    """RequestClosed unless the request is active."""
    if request_wire.get("state") == "closed":
        raise RequestClosed(message, field="requestId")


def allowed_fields(backend: Backend, fieldsets: Iterable[str]) -> set[str]:
    """Ids of the fields an object with these fieldsets may carry."""
    return set(backend.dictionary.active_fields_of(fieldsets))


def merged_elements(backend: Backend, wire: Wire, changes: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The object's dataElements with ``changes`` applied (None or "" removes a field)."""
    fields = {**shapes.fields_of(wire), **changes}
    return shapes.data_elements(fields, backend.dictionary.field_types())


def checked_fields(backend: Backend, fields: object, fieldsets: Sequence[str]) -> Fields:
    """Validated ``{field: value}`` for an object with ``fieldsets``."""
    return validation.field_values(fields, allowed_fields(backend, fieldsets), backend.dictionary)


def contributor(agent: Agent) -> dict[str, str]:
    """The agent as a Context Service contributor."""
    return {"type": "USER", "username": agent.id}


def with_contributor(wire: Wire, agent: Agent) -> list[dict[str, Any]]:
    """The object's contributors with the agent added once."""
    contributors = list(wire.get("contributors") or [])
    if contributor(agent) not in contributors:
        contributors.append(contributor(agent))
    return contributors


def quoted(value: object) -> str:
    """A value as a quoted search phrase (double quotes inside are dropped)."""
    return '"' + str(value).replace('"', " ") + '"'
