"""All state of the mock cloud in one object (moto's backend shape): SQLite storage, clock, faults.

Each concern owns a schema file in ``schema/`` and a model module; the backend wires them together and
``reset()`` brings everything back to the freshly started state.
"""

import datetime as dt
import pathlib
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

from mock_core.sessions import SignIns

from .clock import Clock
from .dictionary.models import seed_base_dictionary
from .errors import InjectedFault
from .identity.models import seed_org

SCHEMA_DIR = pathlib.Path(__file__).with_name("schema")


@dataclass
class Faults:
    """Faults injected into the object API (``/context/v1``) through ``/_mock/faults``."""

    latency_ms: int = 0
    error_rate: float = 0.0
    status: int = 503
    lose_answers: int = 0  # the next n writes are stored, then answered with ``status`` (a lost answer)
    only: str | None = None  # "METHOD type" (e.g. "PUT pod"): the faults hit only those calls
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def hits(self, method: str, path_type: str | None) -> bool:
        """True when the faults apply to a call (every call, unless ``only`` names another method and type)."""
        return self.only is None or self.only == f"{method} {path_type}"

    def latency(self) -> "Latency":
        """The added latency of a call arriving now."""
        return Latency(self.latency_ms / 1000)

    def inject_error(self, chance: Callable[[], float] = random.random) -> None:
        """Raise the injected error with the configured probability (answered after the call's latency)."""
        if self.error_rate and chance() < self.error_rate:
            raise InjectedFault(self.status, f"Injected fault: HTTP {self.status}")

    def take_lost_answer(self) -> bool:
        """True (and one fewer left) when the answer of a write that was just stored is to be lost."""
        with self._lock:
            if self.lose_answers <= 0:
                return False
            self.lose_answers -= 1
            return True

    def to_dict(self) -> dict[str, Any]:
        """The settings as the control API reports them."""
        return {
            "latencyMs": self.latency_ms,
            "errorRate": self.error_rate,
            "status": self.status,
            "loseAnswers": self.lose_answers,
            "only": self.only,
        }


class Latency:
    """The added latency of one call, counted from its arrival: the call is answered ``seconds`` plus its own
    processing (its thread's CPU time) after it arrived. The processing runs first, so calls that arrive together
    are answered together, as the cloud's side by side: one waiting here for another's turn at the lock (or at
    the interpreter) waits within its latency, not on top of it. A lone call answers as if it waited, then ran."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.arrived = time.perf_counter()
        self.cpu = time.thread_time()

    def wait_out(self) -> None:
        """Sleep until the call's answer is due (at once when it already is, or without latency)."""
        if self.seconds:
            due = self.arrived + self.seconds + (time.thread_time() - self.cpu)
            time.sleep(max(0.0, due - time.perf_counter()))


def connect(database: str) -> sqlite3.Connection:
    """Open the SQLite database shared by all threads (WAL for files); callers serialise with the lock."""
    db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    if database != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


class ControlHubBackend:
    """The mock Webex cloud: org, registrations, tokens, dictionary and Context Service objects."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.faults = Faults()
        self.sign_ins = SignIns()  # live Control Hub admin sessions; a data reset keeps them
        self.db = connect(config["DATABASE"])
        with self.lock:
            self._create_schema()
            # The clock's offset is kept with the data: a restart on the same database keeps the mock's time.
            self.clock = Clock(self._stored_clock_offset(), on_change=self._store_clock_offset)
            self._seed_initial_data()

    def _create_schema(self) -> None:
        for path in sorted(SCHEMA_DIR.glob("*.sql")):
            self.db.executescript(path.read_text())

    def _seed_initial_data(self) -> None:
        seed_org(self)
        seed_base_dictionary(self)

    def _stored_clock_offset(self) -> dt.timedelta:
        row = self.db.execute("SELECT offset_ms FROM mock_clock WHERE id = 1").fetchone()
        return dt.timedelta(milliseconds=row[0] if row else 0)

    def _store_clock_offset(self) -> None:
        with self.lock:
            self.db.execute(
                "INSERT INTO mock_clock (id, offset_ms) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET offset_ms = excluded.offset_ms",
                (round(self.clock.offset / dt.timedelta(milliseconds=1)),),
            )

    def transaction(self) -> "_Transaction":
        """Context manager: hold the lock and run the block in one SQLite transaction; nested inside another
        transaction it is a savepoint of it (its failure undoes just its own writes, the outer COMMIT keeps
        the rest), so a caller can make many model calls all-or-nothing."""
        return _Transaction(self)

    def reset(self) -> None:
        """Wipe every table, then re-create the org and the Cisco base dictionary; clock and faults too."""
        with self.lock:
            tables = [
                r[0]
                for r in self.db.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            self.db.execute("PRAGMA foreign_keys=OFF")
            self.db.execute("BEGIN")
            for table in tables:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("COMMIT")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.clock.reset()
            self.faults = Faults()
            self._seed_initial_data()


class _Transaction:
    """The context manager of ``ControlHubBackend.transaction``."""

    def __init__(self, backend: ControlHubBackend) -> None:
        self.backend = backend
        self.savepoint: str | None = None

    def __enter__(self) -> sqlite3.Connection:
        backend = self.backend
        backend.lock.acquire()
        if backend.db.in_transaction:  # only the lock holder can be inside one: nest as a savepoint
            self.savepoint = f"nested_{id(self)}"
            backend.db.execute(f"SAVEPOINT {self.savepoint}")
        else:
            backend.db.execute("BEGIN IMMEDIATE")
        return backend.db

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> Literal[False]:
        db = self.backend.db
        try:
            if self.savepoint and exc_type:
                db.execute(f"ROLLBACK TO {self.savepoint}")
            if self.savepoint:
                db.execute(f"RELEASE {self.savepoint}")
            else:
                db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.backend.lock.release()
        return False
