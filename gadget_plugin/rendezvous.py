"""Hand-over between requests of one process: one request publishes a value under a key while it still runs,
others wait for it (the screen pop's prepared token, asked for by a gadget whose call was answered before the
screen pop's answer came). A waiter may come first: it opens the slot, and the request that opens the key next
adopts it."""

import threading
from collections.abc import Hashable
from typing import Any

MISSING = object()  # what a wait gives when nothing was or will be published under the key
# How long a waiter that came first waits for a request to open its key. The screen pop is sent at ALERTING,
# the hand-over at ACTIVE (~100 ms later): here the screen pop has normally opened its slot already; when it
# runs in another process it never comes, and this is what the hand-over costs then.
NO_OPENER_WAIT_SECONDS = 0.5


class Slot:
    """One key's value on its way: set (``publish``, again with a better one), or given up (``close`` without a
    value). ``opened``: a request that will publish or close it holds it (False while only waiters do)."""

    def __init__(self, opened: bool) -> None:
        self.ready = threading.Event()
        self.value: Any = MISSING
        self.opened = opened


class Rendezvous:
    """Slots by key; a key that is opened again replaces the older slot (the newest request is the one asked),
    except a slot only waiters hold, which the opener adopts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[Hashable, Slot] = {}

    def open(self, key: Hashable) -> Slot:
        """The slot for ``key`` (the waiters' own, or a new one); the request that opens it must ``close`` it."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None or slot.opened:
                slot = self._slots[key] = Slot(opened=True)
            slot.opened = True
        return slot

    def pending(self, key: Hashable) -> bool:
        """Whether a request holds a slot for ``key`` now (one that opened it, or a waiter that came first)."""
        with self._lock:
            return key in self._slots

    @staticmethod
    def publish(slot: Slot, value: Any) -> None:
        """Hand ``value`` to the waiters of the slot; a later value replaces it for those who ask after."""
        slot.value = value
        slot.ready.set()

    def close(self, key: Hashable, slot: Slot) -> None:
        """The request is done: waiters of a slot never published are released with MISSING."""
        with self._lock:
            if self._slots.get(key) is slot:
                del self._slots[key]
        slot.ready.set()

    def wait(self, key: Hashable, timeout: float) -> Any:
        """The value published under ``key``, waiting at most ``timeout`` s; MISSING when it was closed without a
        value, the time ran out, or no request opened the key within ``NO_OPENER_WAIT_SECONDS``."""
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = Slot(opened=False)
        first = min(timeout, NO_OPENER_WAIT_SECONDS)
        if slot.ready.wait(first):
            return slot.value
        with self._lock:
            if not slot.opened:
                if self._slots.get(key) is slot:
                    del self._slots[key]
                return MISSING
        return slot.value if slot.ready.wait(max(0.0, timeout - first)) else MISSING
