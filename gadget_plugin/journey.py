"""A customer's journey: requests with their activities and the activities' comments, newest first, paged.

The customer's newest activities are read together with the page of requests; only when the customer has
more activities than one read returns are the activities of the page's requests fetched by request. The reads
are split by round (``read_first``, ``read_rest``) and from the shaping (``shaped``) so the screen pop can
decide on its token after the first round and answer before the comments (``partial``).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import comments, shapes, store
from .backend import Backend

ACTIVITIES_PER_JOURNEY = 200
IDS_PER_QUERY = 50

Wire = dict[str, Any]


@dataclass
class JourneyReads:
    """What the journey's searches found, before comments: a page of wire requests (``more_requests``: there
    are requests after it), the activities of that page and of no request, when the customer's newest
    activity was created (``last_contact``), and the ids of twins to leave out. ``complete`` is False after
    the first of two rounds: ``activities`` are then only the customer's newest ones."""

    requests: list[Wire]
    more_requests: bool
    activities: list[Wire]
    last_contact: str | None
    twins: set[str]
    complete: bool = True

    def by_request(self) -> dict[str, list[Wire]]:
        """``{request id: [wire activity]}`` of the activities shown (twins left out)."""
        grouped: dict[str, list[Wire]] = {}
        for wire in self.activities:
            parent = shapes.parent_id(wire)
            if parent and wire["id"] not in self.twins:
                grouped.setdefault(parent, []).append(wire)
        return grouped

    def newest_open_request(self, own_tag: str | None = None) -> Wire | None:
        """The most recently updated active request of the page a new activity may join: never one the proxy
        made for another activity that is still waiting for it (``waiting``); ``own_tag``'s one is fine (it
        waits for this very activity)."""
        filled = self.by_request()
        candidates = [
            wire
            for wire in self.requests
            if wire.get("state", "active") != "closed"
            and (not waiting(wire, filled) or (own_tag is not None and own_tag in (wire.get("tags") or [])))
        ]
        return max(candidates, key=lambda wire: wire.get("lastUpdated") or "", default=None)

    def newest_open_request_known(self, own_tag: str | None = None) -> bool:
        """True when ``newest_open_request`` cannot change once older activities are read too: only the newest
        activities are in hand after the first of two rounds, so a request that looks empty may not be; none
        of those is newer than the request picked."""
        target, filled = self.newest_open_request(own_tag), self.by_request()
        newest = (target.get("lastUpdated") or "") if target else None
        return not any(
            wire.get("state", "active") != "closed"
            and waiting(wire, filled)
            and (newest is None or (wire.get("lastUpdated") or "") > newest)
            for wire in self.requests
        )


def journey(backend: Backend, customer_id: str, start: int, max_entries: int) -> dict[str, Any]:
    """``{requests: [Request + activities], unassigned: [Activity], moreRequests}``; paging over requests
    (``moreRequests``: there are requests after this page). A request made for an activity that is not in it
    is left out (``waiting``)."""
    return shaped(backend, read(backend, customer_id, start, max_entries))


def read(backend: Backend, customer_id: str, start: int, max_entries: int) -> JourneyReads:
    """The journey's searches: one round, two when the customer has more activities than one read returns."""
    first = read_first(backend, customer_id, start, max_entries)
    return first if first.complete else read_rest(backend, customer_id, first)


def read_first(backend: Backend, customer_id: str, start: int, max_entries: int) -> JourneyReads:
    """The journey's first round: the page of requests beside the customer's newest activities (``complete``
    unless the customer has more activities than that read returns)."""
    return read_first_beside(backend, customer_id, start, max_entries)[0]


def read_first_beside(
    backend: Backend, customer_id: str, start: int, max_entries: int, *beside: Callable[[], Any]
) -> tuple[JourneyReads, list[Any]]:
    """``read_first`` with other calls made in the same round: ``(the reads, the other calls' results)``."""
    found_requests, found_activities, *others = backend.parallel(
        *first_round(backend, customer_id, start, max_entries), *beside
    )
    if not found_requests[0] and not found_activities[0]:
        store.get(backend, "customer", customer_id)  # an empty journey: NotFound if there is no such customer
    return first_reads(found_requests, found_activities), others


def first_round(backend: Backend, customer_id: str, start: int, max_entries: int) -> list[Callable[[], Any]]:
    """The journey's first round as calls for one ``parallel``: the page of requests, the customer's newest
    activities (their results make ``first_reads``)."""
    return [
        lambda: store.search(
            backend, "request", [("customerId", customer_id)], start=start, max_entries=max_entries, sort="created"
        ),
        lambda: store.search(
            backend, "pod", [("customerId", customer_id)], max_entries=ACTIVITIES_PER_JOURNEY, sort="created"
        ),
    ]


