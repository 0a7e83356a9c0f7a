"""An injectable clock: real time plus an offset the control API can set or advance."""

import datetime as dt
import threading
from collections.abc import Callable

UTC = dt.UTC


def format_rfc3339(moment: dt.datetime) -> str:
    """RFC 3339 with milliseconds and ``Z``, the Context Service wire format (``2017-07-16T07:49:44.184Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_rfc3339(text: object) -> dt.datetime:
    """Parse an RFC 3339 timestamp (``Z`` or offset); raises ValueError on anything else."""
    if not isinstance(text, str) or "T" not in text:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}")
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp without a time zone: {text!r}")
    return moment.astimezone(UTC)


class Clock:
    """Wall-clock time shifted by an offset; thread-safe. ``on_change()`` runs after every change (outside the
    clock's lock, so it may take other locks and read ``offset``)."""

    def __init__(self, offset: dt.timedelta = dt.timedelta(0), on_change: Callable[[], None] | None = None) -> None:
        self._offset = offset
        self._lock = threading.Lock()
        self._on_change = on_change or (lambda: None)

    @property
    def offset(self) -> dt.timedelta:
        """How far the mock's time is ahead of real time (negative: behind)."""
        with self._lock:
            return self._offset

    def now(self) -> dt.datetime:
        """The mock's current time (aware, UTC)."""
        with self._lock:
            return dt.datetime.now(UTC) + self._offset

    def set(self, moment: dt.datetime) -> None:
        """Jump to ``moment`` (aware datetime); time keeps running from there."""
        with self._lock:
            self._offset = moment - dt.datetime.now(UTC)
        self._on_change()

    def advance(self, seconds: float) -> None:
        """Move the clock forward (or back, if negative) by ``seconds``."""
        with self._lock:
            self._offset += dt.timedelta(seconds=seconds)
        self._on_change()

    def reset(self) -> None:
        """Back to real time."""
        with self._lock:
            self._offset = dt.timedelta(0)
        self._on_change()
