"""Activities (Context Service PODs): create one for an interaction, update tags and fields, get one."""

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any, cast

from . import comments, dialog_links, guess, idempotency, open_requests, shapes, store, validation
from .agent_auth import Agent
from .backend import Backend, GadgetBackend
from .errors import Conflict, GadgetError, RequestClosed, ValidationFailed
from .prepared import Prepared

log = logging.getLogger(__name__)

NEW = "new"
RETRY_FILLS_REQUEST = (
    " The request made for it is kept (not shown while empty): send it again to complete it, and "
    "it goes into that request."
)
Wire = dict[str, Any]


def get(backend: Backend, activity_id: str, read: Any = None) -> dict[str, Any]:
    """One activity with its comments, read concurrently (``read``: how to get the activity, default a GET)."""
    wire, notes = backend.parallel(
        read or (lambda: store.get(backend, "pod", activity_id)),
        lambda: comments.for_activities(backend, [activity_id]),
    )
    return shapes.activity(wire, notes.get(activity_id, []))


def source_fields(source: Any) -> dict[str, str | None]:
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


def create(
    backend: GadgetBackend, agent: Agent, body: dict[str, Any], key: str | None = None
) -> tuple[dict[str, Any], bool]:
    """Record an interaction: ``{customerId?, requestId?|"new", mediaType, source, dialogId, prepared?}``.

    Returns ``(activity, created)``. A dialog already recorded, or a create retried with its idempotency
    ``key``, returns the activity already stored (``created`` False), so a reloaded gadget or a retry after a
    lost answer never records a call twice; concurrent creates for one dialog share one flight in this process.
    Without ``requestId`` the activity joins the customer's newest open request, else a new one. Everything is
    validated and read (in parallel) before the first write; a new request is created only right before the
    activity. With a valid ``prepared`` token of the screen pop (``prepared.py``) the reads were made while the
    contact rang: only the write(s) are left. A twin another process stored at the same moment is settled
    after the answer (``dialog_links.keep_one``, in the background).
    """
    media_type = validation.media_type(body.get("mediaType"))
    dialog_id = validation.text(body.get("dialogId"), "dialogId", limit=128)
    fields = validation.normalized_contacts({k: v for k, v in source_fields(body.get("source")).items() if v})
    if dialog_id:
        fields["Context_POD_Activity_Link"] = dialog_links.dialog_link(dialog_id)
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
    prepared = _prepared(backend, agent, body.get("prepared"), dialog_id, media_type, customer_id, request_id)
    if prepared:
        record = functools.partial(_write_prepared, backend, agent, pod, prepared, record)
    if not dialog_id and not tag:
        return record()
    (activity, created), leader = backend.creates.run(("dialog", dialog_id) if dialog_id else ("key", tag), record)
    return activity, created and leader


def _request_id(customer_id: str | None, value: Any) -> str | None:
    """The validated ``requestId``: an id, ``"new"`` or None (the only one that needs no customer)."""
    if value is None:
        return None
    if not customer_id:
        raise ValidationFailed("requestId needs the customerId the request belongs to.", field="customerId")
    return NEW if value == NEW else validation.text(value, "requestId", limit=128)


def _prepared(
    backend: GadgetBackend,
    agent: Agent,
    token: Any,
    dialog_id: str | None,
    media_type: str,
    customer_id: str | None,
    request_id: str | None,
) -> Prepared | None:
    """The body's verified ``prepared`` token when it fits the create (a ``requestId`` in the body, if any, must
    be the one it names); None: the full path."""
    if token is None:
        return None
    prepared: Prepared | None = backend.prepared.verify(token, agent.id, dialog_id, media_type, customer_id)
    if prepared and request_id not in (None, prepared.request_id):
        log.info("prepared token not used", extra={"reason": "other request", "dialog": dialog_id})
        return None
    return prepared


