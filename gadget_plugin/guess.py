"""The request a new activity is guessed to join in the screen pop's first round, and the rule that proves it.

Every activity the proxy stores carries its source's phone and email (``Context_POD_Source_Phone`` and
``Context_POD_Source_Email``, ``activities.source_fields``), so beside the look-up the caller's newest activities
are searched by that phone or email, in the same search as the dialog's link (its terms ORed: one call). When the
look-up has exactly one match and the newest of them is that customer's, its request is the guess — the common
case of a caller calling back about their open request. The screen pop hands the guess over as an unverified
``prepared`` token (``prepared.py``) right after that round; the create carrying it writes into the guess and, in
the same round, reads what the rule decides from (``open_requests.reads``). A guess the rule does not confirm is corrected before the answer (``activities.py``).
"""

import re
from typing import Any

from . import customers, open_requests, shapes, store
from .backend import Backend
from .errors import GadgetError
from .shapes import Wire

# The activities read for a guess and the dialog check together: the newest one decides the guess; a full page
# (a frequent caller) leaves the dialog check to a search of its own, in the journey's round (screen_pop.py).
WITH_DIALOG = 10
SOURCE_FIELDS = {
    **{field: "Context_POD_Source_Phone" for field in customers.PHONE_LOOKUP_FIELDS},
    **{field: "Context_POD_Source_Email" for field in customers.EMAIL_LOOKUP_FIELDS},
}
Outcome = tuple[Any, GadgetError | None]
Found = tuple[list[Wire], bool]
WORD = re.compile(r"[0-9a-z]+")


def source_terms(identity: dict[str, str | None]) -> list[tuple[str, str]]:
    """The activity search terms of the identity's phone and email, normalised as the look-up's (a chat id
    without ``@`` gives none: activities carry no chat source)."""
    terms = customers.identity_terms(identity.get("phone"), identity.get("email"), identity.get("chat"))
    return list(dict.fromkeys((SOURCE_FIELDS[field], value) for field, value in terms if field in SOURCE_FIELDS))


def with_dialog(backend: Backend, identity: dict[str, str | None], link_terms: list[tuple[str, str]]) -> Found:
    """One search for both questions of the screen pop's first round: the activities carrying the dialog's link
    (``link_terms``: is the dialog recorded?) and the caller's newest activities by the identity's phone or email
    (the guess), its terms ORed (Context Service's terms "combine with AND/OR", reference §2.4), newest created
    first; ``(activities, more)``. ``more``: the page is full, so an older activity of the dialog may lie beyond it
    (the caller asks for the link alone then, a round later); a failure is raised, as the dialog search's always was."""
    found: Found = store.search(
        backend, "pod", [*link_terms, *source_terms(identity)], operation="or", max_entries=WITH_DIALOG, sort="created"
    )
    return found


def by_source(found: list[Wire], link: str) -> list[Wire]:
    """The activities of a ``with_dialog`` page its source terms found: those that carry another dialog's link the
    link's words find too (``finesse:dialog:7-b`` for ``finesse:dialog:7``: found by the link term alone) left
    out. Context Service matches words, non-alphanumerics counting as spaces (reference §2.5)."""
    words = _words(link)
    return [wire for wire in found if shapes.dialog_link(wire) in (None, link) or not _within(words, wire)]


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _within(words: list[str], wire: Wire) -> bool:
    """True when ``words`` appear in a row in the dialog link of ``wire``."""
    theirs = _words(shapes.dialog_link(wire) or "")
    return any(theirs[i : i + len(words)] == words for i in range(len(theirs) - len(words) + 1))


def guessed_request(activities: list[Wire], customer_id: str) -> str | None:
    """The request of the newest of ``activities`` (twins left out) when that activity is ``customer_id``'s;
    None when it is another customer's or in no request (no guess: the journey's round decides)."""
    shown = [wire for wire in activities if shapes.TWIN_TAG not in (wire.get("tags") or [])]
    newest = max(shown, key=lambda wire: wire.get("created") or "", default=None)
    if newest is None or shapes.customer_id(newest) != customer_id:
        return None
    return shapes.parent_id(newest)


def unproved(wire: Wire) -> bool:
    """True for an activity written into a guessed request whose proof may not have ended: it still carries the
    guess's mark and was never changed since its write (a move, an agent's edit or move give it a newer
    ``lastUpdated``; that a new object's ``created`` equals its ``lastUpdated`` is inferred, the mock's)."""
    return shapes.GUESS_TAG in (wire.get("tags") or []) and wire.get("lastUpdated") == wire.get("created")


def rule_target(
    backend: Backend, customer_id: str, outcomes: list[Outcome], own_tag: str, written: Wire
) -> Wire | None:
    """The request the rule gives the activity ``written`` into a guess (``open_requests.newest_of``), from the
    reads made beside the write; when one of them failed they are read again (one round more; a failure then is
    raised). None: a new request."""
    (requests, more), parents = _rule_reads(backend, customer_id, outcomes)
    return open_requests.newest_of(backend, (_as_written(requests, written, own_tag), more), parents, own_tag)


def retry_target(
    backend: Backend, customer_id: str, outcomes: list[Outcome], own_tag: str, written: Wire
) -> Wire | None:
    """The request a later create of the dialog moves the ``unproved`` activity ``written`` to, from the rule's
    reads its own round made: the one the rule gave it when it was written, when that is not the guess it is in.

    None (left where it is) unless those reads can still tell what the rule said then: the guessed request is
    among the open requests read (not closed nor pushed out by newer ones since), or the one a failed proof made
    for it. A guess the rule confirmed is never moved: requests above it then that are unchanged since were
    passed over then (inferred: an activity written into a request leaves its ``lastUpdated`` as it was)."""
    (requests, more), parents = _rule_reads(backend, customer_id, outcomes)
    guessed, created = shapes.parent_id(written), written.get("created") or ""
    if not any(wire["id"] == guessed or _made_since(wire, own_tag, created) for wire in requests):
        return None
    target = open_requests.newest_of(backend, (_as_written(requests, written, own_tag), more), parents, own_tag)
    return None if target is None or target["id"] == guessed else target


def _rule_reads(backend: Backend, customer_id: str, outcomes: list[Outcome]) -> list[Any]:
    """The values of ``open_requests.reads`` made beside the write, read again when one of them failed."""
    if any(error is not None for _, error in outcomes):
        return list(backend.parallel(*open_requests.reads(backend, customer_id)))
    return [value for value, _ in outcomes]


def _as_written(requests: list[Wire], written: Wire, own_tag: str) -> list[Wire]:
    """The open requests read, those updated after ``written`` was left out (a later read must not move a call
    into a request made or changed since) but for the one it is in and the one made for it (``own_tag``)."""
    parent, created = shapes.parent_id(written), written.get("created") or ""
    return [
        wire
        for wire in requests
        if wire["id"] == parent or own_tag in (wire.get("tags") or []) or (wire.get("lastUpdated") or "") <= created
    ]


def _made_since(request: Wire, own_tag: str, created: str) -> bool:
    """True for the request a proof made for the activity written at ``created`` (tagged ``own_tag``, newer)."""
    return own_tag in (request.get("tags") or []) and (request.get("created") or "") > created
