"""Which activity records a Finesse dialog: the dialog link it carries (``Context_POD_Activity_Link``), finding the
one to keep for a link or an idempotency key tag, and settling twins (two processes recording one dialog at the
same moment: every process keeps the same one and marks the other a twin, hidden from the journey)."""

import logging
from typing import Any

from . import shapes, store
from .backend import Backend
from .errors import GadgetError

log = logging.getLogger(__name__)

Wire = dict[str, Any]


def recorded(backend: Backend, link: str | None, tag: str | None = None) -> Wire | None:
    """The activity already stored for this dialog link or key tag (the one to keep), or None."""
    found = activities_for(backend, link, tag) if link or tag else []
    return min(found, key=shapes.age) if found else None


def recorded_among(found: list[Wire], link: str) -> Wire | None:
    """``recorded``'s answer for the dialog ``link`` from a search that found every activity carrying it (among
    others): the one to keep, or None."""
    mine = carrying(found, link)
    return min(mine, key=shapes.age) if mine else None


def activities_for(backend: Backend, link: str | None, tag: str | None = None) -> list[Wire]:
    """Activities carrying the dialog link or the key tag, twins marked as such left out."""
    terms = link_terms(link) + ([("tags", tag)] if tag else [])
    found, _ = store.search(backend, "pod", terms, operation="or", max_entries=10)
    return carrying(found, link, tag)


def link_terms(link: str | None) -> list[tuple[str, str]]:
    """The search term of a dialog link (none without one)."""
    return [("Context_POD_Activity_Link", link)] if link else []


def carrying(found: list[Wire], link: str | None, tag: str | None = None) -> list[Wire]:
    """Those of ``found`` that carry the dialog link or the key tag (a word search may find more), twins marked
    as such left out."""
    return [
        wire
        for wire in found
        if shapes.TWIN_TAG not in (wire.get("tags") or [])
        and ((link and shapes.dialog_link(wire) == link) or (tag and tag in (wire.get("tags") or [])))
    ]


def keep_one(backend: Backend, link: str, stored: Wire) -> None:
    """Settle a dialog just recorded as ``stored`` (after the answer): of any twins another process recorded at
    the same moment, the first stored (oldest, then lowest id: every process picks the same one) is kept. When
    it is not ours, ours is marked a twin, which hides it from the journey and from later creates."""
    twins = {wire["id"]: wire for wire in activities_for(backend, link)}
    twins.setdefault(stored["id"], stored)
    keep = min(twins.values(), key=shapes.age)
    if keep["id"] != stored["id"]:
        mark_twin(backend, stored, keep["id"])


def mark_twin(backend: Backend, stored: Wire, kept: str | None) -> None:
    """Tag the activity just ``stored`` a twin (of ``kept``, or of the record its full path makes), which hides
    it from the journey and from later creates; a failure is logged (the journey then shows both)."""
    try:
        store.update(
            backend,
            "pod",
            stored["id"],
            {"lastUpdated": stored["lastUpdated"], "tags": [*stored.get("tags", []), shapes.TWIN_TAG]},
        )
    except GadgetError:
        log.warning("twin activity not marked", extra={"activity": stored["id"], "kept": kept})


def dialog_link(dialog_id: str) -> str:
    """How a Finesse dialog is linked from its activity (``Context_POD_Activity_Link``)."""
    return f"finesse:dialog:{dialog_id}"
