"""Activities (Context Service PODs): create one for an interaction, update tags and fields, get one."""

import functools
import logging
import uuid

from . import comments, idempotency, shapes, store, validation
from .errors import GadgetError, ValidationFailed

log = logging.getLogger(__name__)

NEW = "new"
RETRY_FILLS_REQUEST = (
    " The request made for it is kept (not shown while empty): send it again to complete it, and "
    "it goes into that request."
)


def get(backend, activity_id, read=None):
    """One activity with its comments, read concurrently (``read``: how to get the activity, default a GET)."""
    wire, notes = backend.parallel(
        read or (lambda: store.get(backend, "pod", activity_id)),
        lambda: comments.for_activities(backend, [activity_id]),
    )
    return shapes.activity(wire, notes.get(activity_id, []))


def newest_open_request(backend, customer_id):
    """The customer's most recently updated active request, or None."""
    found, _ = store.search(backend, "request", [("customerId", customer_id), ("state", "active")], max_entries=1)
    return found[0] if found else None


def source_fields(source):
    """``Context_POD_Source_*`` fields from ``{name, email, phone}`` (each ≤ 2,000 characters)."""
    if source is None:
        return {}
    if not isinstance(source, dict):
        raise ValidationFailed("source must be an object {name, email, phone}.", field="source")
    return {
        "Context_POD_Source_Cust_Name": validation.text(source.get("name"), "source.name"),
        "Context_POD_Source_Email": validation.text(source.get("email"), "source.email"),
        "Context_POD_Source_Phone": validation.text(source.get("phone"), "source.phone"),
    }


def create(backend, agent, body, key=None):
    """Record an interaction: ``{customerId?, requestId?|"new", mediaType, source, dialogId}``.

    Returns ``(activity, created)``. A dialog already recorded, or a create retried with its idempotency
    ``key``, returns the activity already stored (``created`` False), so a reloaded gadget or a retry after a
    lost answer never records a call twice; concurrent creates for one dialog share one flight in this process,
    and a twin another process stored at the same moment is settled after the write (``_keep_one``). Without
    ``requestId`` the activity joins the customer's newest open request, else a new one. Everything is
    validated and read (in parallel) before the first write; a new request is created only right before the
    activity.
    """
    media_type = validation.media_type(body.get("mediaType"))
    dialog_id = validation.text(body.get("dialogId"), "dialogId", limit=128)
    fields = validation.normalized_contacts({k: v for k, v in source_fields(body.get("source")).items() if v})
    if dialog_id:
        fields["Context_POD_Activity_Link"] = dialog_link(dialog_id)
    customer_id = validation.text(body.get("customerId"), "customerId", limit=128)
    request_id = _request_id(customer_id, body.get("requestId"))
    # A dialog's link is its activity's key already; only an activity without one carries the key's tag.
    tag = idempotency.key_tag("pod", agent, key) if key and not dialog_id else None
    # Everything the activity needs (the dictionary included) is in hand before a new request is created.
    pod = {
        "type": "activity",
        "mediaType": media_type,
        "fieldsets": list(backend.config["ACTIVITY_FIELDSETS"]),
        "contributors": [store.contributor(agent)],
        "tags": [tag] if tag else [],
        "dataElements": shapes.data_elements(fields, backend.dictionary.field_types()),
    }
    record = functools.partial(_record, backend, agent, pod, customer_id, request_id)
    if not dialog_id and not tag:
        return record()
    (activity, created), leader = backend.creates.run(("dialog", dialog_id) if dialog_id else ("key", tag), record)
    return activity, created and leader


def _request_id(customer_id, value):
    """The validated ``requestId``: an id, ``"new"`` or None (the only one that needs no customer)."""
    if value is None:
        return None
    if not customer_id:
        raise ValidationFailed("requestId needs the customerId the request belongs to.", field="customerId")
    return NEW if value == NEW else validation.text(value, "requestId", limit=128)


def _record(backend, agent, pod, customer_id, request_id):
    """Read what the create needs in one parallel round, then write: ``(activity, created)``."""
    link, tag = shapes.dialog_link(pod), (pod["tags"] or [None])[0]
    # The new request this activity may need carries a tag of the activity's identity: the retry finds it.
    made_for = idempotency.for_tag(link or tag or uuid.uuid4().hex) if request_id in (None, NEW) else None
    reads = _target_reads(backend, customer_id, request_id, made_for if link or tag else None)
    recorded, *outcomes = backend.parallel(lambda: _recorded(backend, link, tag), *map(_outcome, reads))
    if recorded:
        return get(backend, recorded["id"], lambda: recorded), False
    target = _target_request(customer_id, request_id, [_value(outcome) for outcome in outcomes])
    if customer_id:
        target = target or new_request(backend, agent, customer_id, made_for)
        pod = dict(pod, customerId=customer_id, parentId=target["id"])
    try:
        stored = store.create(backend, "pod", pod)
    except GadgetError as exc:
        if target and made_for in (target.get("tags") or []):
            exc.message += RETRY_FILLS_REQUEST
        raise
    kept = _keep_one(backend, link, stored) if link else stored
    if kept is not stored:
        return get(backend, kept["id"], lambda: kept), False
    return shapes.activity(stored), True  # a new activity has no comments yet


