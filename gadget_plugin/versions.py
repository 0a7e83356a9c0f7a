"""The versions of activities this process stored last, so an edit of one needs no read before its write.

Context Service refuses an update whose ``lastUpdated`` is not the stored object's (reference §2.3
[SAMPLE-WEB]), and every update gives a new one. So an activity this process created or updated, kept here with
its ``lastUpdated``, is exactly what a read would give as long as the agent's edit names that same
``lastUpdated``: the edit is merged into it and written at once. Whatever changed the activity meanwhile
(another agent, another process, a move, the twin settle) has given it a newer ``lastUpdated``, so the write
is refused and the edit falls back to the read, whose check answers the conflict with the current activity:
no concurrent edit is ever lost. Which status the refusal has is not public (409 is inferred), so any refusal
but an outage falls back to the read; one that is no conflict then repeats and is answered as it was. A process that does not hold the version (another worker made it, or it was
pushed out) just reads first, as every edit did before.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from .errors import GadgetError, Overloaded, UpstreamTimeout, UpstreamUnavailable

Wire = dict[str, Any]
OUTAGES = (UpstreamUnavailable, UpstreamTimeout, Overloaded)
MAX_HELD = 2048  # about ten edits' worth per agent of a busy process; each is one activity's wire (a few KB)


class Versions:
    """The newest wire this process stored of each of at most ``size`` activities, least recently used dropped."""

    def __init__(self, size: int = MAX_HELD) -> None:
        self.size = size
        self._held: OrderedDict[str, Wire] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, wire: Wire) -> None:
        """Hold ``wire`` (a stored object: ``id`` and ``lastUpdated``) as its object's newest version."""
        if not wire.get("id") or not wire.get("lastUpdated"):
            return
        with self._lock:
            self._held[wire["id"]] = wire
            self._held.move_to_end(wire["id"])
            while len(self._held) > self.size:
                self._held.popitem(last=False)

    def held(self, object_id: str, last_updated: str) -> Wire | None:
        """The wire held for ``object_id`` when it is the version ``last_updated`` names, else None."""
        with self._lock:
            wire = self._held.get(object_id)
            return wire if wire is not None and wire.get("lastUpdated") == last_updated else None

    def forget(self, object_id: str) -> None:
        """Drop what is held of ``object_id``."""
        with self._lock:
            self._held.pop(object_id, None)

    def reset(self) -> None:
        """Drop everything held."""
        with self._lock:
            self._held.clear()

    def write(
        self, object_id: str, last_updated: str, change: Callable[[Wire], Wire], read: Callable[[], Wire]
    ) -> Wire:
        """``change(version)`` (check, merge, write; the stored wire) of the version ``last_updated`` names: the
        one held, else (none held, or its write refused for any reason but an outage) the one ``read()`` gives;
        the stored wire is held next."""
        wire = self.held(object_id, last_updated)
        stored = None
        if wire is not None:
            try:
                stored = change(wire)
            except OUTAGES:
                raise  # the read would fail alike (or, after a lost answer, call our own write a conflict)
            except GadgetError:
                # Refused: a stale version (whatever status Context Service gives it: 409 is inferred, §2.3) or a
                # bad change. The read's check answers the conflict with the current; a genuine refusal repeats.
                self.forget(object_id)
        if stored is None:
            stored = change(read())
        self.keep(stored)
        return stored
