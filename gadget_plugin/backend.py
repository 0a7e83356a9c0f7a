"""Everything a gadget-server process holds, in one object: clients and short-lived caches (``reset()``).

Nothing here is needed by another process: any number of processes can serve the same agents.
"""

import contextvars
from concurrent.futures import ThreadPoolExecutor

from . import bulkheads, connection
from .agent_auth import AgentVerifier
from .cs_client import ContextServiceClient
from .dictionary import Dictionary
from .singleflight import SingleFlight
from .status import StatusProbe

OTHER_WORK_THREADS = 8  # fan-out of calls made outside any pooled request (command line, health checks)
_fanned_out = contextvars.ContextVar("gadget_fanned_out", default=False)


class GadgetBackend:
    """Context Service client, Finesse verifier, dictionary, status, the bulkheads and the creates in flight of
    one process."""

    def __init__(self, config):
        self.config = config
        self.cs = ContextServiceClient(
            config, self.connection_data, self.machine_account, pool_size=bulkheads.calls_at_once(config)
        )
        self.dictionary = Dictionary(self.cs, config["DICTIONARY_CACHE_SECONDS"], config["REQUEST_BUDGET_SECONDS"])
        self.agents = AgentVerifier(
            config["FINESSE_URLS"],
            config["FINESSE_TIMEOUT_SECONDS"],
            config["AUTH_CACHE_SECONDS"],
            verify_tls=config["VERIFY_TLS"],
        )
        self.probe = StatusProbe(self.cs, self.dictionary, config)
        self.pools = bulkheads.build(config)
        self._other_work = ThreadPoolExecutor(max_workers=OTHER_WORK_THREADS, thread_name_prefix="cs-other")
        self.creates = SingleFlight()  # one create per Finesse dialog / idempotency key at a time in this process

    def parallel(self, *calls):
        """Run independent Context Service calls (no-argument callables) concurrently; their results in order.

        All but the first run on the worker threads of the current request's pool, the first in the calling
        thread (it would only wait meanwhile; a lone call needs no hand-over at all); each in a copy of the
        request's context (so they share its time budget). The first failure is raised once every call has
        finished, so no call is left running unobserved. Calls made from a fanned-out call run one after another
        in its thread: a worker never waits for a place in its own pool.
        """
        if _fanned_out.get() or not calls:
            return [call() for call in calls]
        pool = self.pools.get(bulkheads.current_kind())
        executor = pool.fanout if pool else self._other_work
        futures = [executor.submit(contextvars.copy_context().run, _fanned_out_call, call) for call in calls[1:]]
        first, first_error = None, None
        try:
            first = contextvars.copy_context().run(_fanned_out_call, calls[0])
        except Exception as exc:  # raised below, after the others have finished
            first_error = exc
        errors = [first_error, *(future.exception() for future in futures)]
        for error in errors:
            if error is not None:
                raise error
        return [first, *(future.result() for future in futures)]

    def connection_data(self):
        """The connection data: the CONNECTION_DATA setting, else the file ``register`` wrote."""
        return self.config["CONNECTION_DATA"] or connection.load(self.config["INSTANCE_PATH"])

    def machine_account(self):
        """The machine account: the CS_MACHINE_ACCOUNT_* settings, else the one ``register`` stored."""
        if self.config["CS_MACHINE_ACCOUNT_NAME"]:
            return connection.MachineAccount(
                self.config["CS_MACHINE_ACCOUNT_NAME"], self.config["CS_MACHINE_ACCOUNT_PASSWORD"]
            )
        return connection.load_machine_account(self.config["INSTANCE_PATH"])

    def status(self):
        """``{available, entitled, registered, reason, labMode, errorRate, dictionary}`` (see ``status.py``)."""
        return self.probe.status()

    def reset(self):
        """Drop every cache: tokens, agent verifications, dictionary, status, error rate."""
        self.cs.tokens.invalidate()
        self.cs.outcomes.reset()
        self.agents.reset()
        self.dictionary.reset()
        self.probe.reset()


def _fanned_out_call(call):
    """Run ``call`` marked as fanned out (see ``GadgetBackend.parallel``)."""
    _fanned_out.set(True)
    return call()
