"""Everything a gadget-server process holds, in one object: clients and short-lived caches (``reset()``).

Nothing here is needed by another process: any number of processes can serve the same agents. The one thing
the workers of a host share is the screen pop's hand-over, through a private folder (``handover_dir.py``).
"""

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from flask import Flask, current_app

from . import bulkheads, connection
from .agent_auth import AgentVerifier
from .caller_hints import CallerHints
from .config import Settings
from .cs_client import ContextServiceClient
from .dictionary import Dictionary
from .handover_dir import HandoverDir
from .prepared import Signer
from .rendezvous import Rendezvous
from .settle import Settler
from .singleflight import SingleFlight
from .status import Status, StatusProbe
from .versions import Versions

EXTENSION = "gadget_plugin"  # the app.extensions key of the app's GadgetBackend
# Past a screen pop's budget its hand-over files are a killed worker's (a request answers within its budget).
STALE_MARGIN = 2.0
OTHER_WORK_THREADS = 8  # fan-out of calls made outside any pooled request (command line, health checks)
_fanned_out = contextvars.ContextVar("gadget_fanned_out", default=False)
T = TypeVar("T")


class Backend(Protocol):
    """What the flows (store, idempotency, comments, moves, search…) use of a process's backend: a
    ``GadgetBackend``, or a stand-in that answers the same calls (bench/bench_search.py)."""

    config: Settings
    cs: ContextServiceClient
    dictionary: Dictionary
    creates: SingleFlight

    def parallel(self, *calls: Callable[[], T]) -> list[T]:
        """Run independent calls concurrently; their results in order."""
        ...


class GadgetBackend:
    """Context Service client, Finesse verifier, dictionary, status, the bulkheads, the creates in flight and
    their settles of one process."""

    def __init__(self, config: Settings) -> None:
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
        self.prepared = Signer(config)  # the screen pop's prepared tokens (prepared.py)
        self.settles = Settler()  # what a create finishes after its answer: the twin check (settle.py)
        # Screen pops in flight handing their prepared token over (screen_pop.py), to this host's other workers too.
        self.pops = Rendezvous(HandoverDir(config["HANDOVER_DIR"], config["REQUEST_BUDGET_SECONDS"] + STALE_MARGIN))
        self.versions = Versions()  # the activities this process stored last, for edits without a read
        self.hints = CallerHints(config["CALLER_HINT_SECONDS"])  # which customer a caller was (screen_pop.py)

    def parallel(self, *calls: Callable[[], T]) -> list[T]:
        """Run independent Context Service calls (no-argument callables) concurrently; their results in order.

        All but the first run on the worker threads of the current request's pool, the first in the calling
        thread (it would only wait meanwhile; a lone call needs no hand-over at all); each in a copy of the
        request's context (so they share its time budget). The first failure is raised once every call has
        finished, so no call is left running unobserved. Calls made from a fanned-out call run one after another
        in its thread: a worker never waits for a place in its own pool.
        """
        if _fanned_out.get() or not calls:
            return [call() for call in calls]
        kind = bulkheads.current_kind()
        pool = self.pools.get(kind) if kind else None
        executor = pool.fanout if pool else self._other_work
        futures = [executor.submit(contextvars.copy_context().run, _fanned_out_call, call) for call in calls[1:]]
        first: list[T] = []
        first_error: BaseException | None = None
        try:
            first.append(contextvars.copy_context().run(_fanned_out_call, calls[0]))
        except Exception as exc:  # raised below, after the others have finished
            first_error = exc
        errors = [first_error, *(future.exception() for future in futures)]
        for error in errors:
            if error is not None:
                raise error
        return [*first, *(future.result() for future in futures)]

    def connection_data(self) -> str | None:
        """The connection data: the CONNECTION_DATA setting, else the file ``register`` wrote."""
        return self.config["CONNECTION_DATA"] or connection.load(self.config["INSTANCE_PATH"])

    def machine_account(self) -> connection.MachineAccount | None:
        """The machine account: the CS_MACHINE_ACCOUNT_* settings, else the one ``register`` stored."""
        if self.config["CS_MACHINE_ACCOUNT_NAME"]:
            return connection.MachineAccount(
                self.config["CS_MACHINE_ACCOUNT_NAME"], self.config["CS_MACHINE_ACCOUNT_PASSWORD"]
            )
        return connection.load_machine_account(self.config["INSTANCE_PATH"])

    def status(self) -> Status:
        """``{available, entitled, registered, reason, labMode, errorRate, dictionary}`` (see ``status.py``)."""
        return self.probe.status()

    def reset(self) -> None:
        """Drop every cache: tokens, agent verifications, dictionary, status, error rate (once the settles of
        earlier creates have run)."""
        self.settles.drain()
        self.cs.tokens.invalidate()
        self.cs.outcomes.reset()
        self.agents.reset()
        self.versions.reset()
        self.hints.reset()
        self.dictionary.reset()
        self.probe.reset()


def get_backend(app: Flask | None = None) -> GadgetBackend:
    """The app's GadgetBackend (``current_app`` when no app is given)."""
    backend: GadgetBackend = (app or current_app).extensions[EXTENSION]
    return backend


def _fanned_out_call(call: Callable[[], T]) -> T:
    """Run ``call`` marked as fanned out (see ``GadgetBackend.parallel``)."""
    _fanned_out.set(True)
    return call()
