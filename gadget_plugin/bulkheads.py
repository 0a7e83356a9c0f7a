"""Bulkheads: a bounded pool with a bounded queue per kind of work, and the per-request time budget.

Reads, writes and probes (``/api/v1/status``, ``/readyz``) each get their own number of requests that may talk
to Context Service at once and their own few waiting places; a request that finds both taken is answered
503 with ``Retry-After`` at once, and a waiting one gives up when its budget is spent. So a flood of journeys
cannot starve saves, neither can starve status, and ``/healthz`` and the gadget's files never wait for
anything: they are in no pool. The calls a request fans out run on that kind's own worker threads.
"""

import contextlib
import contextvars
import math
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, Response, g, request

from . import budget
from .config import Settings
from .errors import Overloaded

READS, WRITES, PROBES = "reads", "writes", "probes"
PROBE_PATHS = ("/api/v1/status", "/readyz")
# API calls that take no slot when they come in: the screen pop's hand-over only waits for another request's
# value, so it must not hold a slot the screen pop it waits for may need; the record at the hand-over takes its
# write slot itself once the value is there (``slot``).
NO_CONTEXT_SERVICE_PATHS = ("/api/v1/screen-pop/prepared", "/api/v1/screen-pop/record")
API_PREFIX = "/api/v1/"
FANOUT_THREADS_PER_SLOT = 2  # a request runs at most a couple of Context Service calls side by side
_kind: contextvars.ContextVar[str | None] = contextvars.ContextVar("gadget_work_kind", default=None)


class Bulkhead:
    """At most ``size`` requests at once, at most ``queue`` more waiting; the rest are refused."""

    def __init__(self, name: str, size: int, queue: int) -> None:
        self.name = name
        self.size = size
        self.queue = queue
        self._slots = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self.fanout = ThreadPoolExecutor(
            max_workers=max(1, size * FANOUT_THREADS_PER_SLOT), thread_name_prefix=f"cs-{name}"
        )

    def enter(self, deadline: budget.Deadline | None) -> None:
        """Take a slot, waiting at most until ``deadline``; Overloaded when the queue is full or time runs out."""
        with self._lock:
            if self._admitted >= self.size + self.queue:
                raise self._refusal("are all busy and their queue is full")
            self._admitted += 1
        wait = max(0.0, deadline.remaining() - budget.MIN_CALL_SECONDS) if deadline else None
        if self._slots.acquire(timeout=wait):
            if deadline is None or deadline.allows(0):
                return
            self._slots.release()
        self._leave()
        raise self._refusal("stayed busy for this request's whole time budget")

    def admitted(self) -> int:
        """How many requests are in the pool now, running or waiting."""
        with self._lock:
            return self._admitted

    def exit(self) -> None:
        """Give the slot back."""
        self._slots.release()
        self._leave()

    def _leave(self) -> None:
        with self._lock:
            self._admitted -= 1

    def _refusal(self, why: str) -> Overloaded:
        return Overloaded(
            f"The proxy's {self.name} ({self.size} at once, {self.queue} waiting) {why}; try again shortly.",
            limit=self.size,
        )


def build(config: Settings) -> dict[str, Bulkhead]:
    """``{kind: Bulkhead}`` from the pool-size settings."""
    queue = config["POOL_QUEUE_SIZE"]
    return {
        READS: Bulkhead("reads", config["READ_POOL_SIZE"], queue),
        WRITES: Bulkhead("writes", config["WRITE_POOL_SIZE"], queue),
        PROBES: Bulkhead("probes", config["PROBE_POOL_SIZE"], queue),
    }


def calls_at_once(config: Settings) -> int:
    """How many Context Service calls the pools let run at once: every slot's fanned-out calls side by side."""
    sizes = (config["READ_POOL_SIZE"], config["WRITE_POOL_SIZE"], config["PROBE_POOL_SIZE"])
    return FANOUT_THREADS_PER_SLOT * sum(sizes)


def kind_of(method: str, path: str) -> str | None:
    """The pool a request belongs to; None for requests that never call Context Service (and preflights)."""
    if method == "OPTIONS" or path in NO_CONTEXT_SERVICE_PATHS:
        return None
    if path in PROBE_PATHS:
        return PROBES
    if path.startswith(API_PREFIX):
        return READS if method in ("GET", "HEAD") else WRITES
    return None


@contextlib.contextmanager
def slot(pools: dict[str, Bulkhead], kind: str) -> Iterator[None]:
    """Run the block in a slot of the ``kind`` pool (its fanned-out calls in that pool's threads), for a
    request that took none when it came in; Overloaded as ``Bulkhead.enter``."""
    pool = pools[kind]
    pool.enter(budget.current())
    token = _kind.set(kind)
    try:
        yield
    finally:
        _kind.reset(token)
        pool.exit()


def current_kind() -> str | None:
    """The kind of work the current request (or fanned-out call) does; None outside a pooled request."""
    return _kind.get()


def retry_after(config: Settings) -> int:
    """Seconds a refused client should wait: a quarter of the budget, at least one."""
    return max(1, math.ceil(config["REQUEST_BUDGET_SECONDS"] / 4))


def register(app: Flask, pools: dict[str, Bulkhead]) -> None:
    """Give every request its time budget and, by kind, a place in its pool (released at teardown)."""

    @app.before_request
    def admit() -> None:
        """Start the budget, then enter the request's pool (Overloaded: 503 + Retry-After)."""
        g.budget_token = budget.start(app.config["REQUEST_BUDGET_SECONDS"])
        kind = kind_of(request.method, request.path)
        if kind is None:
            return
        pools[kind].enter(budget.current())
        g.pool_kind, g.kind_token = kind, _kind.set(kind)

    @app.after_request
    def add_retry_after(response: Response) -> Response:
        """Tell refused clients when to come back."""
        if response.status_code == Overloaded.status and "Retry-After" not in response.headers:
            response.headers["Retry-After"] = str(retry_after(app.config))
        return response

    @app.teardown_request
    def release(_exc: BaseException | None) -> None:
        """Leave the pool and end the budget."""
        if "pool_kind" in g:
            pools[g.pop("pool_kind")].exit()
            _kind.reset(g.pop("kind_token"))
        if "budget_token" in g:
            budget.finish(g.pop("budget_token"))
