"""Single-flight: one call per key at a time in this process; callers arriving meanwhile share its outcome."""

import threading


class Flight:
    """One call in progress: the callers waiting for it block on ``done``, then read ``result`` or ``error``."""

    def __init__(self):
        self.done = threading.Event()
        self.result = None
        self.error = None


class SingleFlight:
    """Calls keyed by what they make (e.g. a Finesse dialog's activity): concurrent callers of one key wait for
    the first and get its result or its error instead of running the call again."""

    def __init__(self):
        self._lock = threading.Lock()
        self._flights = {}

    def run(self, key, call):
        """``(result, leader)``: ``call()``'s result, and whether this caller ran it (False: it shared another's)."""
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.result, False
        try:
            flight.result = call()
            return flight.result, True
        except Exception as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()
