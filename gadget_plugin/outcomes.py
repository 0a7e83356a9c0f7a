"""The live error rate of the proxy's real calls to Context Service's object API, over a sliding window."""

import collections
import threading
import time
from collections.abc import Callable

WINDOW_SECONDS = 30
MIN_CALLS = 5  # fewer calls than this in the window say nothing about the service
FAILING_SHARE = 0.5


class Outcomes:
    """Successes and failures of recent calls; ``failing_since(t)`` tells status the service is failing."""

    def __init__(self, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self._clock = clock
        self._calls: collections.deque[tuple[float, bool]] = collections.deque()  # (time, ok)
        self._last_failure: float | None = None
        self._lock = threading.Lock()

    def record(self, ok: bool) -> None:
        """Note one call's outcome (``ok``: Context Service answered, and not with a 5xx)."""
        now = self._clock()
        with self._lock:
            self._calls.append((now, ok))
            if not ok:
                self._last_failure = now
            self._trim(now)

    def error_rate(self) -> tuple[float, int]:
        """``(share of failed calls, number of calls)`` in the window."""
        with self._lock:
            self._trim(self._clock())
            total = len(self._calls)
            failed = sum(1 for _, ok in self._calls if not ok)
        return (failed / total if total else 0.0), total

    def failing_since(self, moment: float) -> bool:
        """True when most recent calls failed and one failed after ``moment`` (e.g. the last good probe)."""
        share, total = self.error_rate()
        with self._lock:
            last_failure = self._last_failure
        return total >= MIN_CALLS and share >= FAILING_SHARE and last_failure is not None and last_failure > moment

    def reset(self) -> None:
        """Forget every outcome."""
        with self._lock:
            self._calls.clear()
            self._last_failure = None

    def _trim(self, now: float) -> None:
        while self._calls and self._calls[0][0] < now - self.window:
            self._calls.popleft()
