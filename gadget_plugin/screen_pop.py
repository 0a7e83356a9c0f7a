"""The screen pop in one call: the look-up of the interaction's identity and, for a single match, its journey;
with the interaction's dialog, whether it is recorded already and, if not, a ``prepared`` token for its create.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar, cast

from . import (
    activities,
    budget,
    bulkheads,
    comments,
    customers,
    dialog_links,
    guess,
    idempotency,
    journey,
    shapes,
    validation,
)
from .agent_auth import Agent
from .backend import Backend, GadgetBackend
from .caller_hints import Hint
from .errors import GadgetError, ValidationFailed
from .prepared import Prepared
from .rendezvous import MISSING, Rendezvous, Slot
from .shapes import Wire

T = TypeVar("T")
log = logging.getLogger(__name__)
IN_FLIGHT_WAIT_SECONDS = 5.0  # outside a request's budget (never in the API): how long a hand-over is waited for


def screen_pop(
    backend: GadgetBackend,
    agent: Agent,
    identity: dict[str, str | None],
    max_entries: int,
    dialog_id: str | None = None,
    media_type: str | None = None,
    partial: bool = False,
) -> dict[str, Any]:
    """``{matches: [Customer + lastContact], count, journey, recorded, prepared}``.

    ``identity``: ``{phone, email, chat}``. ``journey`` (first page) only for a single match. With a
    ``dialog_id``: ``recorded``, the activity already stored for the dialog (with its comments), else None;
    ``prepared``, for a single match and a dialog not recorded (with its ``media_type``: a create always names
    one, so a token without it could never verify), the signed token of the checks a create needs
    (``prepared.py``), else None. A single match costs three Context Service rounds: the look-up beside one
    search of activities (the dialog's link and, for a guess, the caller's newest activities: ``guess.py``), the
    journey's searches (which also give ``lastContact`` and the open request the create joins), the comments of
    its activities. The journey's searches join the look-up's round when this identity was found to be that
    customer lately (``caller_hints.py``): the look-up still decides.
    What it prepared is handed over on this host (``prepared_in_flight``): the guessed request as an unverified
    token right after the first round, the checked one at the end of the second, before the comments are read.

    ``partial``: the answer comes right after the journey's first round, without comments (``comments`` None
    on every activity, the recorded one's too) and with ``journey.complete`` False when the customer has more
    activities than that round read (the gadget reads the rest after its first paint); a token that needs
    the second round waits for it (the journey is then complete).
    """
    if not dialog_id:
        return _screen_pop(backend, agent, identity, max_entries, None, None, None, partial)
    key = (agent.id, dialog_id)
    slot = backend.pops.open(key)
    try:
        return _screen_pop(backend, agent, identity, max_entries, dialog_id, media_type, slot, partial)
    finally:
        backend.pops.close(key, slot)


def prepared_in_flight(backend: GadgetBackend, agent: Agent, dialog_id: str, reserve: float = 0.0) -> dict[str, Any]:
    """``{customerId, prepared, running}`` of the agent's screen pop of ``dialog_id`` running on this host, as
    soon as its checks are done (before the journey's comments are read); ``customerId`` and ``prepared`` None
    when it prepared nothing (no single match, or the dialog is recorded) and when no such screen pop runs here
    (``running`` false: the gadget waits for the screen pop's own answer). Never an error: the browser would log
    a 404 for what is an ordinary answer."""
    deadline = budget.current()
    wait = max(0.0, deadline.remaining() - reserve) if deadline else IN_FLIGHT_WAIT_SECONDS
    found = backend.pops.wait((agent.id, dialog_id), wait)
    if found is MISSING:
        return {"customerId": None, "prepared": None, "running": False}
    return dict(found, running=True)


def record_handed_over(backend: GadgetBackend, agent: Agent, body: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The hand-over and the record in one call (``POST /screen-pop/record``): ``{activity, running}``.

    ``body``: ``{dialogId, mediaType, source}``, checked before the wait. As soon as the agent's screen pop of the
    dialog on this host hands its prepared token over (``prepared_in_flight``), the activity is created with it
    (``activities.create``, with the create's ``key``) and answered; ``activity`` None when nothing was handed
    over (no such screen pop runs on the host, or it prepared nothing): the gadget then records with the screen
    pop's own answer. One call instead of the hand-over's and the record's: the record leaves the browser at
    ACTIVE, not a round trip to the proxy later.
    """
    dialog_id = validation.text(body.get("dialogId"), "dialogId", required=True, limit=128)
    validation.media_type(body.get("mediaType"))
    activities.source_fields(body.get("source"))
    if body.get("activityId") is not None:  # a dialog's POD.ID is assigned by POST /activities, never here
        raise ValidationFailed("activityId is not taken here: send the record to POST /activities.", field="activityId")
    # The wait leaves a quarter of the budget to the write; it holds no slot, the write takes one of the writes.
    handed = prepared_in_flight(backend, agent, dialog_id, reserve=backend.config["REQUEST_BUDGET_SECONDS"] / 4)
    if not handed["prepared"]:
        return {"activity": None, "running": handed["running"]}
    record = {
        "customerId": handed["customerId"],
        "mediaType": body["mediaType"],
        "source": body.get("source"),
        "dialogId": dialog_id,
        "prepared": handed["prepared"],
    }
    with bulkheads.slot(backend.pools, bulkheads.WRITES):
        activity, _ = activities.create(backend, agent, record, key)
    return {"activity": activity, "running": True}


def _screen_pop(
    backend: GadgetBackend,
    agent: Agent,
    identity: dict[str, str | None],
    max_entries: int,
    dialog_id: str | None,
    media_type: str | None,
    slot: Slot | None,
    partial: bool,
) -> dict[str, Any]:
    link = dialog_links.dialog_link(dialog_id) if dialog_id else None
    # The request the record may join is guessed in this round (guess.py), when the create can have a token.
    guessing = bool(media_type and guess.source_terms(identity))
    hint = backend.hints.get(identity)
    found, (stored, latest, known, full_page), hinted, link_alone = _look_up_round(
        backend, identity, link, guessing, hint, max_entries
    )
    backend.hints.found(identity, [wire["id"] for wire in found], full_page=full_page)
    if not known and link_alone is not None:
        stored, known = link_alone[0], True  # the link was searched alone beside the hinted reads
    # Not known (a full page, a refused search): the link is searched alone, in the journey's round for a single
    # match; a guess handed over meanwhile is safe, its write checks the dialog beside it (activities.py).
    ask = [functools.partial(dialog_links.recorded, backend, link)] if not known else []
    if len(found) != 1:
        stored = stored if known else dialog_links.recorded(backend, link)
        _hand_over(slot, None, None)
        answer, recorded = _beside_recorded(backend, lambda: customers.lookup_answer(backend, found), stored, partial)
        return dict(cast(dict[str, Any], answer), journey=None, recorded=recorded, prepared=None)
    customer_id = found[0]["id"]
    # The hint was right and its searches answered: the journey's first round is done already.
    hit = hinted is not None and hint is not None and customer_id == hint.customer_id and not ask
    reads = journey.first_reads(*hinted) if hit else None
    guessed = guess.guessed_request(latest, customer_id) if latest and not stored and reads is None else None
    if guessed and dialog_id and media_type:
        unverified = Prepared(agent.id, dialog_id, media_type, customer_id, guessed, verified=False)
        _hand_over(slot, customer_id, str(backend.prepared.sign(unverified)))
    if reads is None:
        reads, asked = journey.read_first_beside(backend, customer_id, 0, max_entries, *ask)
        stored = asked[0] if asked else stored
    # A token only for a dialog not recorded yet whose open requests are all on the page (the newest open one
    # may be on a later page); made at once when older activities cannot change the request it names.
    preparing = (dialog_id, media_type) if dialog_id and media_type and not stored and not reads.more_requests else None
    token = None
    if preparing and (reads.complete or reads.newest_open_request_known(_own_tag(preparing[0]))):
        token = _token(backend, agent, reads, *preparing, customer_id)
        _hand_over(slot, customer_id, token)
    if not reads.complete and (not partial or (preparing and token is None)):
        reads = journey.read_rest(backend, customer_id, reads)
        if preparing and token is None:
            token = _token(backend, agent, reads, *preparing, customer_id)
    _hand_over(slot, customer_id if token else None, token)
    shown, recorded = _beside_recorded(backend, lambda: journey.shaped(backend, reads, partial), stored, partial)
    return {
        "matches": [dict(shapes.customer(found[0]), lastContact=reads.last_contact)],
        "count": 1,
        "journey": shown,
        "recorded": recorded,
        "prepared": token,
    }


def _look_up_round(
    backend: GadgetBackend,
    identity: dict[str, str | None],
    link: str | None,
    guessing: bool,
    hint: Hint | None,
    max_entries: int,
) -> tuple[list[Wire], "DialogSearch", Any, tuple[Wire | None] | None]:
    """The first round: ``(the customers matching, _dialog_and_latest's answer, the hinted journey searches'
    results, the link searched alone)``. With the customer this caller was lately (``hint``, caller_hints.py)
    their journey's first round is read in it too (``[requests, activities]`` for ``journey.first_reads``, None
    without a hint or when one failed), and the dialog's link alone when the shared search could not say last time
    (a full page): ``(recorded,)``, None when not searched or failed."""
    journey_calls = journey.first_round(backend, hint.customer_id, 0, max_entries) if hint else []
    # In a tuple: a link not recorded (None) is told from a failed search (None from _quietly).
    link_calls = [lambda: (dialog_links.recorded(backend, link),)] if hint and hint.full_page and link else []
    matched, dialog, *hinted = backend.parallel(
        lambda: customers.matching(backend, identity.get("phone"), identity.get("email"), identity.get("chat")),
        lambda: _dialog_and_latest(backend, link, identity, guessing) if link else DialogSearch(None, [], True),
        *[_quietly(call) for call in journey_calls + link_calls],
    )
    first = hinted[: len(journey_calls)]
    return (
        cast(list[Wire], matched),
        cast(DialogSearch, dialog),
        first if first and None not in first else None,
        cast(tuple[Wire | None] | None, hinted[len(journey_calls)] if link_calls else None),
    )


def _quietly(call: Callable[[], T]) -> Callable[[], T | None]:
    """A hinted search: its result, or None when it failed (the journey's own round then reads it again)."""

    def run() -> T | None:
        try:
            return call()
        except GadgetError as exc:
            log.info("hinted search failed", extra={"reason": exc.code})
            return None

    return run


class DialogSearch(NamedTuple):
    """What the look-up's round found of the dialog: its recorded activity (``stored``, None: not recorded or not
    ``known``), the caller's newest activities for the guess (``latest``) and whether the shared search filled
    its page (``full_page``: the caller's hint then has the link searched alone next time; None: nothing was said
    of the page, with no dialog, the link searched alone or the search refused, and the hint keeps its mark)."""

    stored: Wire | None
    latest: list[Wire]
    known: bool
    full_page: bool | None = None


def _dialog_and_latest(
    backend: GadgetBackend, link: str, identity: dict[str, str | None], guessing: bool
) -> DialogSearch:
    """The dialog's search: one search for the link and the caller's newest activities when there is a guess to
    make (``guessing``; ``guess.with_dialog``), the link alone otherwise. Not known after a full page (an older
    activity of the dialog, the one to keep, may be beyond it) or a refused search (logged: the guess only saves
    a round, the screen pop goes on without it; the caller's mark is kept)."""
    if not guessing:
        return DialogSearch(dialog_links.recorded(backend, link), [], True)
    try:
        found, more = guess.with_dialog(backend, identity, dialog_links.link_terms(link))
    except GadgetError as exc:
        log.warning("guess search failed", extra={"reason": exc.code})
        return DialogSearch(None, [], False)
    stored = None if more else dialog_links.recorded_among(found, link)
    return DialogSearch(stored, guess.by_source(found, link), not more, full_page=more)


def _hand_over(slot: Slot | None, customer_id: str | None, token: str | None) -> None:
    """Publish what the screen pop prepared to a gadget asking for it while the screen pop still runs: the guess
    after the first round, then what the journey's round checked (which replaces it for those who ask after)."""
    if slot is not None:
        Rendezvous.publish(slot, {"customerId": customer_id, "prepared": token})


def _token(
    backend: GadgetBackend,
    agent: Agent,
    reads: journey.JourneyReads,
    dialog_id: str,
    media_type: str,
    customer_id: str,
) -> str:
    """The prepared token: the create of this dialog joins the newest open request of the journey (never one
    waiting for another activity), or a new one."""
    target = reads.newest_open_request(_own_tag(dialog_id))
    request_id = target["id"] if target else activities.NEW
    return str(backend.prepared.sign(Prepared(agent.id, dialog_id, media_type, customer_id, request_id)))


def _own_tag(dialog_id: str) -> str:
    """The tag of a request the proxy made for this dialog's activity (which may wait for it)."""
    return idempotency.for_tag(dialog_links.dialog_link(dialog_id))


def _beside_recorded(
    backend: Backend, read: Callable[[], T], stored: dict[str, Any] | None, partial: bool
) -> tuple[T, Any]:
    """``(read(), the recorded activity with its comments)``, read side by side only when a dialog is recorded:
    a ``parallel`` inside another runs its calls one after another, so the journey's comment searches (one
    per chunk of activities) stay parallel only when ``read`` is not nested. ``partial``: the recorded
    activity without its comments (None: not read yet), like the journey's."""
    if stored is None or partial:
        return read(), None if stored is None else shapes.activity(stored, None)
    result, recorded = backend.parallel(read, lambda: _with_comments(backend, stored))
    return cast(T, result), recorded


def _with_comments(backend: Backend, wire: dict[str, Any] | None) -> dict[str, Any] | None:
    """The recorded activity in the gadget's shape with its comments (None stays None)."""
    if wire is None:
        return None
    return shapes.activity(wire, comments.for_activities(backend, [wire["id"]]).get(wire["id"], []))
