"""A customer's journey: requests with their activities and the activities' comments, newest first, paged."""
from . import comments, shapes, store

ACTIVITIES_PER_JOURNEY = 200


def journey(backend, customer_id, start, max_entries):
    """``{requests: [Request + activities], unassigned: [Activity], totalRequests}``; paging over requests."""
    (requests, total), (activities, _) = backend.parallel(
        lambda: store.search(backend, "request", [("customerId", customer_id)], start=start,
                             max_entries=max_entries, sort="created"),
        lambda: store.search(backend, "pod", [("customerId", customer_id)], max_entries=ACTIVITIES_PER_JOURNEY,
                             sort="created"))
    if not requests and not activities:
        store.get(backend, "customer", customer_id)  # an empty journey: NotFound if there is no such customer
    notes = comments.for_activities(backend, [wire["id"] for wire in activities])
    by_request, unassigned = {}, []
    for wire in sorted(activities, key=lambda a: a.get("created") or "", reverse=True):
        shaped = shapes.activity(wire, notes.get(wire["id"], []))
        if shaped["requestId"]:
            by_request.setdefault(shaped["requestId"], []).append(shaped)
        else:
            unassigned.append(shaped)
    shaped_requests = [dict(shapes.request(wire), activities=by_request.get(wire["id"], []))
                       for wire in sorted(requests, key=lambda r: r.get("created") or "", reverse=True)]
    return {"requests": shaped_requests, "unassigned": unassigned, "totalRequests": total}
