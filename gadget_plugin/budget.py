"""The time budget of one proxy request: a deadline every Context Service call inside the request shares.

The deadline lives in a context variable, so the calls a request fans out to worker threads (which run in a
copy of the request's context, see ``GadgetBackend.parallel``) spend the same budget. Outside a request
(command line, tests calling functions directly) there is no deadline and only the per-call timeout applies.
"""

import contextvars
import time
from collections.abc import Callable

from .errors import UpstreamTimeout

# Below this a call is not started: it could not get an answer back in time anyway.
MIN_CALL_SECONDS = 0.05
_current: contextvars.ContextVar["Deadline | None"] = contextvars.ContextVar("gadget_request_deadline", default=None)


class Deadline:
    """The moment a request's budget of ``seconds`` is spent."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._ends_at = clock() + seconds

    def remaining(self) -> float:
        """Seconds left (0 when spent)."""
        return max(0.0, self._ends_at - self._clock())

    def timeout_for(self, call_timeout: float, what: str) -> float:
        """The timeout the next call gets: its own, capped by what is left; UpstreamTimeout when too little is."""
        left = self.remaining()
        if left < MIN_CALL_SECONDS:
            raise self.spent(what)
        return min(call_timeout, left)

    def allows(self, pause: float) -> bool:
        """True when, after sleeping ``pause`` seconds, there is still time for a call."""
        return self.remaining() - pause >= MIN_CALL_SECONDS

    def spent(self, what: str) -> UpstreamTimeout:
        """The 504 a request whose budget is spent answers with."""
        return UpstreamTimeout(
            f"Context Service did not answer {what} within this request's time budget of "
            f"{self.seconds:g} s; try again shortly.",
            limit=self.seconds,
        )


def capped(timeout: float) -> float:
    """``timeout`` capped by what is left of the current request's budget (at least ``MIN_CALL_SECONDS``, so
    the call fails fast rather than not at all); ``timeout`` itself outside a request."""
    deadline = current()
    return max(MIN_CALL_SECONDS, min(timeout, deadline.remaining())) if deadline else timeout


def start(seconds: float) -> contextvars.Token["Deadline | None"]:
    """Give the current request a deadline ``seconds`` from now; returns the token ``finish`` needs."""
    return _current.set(Deadline(seconds))


def finish(token: contextvars.Token["Deadline | None"]) -> None:
    """End the request's deadline (the thread may serve another request next)."""
    _current.reset(token)


def current() -> Deadline | None:
    """The current request's Deadline, or None outside a request."""
    return _current.get()
