"""Hand-over between requests: one request publishes a value under a key while it still runs, others wait for it
(the screen pop's prepared token, asked for by a gadget whose call was answered before the screen pop's answer
came). A waiter may come first: it opens the slot, and the request that opens the key next adopts it.

Within a process the hand-over is a ``threading.Event``; with a ``HandoverDir`` (``handover_dir.py``) the opener
also publishes through files, so a waiter answered by another worker process of the host gets the value too: a
waiter with no opener in its own process polls the folder every ``POLL_SECONDS``."""

import threading
import time
from collections.abc import Hashable
from typing import Any

from .handover_dir import ABSENT, PUBLISHED, RUNNING, HandoverDir, Opening

MISSING = object()  # what a wait gives when nothing was or will be published under the key
# How long a waiter that came first waits for a request to open its key. The screen pop is sent at ALERTING,
# the hand-over at ACTIVE (~100 ms later): here the screen pop has normally opened its slot already; when it
# runs on another host it never comes, and this is what the hand-over costs then.
NO_OPENER_WAIT_SECONDS = 0.5
# How often a waiter with no opener in its process looks at the folder: a few ms against the ~60 ms of the
# Context Service round the value comes after, at a few tens of µs of CPU a look.
POLL_SECONDS = 0.005
# How long this process remembers that a request closed a key (and its last value): a waiter asking after it (a
# hand-over that reached the proxy just after its screen pop answered) is answered at once, not after waiting for
# an opener that came and went.
CLOSED_KEPT_SECONDS = 10.0


class Slot:
    """One key's value on its way: set (``publish``, again with a better one), or given up (``close`` without a
    value). ``opened``: a request that will publish or close it holds it (False while only waiters do);
    ``shared``: its files for the other processes (None without a folder, or while only waiters hold it)."""

    def __init__(self, opened: bool) -> None:
        self.ready = threading.Event()
        self.value: Any = MISSING
        self.opened = opened
        self.waiters = 0
        self.shared: Opening | None = None


class Rendezvous:
    """Slots by key; a key that is opened again replaces the older slot (the newest request is the one asked),
    except a slot only waiters hold, which the opener adopts. ``shared``: the folder through which the worker
    processes of the host hand over too (values must then be JSON)."""

    def __init__(self, shared: HandoverDir | None = None) -> None:
        self._lock = threading.Lock()
        self._slots: dict[Hashable, Slot] = {}
        self._closed: dict[Hashable, tuple[float, Any]] = {}  # keys closed lately, oldest first: (when, value)
        self._shared = shared

    def open(self, key: Hashable) -> Slot:
        """The slot for ``key`` (the waiters' own, or a new one); the request that opens it must ``close`` it."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None or slot.opened:
                slot = self._slots[key] = Slot(opened=True)
            slot.opened = True
            self._closed.pop(key, None)
        if self._shared is not None:
            slot.shared = self._shared.open(key)
        return slot

    def pending(self, key: Hashable) -> bool:
        """Whether a request of this process holds a slot for ``key`` now (one that opened it, or a waiter that
        came first)."""
        with self._lock:
            return key in self._slots

    @staticmethod
    def publish(slot: Slot, value: Any) -> None:
        """Hand ``value`` to the waiters of the slot (this process's first); a later value replaces it for those
        who ask after."""
        slot.value = value
        slot.ready.set()
        if slot.shared is not None:
            slot.shared.publish(value)

    def close(self, key: Hashable, slot: Slot) -> None:
        """The request is done: waiters of a slot never published are released with MISSING."""
        with self._lock:
            if self._slots.get(key) is slot:
                del self._slots[key]
                self._remember_closed(key, slot.value)
        slot.ready.set()
        if slot.shared is not None:
            slot.shared.close()

    def _remember_closed(self, key: Hashable, value: Any) -> None:
        """Note (under the lock) that ``key`` was closed now with ``value`` (MISSING: none); forget the keys
        closed too long ago."""
        now = time.monotonic()
        self._closed.pop(key, None)
        self._closed[key] = (now, value)
        for old in list(self._closed):
            if now - self._closed[old][0] < CLOSED_KEPT_SECONDS:
                break
            del self._closed[old]

    def wait(self, key: Hashable, timeout: float) -> Any:
        """The value published under ``key``, waiting at most ``timeout`` s; MISSING when it was closed without a
        value, the time ran out, or no request opened the key within ``NO_OPENER_WAIT_SECONDS``; at once (its last
        value, or MISSING) when a request of this process closed the key within ``CLOSED_KEPT_SECONDS`` and none
        holds it now."""
        with self._lock:
            closed = self._closed.get(key)
            if key not in self._slots and closed is not None and time.monotonic() - closed[0] < CLOSED_KEPT_SECONDS:
                return closed[1]
        slot = self._join(key)
        try:
            if self._shared is None:
                return _wait_here(slot, timeout)
            return _wait_anywhere(self._shared, key, slot, timeout)
        finally:
            self._leave(key, slot)

    def _join(self, key: Hashable) -> Slot:
        """The key's slot with one waiter more (a new waiters' slot when none is held)."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = Slot(opened=False)
            slot.waiters += 1
        return slot

    def _leave(self, key: Hashable, slot: Slot) -> None:
        """One waiter less; the last waiter of a slot no request opened drops it."""
        with self._lock:
            slot.waiters -= 1
            if not slot.opened and not slot.waiters and self._slots.get(key) is slot:
                del self._slots[key]


def _wait_here(slot: Slot, timeout: float) -> Any:
    """The slot's value: an opener of this process is waited for ``NO_OPENER_WAIT_SECONDS``, its value for the
    rest of ``timeout``."""
    first = min(timeout, NO_OPENER_WAIT_SECONDS)
    if slot.ready.wait(first):
        return slot.value
    if not slot.opened:
        return MISSING
    return slot.value if slot.ready.wait(max(0.0, timeout - first)) else MISSING


def _wait_anywhere(shared: HandoverDir, key: Hashable, slot: Slot, timeout: float) -> Any:
    """The value from an opener of this process (the slot's event, at once) or of another (the folder, polled
    while none here holds the slot); an opener is waited for ``NO_OPENER_WAIT_SECONDS``, its value for the rest
    of ``timeout``."""
    started = time.monotonic()
    ends, opener_by = started + timeout, started + min(timeout, NO_OPENER_WAIT_SECONDS)
    seen_running = False
    while not slot.opened:
        found = shared.look(key)
        if found.state == PUBLISHED:
            return found.value
        if found.state == ABSENT and seen_running:
            return MISSING  # the other process closed the key without a value
        seen_running = seen_running or found.state == RUNNING
        left = (ends if seen_running else opener_by) - time.monotonic()
        if left <= 0:
            return MISSING
        if slot.ready.wait(min(POLL_SECONDS, left)):
            return slot.value
    return slot.value if slot.ready.wait(max(0.0, ends - time.monotonic())) else MISSING
