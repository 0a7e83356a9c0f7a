"""Single-flight: one call per key at a time in this process; callers arriving meanwhile share its outcome."""

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


class Flight(Generic[T]):
    """One call in progress: the callers waiting for it block on ``done``, then read ``result`` or ``error``."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.result: T | None = None
        self.error: BaseException | None = None


class SingleFlight:
    """Calls keyed by what they make (e.g. a Finesse dialog's activity): concurrent callers of one key wait for
    the first and get its result or its error instead of running the call again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[Hashable, Flight[Any]] = {}

    def run(self, key: Hashable, call: Callable[[], T]) -> tuple[T, bool]:
        """``(result, leader)``: ``call()``'s result, and whether this caller ran it (False: it shared another's)."""
        with self._lock:
            shared = self._flights.get(key)
            flight: Flight[T] = shared or Flight()
            if shared is None:
                self._flights[key] = flight
        if shared is not None:
            shared.done.wait()
            if shared.error is not None:
                raise shared.error
            # Set (the call returned), and of the caller's type: callers of one key make the same kind of thing.
            return cast(T, shared.result), False
        try:
            result = flight.result = call()
            return result, True
        except Exception as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