def _write_prepared(
    backend: GadgetBackend, agent: Agent, pod: Wire, prepared: Prepared, full_path: Callable[[], Any]
) -> tuple[dict[str, Any], bool]:
    """The create the screen pop prepared: POST the activity into the request it checked beside the dialog-link
    check and a read of that request (one round), or make the new request first (two).

    A dialog recorded since the screen pop's check (the token used twice, another tab or process) answers the
    activity stored first, ours marked a twin at once. A request closed since the check, whether the write is
    refused or accepted into it, sends the create down its full path (an accepted write marked a twin first).
    A guessed request (``prepared.verified`` False, ``guess.py``) is proved by the rule's reads beside the write.
    """
    link = dialog_links.dialog_link(prepared.dialog_id)
    made_for = idempotency.for_tag(link) if prepared.request_id == NEW else None
    checks: list[Callable[[], Any]] = [functools.partial(dialog_links.recorded, backend, link)]
    if made_for:
        target = new_request(backend, agent, prepared.customer_id, made_for)
    else:
        target = {"id": prepared.request_id, "tags": []}
        checks.append(functools.partial(store.get, backend, "request", prepared.request_id, field="requestId"))
    if not prepared.verified:
        checks += open_requests.reads(backend, prepared.customer_id)
        pod = dict(pod, tags=[*pod["tags"], shapes.GUESS_TAG])  # proved below; a retry finds it unproved
    write = functools.partial(_write, backend, pod, prepared.customer_id, target, made_for)
    written, *checked = backend.parallel(_outcome(write), *map(_outcome, checks))
    try:
        stored = _value(written)
    except (RequestClosed, ValidationFailed) as exc:
        if isinstance(exc, ValidationFailed) and prepared.verified:
            raise
        log.info("prepared request refused the write", extra={"request": prepared.request_id, "reason": exc.code})
        return full_path()
    kept = _kept_over(backend, stored, _checked(checked[0], stored))
    if kept:
        return kept
    request = _checked(checked[1], stored) if len(checked) > 1 else None
    # A guess is another customer's request only if a cloud accepted such a write (the mock refuses it).
    elsewhere = request and not prepared.verified and shapes.customer_id(request) != prepared.customer_id
    if request and (request.get("state") == "closed" or elsewhere):
        log.info("prepared request closed since, write accepted", extra={"request": prepared.request_id})
        dialog_links.mark_twin(backend, stored, None)
        return full_path()
    if not prepared.verified:
        stored = _proved(backend, agent, stored, prepared.customer_id, checked[2:])
    return _answered(backend, stored)


def _proved(backend: Backend, agent: Agent, stored: Wire, customer_id: str, outcomes: list[Any]) -> Wire:
    """The activity just written into a guessed request, where the rule puts it: left there when the rule picks
    the guess, else moved (``_moved``) to the request the rule picks or to a new one, before the answer."""
    own_tag = idempotency.for_tag(shapes.dialog_link(stored) or "")
    target = guess.rule_target(backend, customer_id, outcomes, own_tag, stored)
    if target and target["id"] == shapes.parent_id(stored):
        return stored
    return _moved(backend, stored, customer_id, target or new_request(backend, agent, customer_id, own_tag))


def _moved(backend: Backend, stored: Wire, customer_id: str, target: Wire) -> Wire:
    """The activity in a guessed request moved (its ``parentId``, the guess's mark dropped) into ``target``.

    Should the move fail, the activity stays unproved in the guess and the error is raised: a retry (``_record``)
    finds it so and proves it again. A move refused as stale means another create of the dialog (another process)
    proved it meanwhile, or an agent changed it: the activity as it is now is the answer."""
    log.info("guessed request proven wrong", extra={"request": shapes.parent_id(stored), "rule": target["id"]})
    tags = [tag for tag in stored.get("tags") or [] if tag != shapes.GUESS_TAG]
    change = {"lastUpdated": stored["lastUpdated"], "customerId": customer_id, "parentId": target["id"], "tags": tags}
    try:
        return store.updated(backend, "pod", stored, change)
    except Conflict:
        log.info("guessed activity changed meanwhile", extra={"activity": stored["id"]})
        return store.get(backend, "pod", stored["id"])


