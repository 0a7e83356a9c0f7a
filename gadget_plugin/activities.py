"""Activities (Context Service PODs): create one for an interaction, update tags and fields, get one."""
from . import comments, shapes, store, validation
from .errors import GadgetError, ValidationFailed

NEW = "new"


def get(backend, activity_id, read=None):
    """One activity with its comments, read concurrently (``read``: how to get the activity, default a GET)."""
    wire, notes = backend.parallel(read or (lambda: store.get(backend, "pod", activity_id)),
                                   lambda: comments.for_activities(backend, [activity_id]))
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
    return {"Context_POD_Source_Cust_Name": validation.text(source.get("name"), "source.name"),
            "Context_POD_Source_Email": validation.text(source.get("email"), "source.email"),
            "Context_POD_Source_Phone": validation.text(source.get("phone"), "source.phone")}


def create(backend, agent, body):
    """Record an interaction: ``{customerId?, requestId?|"new", mediaType, source, dialogId}``.

    Returns ``(activity, created)``. A dialog already recorded returns its activity (``created`` False), so
    a reloaded gadget never records a call twice. Without ``requestId`` the activity joins the customer's
    newest open request, else a new one. Everything is validated before the first write; a new request is
    created only right before the activity.
    """
    media_type = validation.media_type(body.get("mediaType"))
    dialog_id = validation.text(body.get("dialogId"), "dialogId", limit=128)
    recorded = activity_for_dialog(backend, dialog_id) if dialog_id else None
    if recorded:
        return get(backend, recorded["id"], lambda: recorded), False
    fields = validation.normalized_contacts({k: v for k, v in source_fields(body.get("source")).items() if v})
    if dialog_id:
        fields["Context_POD_Activity_Link"] = dialog_link(dialog_id)
    customer_id = validation.text(body.get("customerId"), "customerId", limit=128)
    # Everything the activity needs (the dictionary included) is in hand before a new request is created.
    pod = {"type": "activity", "mediaType": media_type, "fieldsets": list(backend.config["ACTIVITY_FIELDSETS"]),
           "contributors": [store.contributor(agent)],
           "dataElements": shapes.data_elements(fields, backend.dictionary.field_types())}
    target_request = _target_request(backend, agent, customer_id, body.get("requestId"))
    if customer_id:
        pod.update(customerId=customer_id, parentId=target_request["id"])
    try:
        created = backend.cs.create("pod", pod)
    except GadgetError as exc:
        if target_request and target_request.get("_new"):
            exc.message += f" (request {target_request['id']} was created for it and is still empty)"
        raise
    return get(backend, created["id"]), True


def _target_request(backend, agent, customer_id, request_id):
    """The request a new activity joins (checked open and the customer's), creating one last; None: no customer."""
    if not customer_id:
        if request_id is not None:
            raise ValidationFailed("requestId needs the customerId the request belongs to.", field="customerId")
        return None
    store.get(backend, "customer", customer_id, field="customerId")
    if request_id not in (None, NEW):
        target = store.get(backend, "request", validation.text(request_id, "requestId", limit=128), field="requestId")
        store.require_open(target, "Activities can be added to open requests only; this one is closed.")
        if shapes.customer_id(target) != customer_id:
            raise ValidationFailed("requestId belongs to another customer.", field="requestId")
        return target
    found = newest_open_request(backend, customer_id) if request_id is None else None
    return found or new_request(backend, agent, customer_id)


def activity_for_dialog(backend, dialog_id):
    """The activity already recorded for this Finesse dialog, or None (each dialog is recorded once)."""
    found, _ = store.search(backend, "pod", [("Context_POD_Activity_Link", dialog_link(dialog_id))],
                            max_entries=5)
    link = dialog_link(dialog_id)
    return next((wire for wire in found if shapes.fields_of(wire).get("Context_POD_Activity_Link") == link), None)


def new_request(backend, agent, customer_id):
    """Create an empty active request for the customer; ``{"id", "_new": True}``."""
    created = backend.cs.create("request", {"type": "request", "customerId": customer_id,
                                            "fieldsets": [store.REQUEST_FIELDSET], "dataElements": [],
                                            "contributors": [store.contributor(agent)]})
    return {"id": created["id"], "_new": True}


def dialog_link(dialog_id):
    """How a Finesse dialog is linked from its activity (``Context_POD_Activity_Link``)."""
    return f"finesse:dialog:{dialog_id}"


def update(backend, agent, activity_id, body):
    """Change tags and/or fields of an activity that still has the caller's ``lastUpdated``."""
    last_updated = validation.last_updated(body)
    tags = validation.tags(body.get("tags"))

    def read_modify_write():
        """Check freshness, merge the change, PUT it; the stored activity."""
        wire = store.get(backend, "pod", activity_id)
        store.check_fresh(wire, "pod", last_updated)
        change = {} if tags is None else {"tags": tags}
        return store.update_fields(backend, agent, "pod", wire, body, last_updated, **change)

    # An update does not change comments, so they are read while the update runs.
    return get(backend, activity_id, read_modify_write)
