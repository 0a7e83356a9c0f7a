"""The request a new activity joins: the customer's most recently updated active one that is not waiting for another
activity (the full path of a create and of a move; the screen pop decides it from the journey's reads)."""

import functools
from typing import Any

from . import shapes, store
from .backend import Backend

OPEN_CANDIDATES = 5  # active requests read to find the newest one a new activity may join (see newest_open_request)
RECENT_ACTIVITIES = 50  # the customer's activities read beside them, to tell a filled request from a waiting one
Wire = dict[str, Any]


def newest_open_request(backend: Backend, customer_id: str, own_tag: str | None = None) -> Wire | None:
    """The customer's most recently updated active request a new activity may join, or None.

    Never a request the proxy made for another activity that is still waiting for it (empty, no field set: the
    journey does not show it); the one tagged ``own_tag`` (made for this very activity by an earlier try) is
    fine. Such a request is told from one whose activity arrived by the customer's recent activities, read
    beside the requests (one round; one more search only when a customer has more of them than one read gives).
    """
    candidates, parents = backend.parallel(*reads(backend, customer_id))
    return newest_of(backend, candidates, parents, own_tag)


def reads(backend: Backend, customer_id: str) -> list[Any]:
    """The two reads ``newest_of`` decides from: the newest active requests, the requests of the customer's
    newest activities."""
    return [
        functools.partial(
            store.search,
            backend,
            "request",
            [("customerId", customer_id), ("state", "active")],
            max_entries=OPEN_CANDIDATES,
        ),
        functools.partial(_recent_parents, backend, customer_id),
    ]


def _recent_parents(backend: Backend, customer_id: str) -> tuple[set[str], bool]:
    """Ids of the requests holding the customer's most recently updated activities, and whether there are more."""
    found, more = store.search(backend, "pod", [("customerId", customer_id)], max_entries=RECENT_ACTIVITIES)
    return {parent for parent in map(shapes.parent_id, found) if parent}, more


def newest_of(
    backend: Backend, candidates: tuple[list[Wire], bool], parents: tuple[set[str], bool], own_tag: str | None
) -> Wire | None:
    """The first of the active requests (newest first) that is not waiting for another activity."""
    holding, more = parents
    for wire in candidates[0]:
        maybe_waiting = shapes.made_for_activity(wire) and not shapes.fields_of(wire)
        if (
            not maybe_waiting
            or own_tag in (wire.get("tags") or [])
            or wire["id"] in holding
            or (more and _holds_an_activity(backend, wire["id"]))
        ):
            return wire
    return None


def _holds_an_activity(backend: Backend, request_id: str) -> bool:
    return bool(store.search(backend, "pod", [("parentId", request_id)], max_entries=1)[0])
