"""Hand-over between requests of one process: one request publishes a value under a key while it still runs,
others wait for it (the screen pop's prepared token, asked for by a gadget whose call was answered before the
screen pop's answer came)."""

import threading
from collections.abc import Hashable
from typing import Any

MISSING = object()  # what a wait gives when nothing was or will be published under the key


class Slot:
    """One key's value on its way: set once (``publish``), or given up (``close`` without a value)."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.value: Any = MISSING


class Rendezvous:
    """Slots by key; a key that is opened again replaces the older slot (the newest request is the one asked)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[Hashable, Slot] = {}

    def open(self, key: Hashable) -> Slot:
        """A new slot for ``key``; the request that opens it must ``close`` it."""
        slot = Slot()
        with self._lock:
            self._slots[key] = slot
        return slot

    @staticmethod
    def publish(slot: Slot, value: Any) -> None:
        """Hand ``value`` to the waiters of the slot (once; later values are ignored)."""
        if not slot.ready.is_set():
            slot.value = value
            slot.ready.set()

    def close(self, key: Hashable, slot: Slot) -> None:
        """The request is done: waiters of a slot never published are released with MISSING."""
        with self._lock:
            if self._slots.get(key) is slot:
                del self._slots[key]
        slot.ready.set()

    def wait(self, key: Hashable, timeout: float) -> Any:
        """The value published under ``key``, waiting at most ``timeout`` s; MISSING when there is no slot for it
        in this process, it was closed without a value, or the time ran out."""
        with self._lock:
            slot = self._slots.get(key)
        if slot is None or not slot.ready.wait(timeout):
            return MISSING
        return slot.value
