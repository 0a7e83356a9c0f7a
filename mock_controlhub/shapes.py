"""The shapes the mock cloud's modules hand each other, named once.

``Wire`` is a JSON object as it travels (a Context Service object, a field, a fieldset, a control-API answer);
``Row`` a stored row as the models read it (an ``sqlite3.Row``, or the dict of one about to be written);
``Store`` the backend as the models see it (``ControlHubBackend`` in state.py, which builds on these models
and so cannot be imported by them).
"""

import sqlite3
import threading
from contextlib import AbstractContextManager
from typing import Any, Protocol

from .clock import Clock

Wire = dict[str, Any]
Row = sqlite3.Row | dict[str, Any]


class Store(Protocol):
    """The database with its lock, the mock clock and the settings."""

    config: dict[str, Any]
    db: sqlite3.Connection
    lock: threading.RLock
    clock: Clock

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """Hold the lock and run the block in one transaction (a savepoint when nested)."""
        ...
