"""Which customer a caller turned out to be, remembered for a while, so that the next screen pop of the same
identity reads that customer's journey in the look-up's own round (``screen_pop.py``) instead of after it.

A hint is never shown: the look-up runs beside it and decides; a hint that is wrong (the caller is now someone
else, or several customers) costs the two searches read for nothing and the journey's round as before. Keys are
keyed hashes (HMAC with a key of this process) of the identity, so the memory of a worker holds no phone number,
address or chat id that could be read back. Bounded (least recently used first out) and per process.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

MAX_HINTS = 10_000  # ~1 MB per process; a busy site's callers of the last hour fit


class Hint(NamedTuple):
    """The customer an identity was found to be, and whether its caller's activities filled the screen pop's shared
    search (then the dialog's link is searched alone beside the hinted reads)."""

    customer_id: str
    full_page: bool


class CallerHints:
    """``identity → Hint`` for ``seconds`` after a look-up found that one customer (0: never kept)."""

    def __init__(self, seconds: float, max_hints: int = MAX_HINTS) -> None:
        self.seconds = seconds
        self.max_hints = max_hints
        self._key = secrets.token_bytes(32)
        self._hints: OrderedDict[bytes, tuple[Hint, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _digest(self, identity: dict[str, str | None]) -> bytes | None:
        values = [identity.get(name) or "" for name in ("phone", "email", "chat")]
        if not any(values):
            return None
        return hmac.new(self._key, "\x00".join(values).encode(), hashlib.sha256).digest()

    def get(self, identity: dict[str, str | None]) -> Hint | None:
        """The customer this identity was last found to be, while that is recent; else None."""
        digest = self._digest(identity)
        if digest is None:
            return None
        with self._lock:
            kept = self._hints.get(digest)
            if kept is None:
                return None
            if kept[1] <= time.monotonic():
                del self._hints[digest]
                return None
            self._hints.move_to_end(digest)
            return kept[0]

    def found(self, identity: dict[str, str | None], customer_ids: list[str], full_page: bool | None = False) -> None:
        """What a look-up of this identity found: one customer is remembered (with ``full_page``: the shared
        search could not say whether the dialog is recorded; None: the look-up said nothing of the caller's page,
        and the mark the hint of the same customer had is kept), none or several forget the hint."""
        digest = self._digest(identity)
        if digest is None or self.seconds <= 0:
            return
        with self._lock:
            if len(customer_ids) != 1:
                self._hints.pop(digest, None)
                return
            if full_page is None:
                kept = self._hints.get(digest)
                full_page = bool(kept and kept[0].customer_id == customer_ids[0] and kept[0].full_page)
            self._hints[digest] = (Hint(customer_ids[0], full_page), time.monotonic() + self.seconds)
            self._hints.move_to_end(digest)
            while len(self._hints) > self.max_hints:
                self._hints.popitem(last=False)

    def __len__(self) -> int:
        return len(self._hints)

    def reset(self) -> None:
        """Forget every hint."""
        with self._lock:
            self._hints.clear()