def _kept_over(backend: Backend, stored: Wire, found: Wire | None) -> tuple[dict[str, Any], bool] | None:
    """When the dialog's activity ``found`` beside our write was stored before ours (another tab or process
    recorded the dialog since it was checked): ours is marked a twin at once and the answer is the kept one."""
    if not found or shapes.age(found) >= shapes.age(stored):
        return None
    _, kept = backend.parallel(
        functools.partial(dialog_links.mark_twin, backend, stored, found["id"]),
        lambda: get(backend, found["id"], lambda: found),
    )
    return cast(dict[str, Any], kept), False


def _checked(outcome: tuple[Any, GadgetError | None], stored: Wire) -> Any:
    """The value of a check made beside a write; None (logged) when it failed: the write stands, the background
    settle still looks for twins."""
    value, error = outcome
    if error is not None:
        log.warning("check beside the write failed", extra={"activity": stored["id"], "reason": error.code})
    return value


def _record(
    backend: GadgetBackend, agent: Agent, pod: Wire, customer_id: str | None, request_id: str | None
) -> tuple[dict[str, Any], bool]:
    """Read what the create needs in one parallel round, then write: ``(activity, created)``."""
    link: str | None = shapes.dialog_link(pod)
    tag: str | None = (pod["tags"] or [None])[0]
    # The new request this activity may need carries a tag of the activity's identity: the retry finds it.
    made_for = idempotency.for_tag(link or tag or uuid.uuid4().hex) if request_id in (None, NEW) else None
    reads = _target_reads(backend, customer_id, request_id, made_for if link or tag else None)
    found, *outcomes = backend.parallel(lambda: dialog_links.recorded(backend, link, tag), *map(_outcome, reads))
    if found:
        if customer_id and request_id is None and guess.unproved(found) and shapes.customer_id(found) == customer_id:
            # Its proof's move may have failed: the rule's reads made beside tell (``made_for`` is its own tag).
            target = guess.retry_target(backend, customer_id, outcomes[1:], made_for or "", found)
            found = _moved(backend, found, customer_id, target) if target else found
            backend.versions.keep(found)
        return get(backend, found["id"], lambda: found), False
    target = _target_request(backend, customer_id, request_id, [_value(outcome) for outcome in outcomes], made_for)
    if customer_id:
        target = target or new_request(backend, agent, customer_id, made_for)
    write = functools.partial(_write, backend, pod, customer_id, target, made_for)
    if not link:
        return _answered(backend, write())
    # The dialog searched again beside the write (no round more): recorded elsewhere since the read round, the
    # first stored is answered and ours hidden at once, as for a prepared write.
    written, checked = backend.parallel(
        _outcome(write), _outcome(functools.partial(dialog_links.recorded, backend, link))
    )
    stored = _value(written)
    return _kept_over(backend, stored, _checked(checked, stored)) or _answered(backend, stored)


def _write(backend: Backend, pod: Wire, customer_id: str | None, target: Wire | None, made_for: str | None) -> Wire:
    """POST the activity (into ``target`` for a customer's); the stored wire, built from the body sent and the
    create's answer."""
    if customer_id and target:
        pod = dict(pod, customerId=customer_id, parentId=target["id"])
    try:
        return store.create(backend, "pod", pod)
    except GadgetError as exc:
        if target and made_for in (target.get("tags") or []):
            exc.message += RETRY_FILLS_REQUEST
        raise


