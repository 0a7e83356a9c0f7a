"""Work a create finishes after its answer: a bounded background queue (the twin check of a recorded dialog).

At most ``workers`` threads run settles and at most ``limit`` wait; a settle that finds the queue full is
skipped and logged. Skipping is safe because the settle only tidies up: a twin it would have marked is already
left out by every journey (the first stored activity of a dialog is the one shown, ``journey._twins``) and by
every later create (``dialog_links.recorded``).
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

log = logging.getLogger(__name__)

SETTLE_WORKERS = 2
SETTLE_QUEUE = 64


class Settler:
    """A bounded pool for after-the-answer work, with ``drain()`` for shutdown and tests."""

    def __init__(self, workers: int = SETTLE_WORKERS, limit: int = SETTLE_QUEUE):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cs-settle")
        self._places = threading.BoundedSemaphore(workers + limit)
        self._lock = threading.Lock()
        self._pending: set[Future[None]] = set()

    def submit(self, what: str, work: Callable[[], None]) -> bool:
        """Run ``work`` in the background; False (logged, nothing run) when every place is taken."""
        if not self._places.acquire(blocking=False):
            log.warning("settle skipped: queue full", extra={"settle": what})
            return False
        future = self._executor.submit(self._run, what, work)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return True

    def _run(self, what: str, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:  # a settle is best effort: its failure is logged, never raised into a request
            log.exception("settle failed", extra={"settle": what})

    def _done(self, future: "Future[None]") -> None:
        with self._lock:
            self._pending.discard(future)
        self._places.release()

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every settle submitted so far has run; False when ``timeout`` ran out first."""
        with self._lock:
            pending = set(self._pending)
        return not wait(pending, timeout=timeout).not_done