def _target_reads(backend, customer_id, request_id, made_for=None):
    """The reads that find and check the request a new activity joins (none without a customer); for a new
    request, the one an earlier try made for this activity (``made_for``)."""
    if not customer_id:
        return []
    if request_id not in (None, NEW):
        return [functools.partial(store.get, backend, "request", request_id, field="requestId")]
    reads = [functools.partial(store.get, backend, "customer", customer_id, field="customerId")]
    if request_id == NEW:
        return [*reads, functools.partial(idempotency.find, backend, "request", made_for)] if made_for else reads
    return [*reads, functools.partial(newest_open_request, backend, customer_id)]


def _target_request(customer_id, request_id, read):
    """The request (checked open and the customer's) from ``_target_reads``' answers; None: make a new one."""
    if not customer_id:
        return None
    if request_id == NEW:
        earlier = read[1] if len(read) > 1 else None
        reusable = earlier and earlier.get("state") != "closed" and shapes.customer_id(earlier) == customer_id
        return earlier if reusable else None
    if request_id is None:
        return read[1]
    target = read[0]
    store.require_open(target, "Activities can be added to open requests only; this one is closed.")
    if shapes.customer_id(target) != customer_id:
        raise ValidationFailed("requestId belongs to another customer.", field="requestId")
    return target


def _outcome(read):
    """``read`` made to return ``(value, error)``: a dialog already recorded wins over a failed check."""

    def run():
        try:
            return read(), None
        except GadgetError as exc:
            return None, exc

    return run


def _value(outcome):
    value, error = outcome
    if error is not None:
        raise error
    return value


def _recorded(backend, link, tag):
    """The activity already stored for this dialog link or key tag (the one to keep), or None."""
    found = _activities_for(backend, link, tag) if link or tag else []
    return min(found, key=shapes.age) if found else None


def _activities_for(backend, link, tag=None):
    """Activities carrying the dialog link or the key tag, twins marked as such left out."""
    terms = ([("Context_POD_Activity_Link", link)] if link else []) + ([("tags", tag)] if tag else [])
    found, _ = store.search(backend, "pod", terms, operation="or", max_entries=10)
    return [
        wire
        for wire in found
        if shapes.TWIN_TAG not in (wire.get("tags") or [])
        and ((link and shapes.dialog_link(wire) == link) or (tag and tag in (wire.get("tags") or [])))
    ]


def _keep_one(backend, link, stored):
    """The activity to keep for a dialog just recorded as ``stored``: the first stored of any twins another
    process recorded at the same moment (oldest, then lowest id: every process picks the same one). When it is
    not ours, ours is marked a twin, which hides it from the journey."""
    twins = {wire["id"]: wire for wire in _activities_for(backend, link)}
    twins.setdefault(stored["id"], stored)
    keep = min(twins.values(), key=shapes.age)
    if keep["id"] == stored["id"]:
        return stored
    try:
        store.update(
            backend,
            "pod",
            stored["id"],
            {"lastUpdated": stored["lastUpdated"], "tags": [*stored.get("tags", []), shapes.TWIN_TAG]},
        )
    except GadgetError:
        log.warning("twin activity not marked", extra={"activity": stored["id"], "kept": keep["id"]})
    return keep


def new_request(backend, agent, customer_id, made_for):
    """Create an empty active request for the customer, to receive the activity whose hidden tag is ``made_for``
    (the journey does not show it until the activity is in it); ``{"id", "tags"}``."""
    created = backend.cs.create(
        "request",
        {
            "type": "request",
            "customerId": customer_id,
            "tags": [made_for],
            "fieldsets": [store.REQUEST_FIELDSET],
            "dataElements": [],
            "contributors": [store.contributor(agent)],
        },
    )
    return {"id": created["id"], "tags": [made_for]}


def dialog_link(dialog_id):
    """How a Finesse dialog is linked from its activity (``Context_POD_Activity_Link``)."""
    return f"finesse:dialog:{dialog_id}"


def update(backend, agent, activity_id, body):
    """Change tags and/or fields of an activity that still has the caller's ``lastUpdated``."""
    last_updated = validation.last_updated(body)
    tags = validation.tags(body.get("tags"))
    if any(shapes.HIDDEN_TAG.match(tag) for tag in tags or []):
        raise ValidationFailed("That tag is reserved for the gadget's own records; choose another.", field="tags")

    def read_modify_write():
        """Check freshness, merge the change (keeping the proxy's hidden tags), PUT it; the stored activity."""
        wire = store.get(backend, "pod", activity_id)
        store.check_fresh(wire, "pod", last_updated)
        change = {} if tags is None else {"tags": tags + shapes.hidden_tags(wire)}
        return store.update_fields(backend, agent, "pod", wire, body, last_updated, **change)

    # An update does not change comments, so they are read while the update runs.
    return get(backend, activity_id, read_modify_write)