def _answered(backend: GadgetBackend, stored: Wire) -> tuple[dict[str, Any], bool]:
    """The answer of a new activity (it has no comments yet); the twin check of its dialog is left to the
    background settle (two writes at the same moment whose searches missed each other)."""
    backend.versions.keep(stored)
    link = shapes.dialog_link(stored)
    if link:
        backend.settles.submit(f"twins of {link}", functools.partial(dialog_links.keep_one, backend, link, stored))
    return shapes.activity(stored), True


def _target_reads(
    backend: Backend, customer_id: str | None, request_id: str | None, made_for: str | None = None
) -> list[Any]:
    """The reads that find and check the request a new activity joins (none without a customer); for a new
    request, the one an earlier try made for this activity (``made_for``)."""
    if not customer_id:
        return []
    if request_id not in (None, NEW):
        return [functools.partial(store.get, backend, "request", request_id, field="requestId")]
    reads = [functools.partial(store.get, backend, "customer", customer_id, field="customerId")]
    if request_id == NEW:
        return [*reads, functools.partial(idempotency.find, backend, "request", made_for)] if made_for else reads
    return [*reads, *open_requests.reads(backend, customer_id)]


def _target_request(
    backend: Backend, customer_id: str | None, request_id: str | None, read: list[Any], made_for: str | None
) -> Wire | None:
    """The request (checked open and the customer's) from ``_target_reads``' answers; None: make a new one."""
    if not customer_id:
        return None
    if request_id == NEW:
        earlier = read[1] if len(read) > 1 else None
        reusable = earlier and earlier.get("state") != "closed" and shapes.customer_id(earlier) == customer_id
        return earlier if reusable else None
    if request_id is None:
        return open_requests.newest_of(backend, read[1], read[2], made_for)
    target = read[0]
    store.require_open(target, "Activities can be added to open requests only; this one is closed.")
    if shapes.customer_id(target) != customer_id:
        raise ValidationFailed("requestId belongs to another customer.", field="requestId")
    return target


def _outcome(read: Any) -> Any:
    """``read`` made to return ``(value, error)``: a dialog already recorded wins over a failed check."""

    def run() -> tuple[Any, GadgetError | None]:
        try:
            return read(), None
        except GadgetError as exc:
            return None, exc

    return run


def _value(outcome: tuple[Any, GadgetError | None]) -> Any:
    value, error = outcome
    if error is not None:
        raise error
    return value


def new_request(backend: Backend, agent: Agent, customer_id: str | None, made_for: str | None) -> Wire:
    """Create an empty active request for the customer, to receive the activity whose hidden tag is ``made_for``
    (the journey does not show it until the activity is in it); ``{"id", "tags"}``."""
    created = backend.cs.create(
        "request",
        {
            "type": "request",
            "customerId": customer_id,
            "tags": [made_for] if made_for else [],
            "fieldsets": [store.REQUEST_FIELDSET],
            "dataElements": [],
            "contributors": [store.contributor(agent)],
        },
    )
    return {"id": created["id"], "tags": [made_for] if made_for else []}


def update(backend: GadgetBackend, agent: Agent, activity_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Change tags and/or fields of an activity that still has the caller's ``lastUpdated`` (``versions.py``)."""
    last_updated = validation.last_updated(body)
    tags = validation.tags(body.get("tags"))
    if any(shapes.HIDDEN_TAG.match(tag) for tag in tags or []):
        raise ValidationFailed("That tag is reserved for the gadget's own records; choose another.", field="tags")

    def modify_write(wire: Wire) -> Wire:
        """Check freshness, merge the change (keeping the proxy's hidden tags), PUT it; the stored activity."""
        store.check_fresh(wire, "pod", last_updated)
        change = {} if tags is None else {"tags": tags + shapes.hidden_tags(wire)}
        return store.update_fields(backend, agent, "pod", wire, body, last_updated, **change)

    read = functools.partial(store.get, backend, "pod", activity_id)
    # An update does not change comments, so they are read while the update runs.
    return get(backend, activity_id, lambda: backend.versions.write(activity_id, last_updated, modify_write, read))
