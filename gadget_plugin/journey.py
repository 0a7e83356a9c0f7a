"""A customer's journey: requests with their activities and the activities' comments, newest first, paged.

The customer's newest activities are read together with the page of requests; only when the customer has
more activities than one read returns are the activities of the page's requests fetched by request.
"""

from . import comments, shapes, store

ACTIVITIES_PER_JOURNEY = 200
IDS_PER_QUERY = 50


def journey(backend, customer_id, start, max_entries):
    """``{requests: [Request + activities], unassigned: [Activity], moreRequests}``; paging over requests
    (``moreRequests``: there are requests after this page). A request made for an activity that is not in it
    is left out (``_waiting``)."""
    return journey_and_last_contact(backend, customer_id, start, max_entries)[0]


def journey_and_last_contact(backend, customer_id, start, max_entries):
    """``(journey, lastContact)``: the journey and when the customer's newest activity was created (or None),
    from the same searches."""
    (requests, more_requests), (activities, more_activities) = backend.parallel(
        lambda: store.search(
            backend, "request", [("customerId", customer_id)], start=start, max_entries=max_entries, sort="created"
        ),
        lambda: store.search(
            backend, "pod", [("customerId", customer_id)], max_entries=ACTIVITIES_PER_JOURNEY, sort="created"
        ),
    )
    if not requests and not activities:
        store.get(backend, "customer", customer_id)  # an empty journey: NotFound if there is no such customer
    last_contact = activities[0].get("created") if activities else None
    if more_activities:
        activities = _activities_of_page(backend, customer_id, [wire["id"] for wire in requests])
    notes = comments.for_activities(backend, [wire["id"] for wire in activities])
    by_request, unassigned = {}, []
    twins = _twins(activities)
    for wire in sorted(activities, key=lambda a: a.get("created") or "", reverse=True):
        if wire["id"] in twins:
            continue  # recorded at the same moment as the dialog's activity by another process (activities.py)
        shaped = shapes.activity(wire, notes.get(wire["id"], []))
        if shaped["requestId"]:
            by_request.setdefault(shaped["requestId"], []).append(shaped)
        else:
            unassigned.append(shaped)
    shaped_requests = [
        dict(shapes.request(wire), activities=by_request.get(wire["id"], []))
        for wire in sorted(requests, key=lambda r: r.get("created") or "", reverse=True)
        if not _waiting(wire, by_request)
    ]
    return {"requests": shaped_requests, "unassigned": unassigned, "moreRequests": more_requests}, last_contact


def _twins(activities):
    """Ids of the activities that are twins: marked so, or (their mark failed) a later one of a dialog that has
    an activity stored first — the one every process keeps (``activities._keep_one``)."""
    first = {}
    for wire in activities:
        link = shapes.dialog_link(wire)
        if link and shapes.TWIN_TAG not in (wire.get("tags") or []):
            first[link] = min(first.get(link, wire), wire, key=shapes.age)
    return {
        wire["id"]
        for wire in activities
        if shapes.TWIN_TAG in (wire.get("tags") or [])
        or (shapes.dialog_link(wire) and first[shapes.dialog_link(wire)]["id"] != wire["id"])
    }


def _waiting(wire, by_request):
    """True for a request the proxy made for an activity that is not in it, with no field set: it waits for the
    retry of a failed record or move (or was left empty by a move or undo), so the agent is not shown it."""
    return shapes.made_for_activity(wire) and not by_request.get(wire["id"]) and not shapes.fields_of(wire)


def _activities_of_page(backend, customer_id, request_ids):
    """The activities of these requests plus the customer's activities without a request."""
    searches = [
        lambda chunk=chunk: store.search(
            backend, "pod", [("parentId", i) for i in chunk], operation="or", sort="created"
        )[0]
        for chunk in (request_ids[i : i + IDS_PER_QUERY] for i in range(0, len(request_ids), IDS_PER_QUERY))
    ]
    searches.append(
        lambda: store.search(
            backend,
            "pod",
            [("customerId", customer_id), ("notExists", "parentId")],
            max_entries=ACTIVITIES_PER_JOURNEY,
            sort="created",
        )[0]
    )
    return [wire for found in backend.parallel(*searches) for wire in found]
