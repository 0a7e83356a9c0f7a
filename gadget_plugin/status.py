"""``/api/v1/status``: is Context Service's object API usable right now, and is the dictionary current?

A cheap object call (reading a customer id that never exists: a 404 means the object API works) is made at
most every ``STATUS_CACHE_SECONDS``, one at a time; meanwhile callers get the last answer. The live error rate
of the proxy's real calls overrides a good probe: when most recent calls failed, and one failed after the last
good probe, status says ``UNREACHABLE`` (the gadget's outage mode) and the probe is repeated within a couple of
seconds, so recovery is noticed as fast as the outage.
"""

import threading
import time
from typing import TypedDict

from . import budget
from .config import Settings
from .cs_client import ContextServiceClient
from .dictionary import Dictionary, DictionaryState
from .errors import GadgetError, NotEntitled, NotFound, NotRegistered

PROBE_ID = "cc-gadget-status-probe"
RECHECK_SECONDS = 2.0  # how soon a failed or contradicted probe is repeated


class Probe(TypedDict):
    """What one probe found; ``reason`` (``NOT_REGISTERED``, ``NOT_ENTITLED``, ``UNREACHABLE``) when not available."""

    available: bool
    entitled: bool
    registered: bool
    reason: str | None


class ErrorRate(TypedDict):
    """The share of the window's calls that failed, and how many calls there were."""

    share: float
    calls: int


class Status(Probe):
    """``/api/v1/status``: the probe, overridden by the live error rate, with the mode and the dictionary's state."""

    labMode: bool
    errorRate: ErrorRate
    dictionary: DictionaryState


class StatusProbe:
    """The status of one process: a single-flight, cached object-API probe plus the live error rate."""

    def __init__(self, client: ContextServiceClient, dictionary: Dictionary, config: Settings) -> None:
        self.client = client
        self.dictionary = dictionary
        self.ttl = config["STATUS_CACHE_SECONDS"]
        self.lab_mode = config["LAB_MODE"]
        self._probed: tuple[float, Probe] | None = None  # (monotonic time, result)
        self._probing: threading.Event | None = None  # the probe in flight
        self._lock = threading.Lock()

    def status(self) -> Status:
        """``{available, entitled, registered, reason, labMode, errorRate, dictionary}``."""
        probed_at, probe = self._latest()
        available, reason = probe["available"], probe["reason"]
        if available and self.client.outcomes.failing_since(probed_at):
            available, reason = False, "UNREACHABLE"
        rate, calls = self.client.outcomes.error_rate()
        return Status(
            available=available,
            entitled=probe["entitled"],
            registered=probe["registered"],
            reason=reason,
            labMode=self.lab_mode,
            errorRate={"share": round(rate, 3), "calls": calls},
            dictionary=self.dictionary.state(),
        )

    def reset(self) -> None:
        """Forget the last probe."""
        with self._lock:
            self._probed = None

    def _latest(self) -> tuple[float, Probe]:
        """The cached probe when still good, else a new one (only one at a time; others get the last one)."""
        with self._lock:
            if self._probed and not self._due(*self._probed):
                return self._probed
            in_flight = self._probing
            if in_flight is None:
                self._probing = in_flight = threading.Event()
                leader = True
            else:
                leader = False
        if not leader:
            if self._probed:
                return self._probed
            deadline = budget.current()
            in_flight.wait(deadline.remaining() if deadline else None)
            return self._probed or (time.monotonic(), _unreachable())
        try:
            probed = (time.monotonic(), self._probe())
            with self._lock:
                self._probed = probed
            return probed
        finally:
            with self._lock:
                self._probing = None
            in_flight.set()

    def _due(self, probed_at: float, result: Probe) -> bool:
        age = time.monotonic() - probed_at
        if not result["available"] or self.client.outcomes.failing_since(probed_at):
            return age >= min(self.ttl, RECHECK_SECONDS)
        return age >= self.ttl

    def _probe(self) -> Probe:
        entitled, registered, reason = True, True, None
        try:
            self.client.get("customer", PROBE_ID)
        except NotFound:
            pass  # the object API answered
        except NotRegistered:
            registered, reason = False, "NOT_REGISTERED"
        except NotEntitled:
            entitled, reason = False, "NOT_ENTITLED"
        except GadgetError:  # unreachable, timing out or failing: the gadget works from drafts meanwhile
            reason = "UNREACHABLE"
        return {"available": reason is None, "entitled": entitled, "registered": registered, "reason": reason}


def _unreachable() -> Probe:
    return {"available": False, "entitled": True, "registered": True, "reason": "UNREACHABLE"}
