"""Everything a gadget-server process holds, in one object: clients and short-lived caches (``reset()``).

Nothing here is needed by another process: any number of processes can serve the same agents.
"""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from . import connection
from .agent_auth import AgentVerifier
from .cs_client import ContextServiceClient
from .dictionary import Dictionary
from .errors import GadgetError, NotEntitled, NotRegistered
from .singleflight import SingleFlight

STATUS_PROBE_FIELDSET = "/dictionary/fieldset/v1/id/cisco.base.pod"


class GadgetBackend:
    """Context Service client, Finesse verifier, dictionary and status caches, creates in flight of one process."""

    def __init__(self, config):
        self.config = config
        self.cs = ContextServiceClient(config, self.connection_data)
        self.dictionary = Dictionary(self.cs, config["DICTIONARY_CACHE_SECONDS"])
        self.agents = AgentVerifier(config["FINESSE_URLS"], config["FINESSE_TIMEOUT_SECONDS"],
                                    config["AUTH_CACHE_SECONDS"], verify_tls=config["VERIFY_TLS"])
        self._status = None
        self._status_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="cs-call")
        self.creates = SingleFlight()  # one create per Finesse dialog / idempotency key at a time in this process

    def parallel(self, *calls):
        """Run independent Context Service calls (no-argument callables) concurrently; their results in order.

        The first failure is raised once every call has finished, so no call is left running unobserved.
        """
        futures = [self._pool.submit(call) for call in calls]
        errors = [future.exception() for future in futures]
        for error in errors:
            if error is not None:
                raise error
        return [future.result() for future in futures]

    def connection_data(self):
        """The connection data: the CONNECTION_DATA setting, else the file ``register`` wrote."""
        return self.config["CONNECTION_DATA"] or connection.load(self.config["INSTANCE_PATH"])

    def status(self):
        """``{available, entitled, registered, reason, labMode}``, probed at most every few seconds."""
        with self._status_lock:
            if self._status and self._status[0] > time.monotonic():
                return self._status[1]
        status = self._probe_status()
        with self._status_lock:
            self._status = (time.monotonic() + self.config["STATUS_CACHE_SECONDS"], status)
        return status

    def _probe_status(self):
        entitled, registered, reason = True, True, None
        try:
            self.cs.send("GET", self.cs.dictionary_url, STATUS_PROBE_FIELDSET)
        except NotRegistered:
            registered, reason = False, "NOT_REGISTERED"
        except NotEntitled:
            entitled, reason = False, "NOT_ENTITLED"
        except GadgetError:  # unreachable, timing out or failing: the gadget works from drafts meanwhile
            reason = "UNREACHABLE"
        return {"available": reason is None, "entitled": entitled, "registered": registered, "reason": reason,
                "labMode": self.config["LAB_MODE"]}

    def reset(self):
        """Drop every cache: tokens, agent verifications, dictionary, status."""
        self.cs.tokens.invalidate()
        self.agents.reset()
        self.dictionary.reset()
        with self._status_lock:
            self._status = None