def first_reads(found_requests: tuple[list[Wire], bool], found_activities: tuple[list[Wire], bool]) -> JourneyReads:
    """The reads of the journey's first round from its two searches' ``(found, more)``."""
    (requests, more_requests), (activities, more_activities) = found_requests, found_activities
    last_contact = activities[0].get("created") if activities else None
    return JourneyReads(requests, more_requests, activities, last_contact, _twins(activities), not more_activities)


def read_rest(backend: Backend, customer_id: str, first: JourneyReads) -> JourneyReads:
    """The journey's second round after an incomplete first one: the activities of the page's requests."""
    activities = _activities_of_page(backend, customer_id, [wire["id"] for wire in first.requests])
    return JourneyReads(first.requests, first.more_requests, activities, first.last_contact, _twins(activities))


def shaped(backend: Backend, reads: JourneyReads, partial: bool = False) -> dict[str, Any]:
    """The journey in the gadget's shape from its reads, with the activities' comments (one more round).

    ``partial``: as far as the reads go, at once: no comments (each activity's ``comments`` is None: not read
    yet) and ``complete`` False when ``reads`` hold only the customer's newest activities (every request of the
    page is then listed: which ones wait for an activity is known only once all their activities are read)."""
    notes = None if partial else comments.for_activities(backend, [wire["id"] for wire in reads.activities])
    by_request: dict[str, list[dict[str, Any]]] = {}
    unassigned = []
    for wire in sorted(reads.activities, key=lambda a: a.get("created") or "", reverse=True):
        if wire["id"] in reads.twins:
            continue  # recorded at the same moment as the dialog's activity by another process (activities.py)
        activity = shapes.activity(wire, None if notes is None else notes.get(wire["id"], []))
        if activity["requestId"]:
            by_request.setdefault(activity["requestId"], []).append(activity)
        else:
            unassigned.append(activity)
    shaped_requests = [
        dict(shapes.request(wire), activities=by_request.get(wire["id"], []))
        for wire in sorted(reads.requests, key=lambda r: r.get("created") or "", reverse=True)
        # After only the first round, a request that looks empty may hold older activities not read yet: kept.
        if not reads.complete or not waiting(wire, by_request)
    ]
    shown = {"requests": shaped_requests, "unassigned": unassigned, "moreRequests": reads.more_requests}
    return dict(shown, complete=reads.complete) if partial else shown


def _twins(activities: list[Wire]) -> set[str]:
    """Ids of the activities that are twins: marked so, or (their mark failed or is not made yet) a later one of
    a dialog that has an activity stored first — the one every process keeps (``activities.keep_one``)."""
    first: dict[str, Wire] = {}
    for wire in activities:
        link = shapes.dialog_link(wire)
        if link and shapes.TWIN_TAG not in (wire.get("tags") or []):
            first[link] = min(first.get(link, wire), wire, key=shapes.age)
    twins = set()
    for wire in activities:
        link = shapes.dialog_link(wire)
        if shapes.TWIN_TAG in (wire.get("tags") or []) or (link and first[link]["id"] != wire["id"]):
            twins.add(wire["id"])
    return twins


def waiting(wire: Wire, by_request: dict[str, Any]) -> bool:
    """True for a request the proxy made for an activity that is not in it, with no field set: it waits for the
    retry of a failed record or move (or was left empty by a move or undo), so the agent is not shown it and no
    other activity joins it."""
    return shapes.made_for_activity(wire) and not by_request.get(wire["id"]) and not shapes.fields_of(wire)


def _activities_of_page(backend: Backend, customer_id: str, request_ids: list[str]) -> list[Wire]:
    """The activities of these requests plus the customer's activities without a request."""
    searches = [
        functools.partial(_search_pods, backend, [("parentId", i) for i in chunk], "or", store.MAX_ENTRIES)
        for chunk in (request_ids[i : i + IDS_PER_QUERY] for i in range(0, len(request_ids), IDS_PER_QUERY))
    ]
    unassigned = [("customerId", customer_id), ("notExists", "parentId")]
    searches.append(functools.partial(_search_pods, backend, unassigned, "and", ACTIVITIES_PER_JOURNEY))
    return [wire for found in backend.parallel(*searches) for wire in found]


def _search_pods(backend: Backend, terms: list[tuple[str, str]], operation: str, max_entries: int) -> list[Wire]:
    """Activities matching ``terms``, newest created first."""
    found: list[Wire] = store.search(
        backend, "pod", terms, operation=operation, sort="created", max_entries=max_entries
    )[0]
    return found
