"""The hand-over between the worker processes of one host (``rendezvous.Rendezvous`` with a ``HandoverDir``):
the screen pop's prepared token reaches a hand-over request that another worker answers.

A private folder (``HANDOVER_DIR``) holds two files per key, named by a hash of the key: an "open" marker the
opener writes when it starts (its owner id inside) and the value it publishes, written whole (a temporary file
renamed into place) with the owner's id; both are removed when the opener closes. A waiter of another process
reads the marker, then the value of that owner. Files older than ``stale_seconds`` (a killed worker's) are
ignored and removed. The value is a signed token the create verifies, so the files add no trust; they are kept
private all the same. Any failure to write them only costs the other processes' hand-over, never the screen pop.
"""

import contextlib
import hashlib
import json
import logging
import os
import pathlib
import secrets
import stat
import tempfile
import time
from collections.abc import Hashable
from typing import Any, NamedTuple

from .config import ENV_PREFIX, ConfigError

log = logging.getLogger(__name__)
SETTING = ENV_PREFIX + "HANDOVER_DIR"
MARKER, VALUE = ".open", ".value"
# What a look finds: nothing running for the key, a request running that has published nothing yet, or a value.
ABSENT, RUNNING, PUBLISHED = "absent", "running", "published"
STALE = object()  # what ``read`` gives for a file older than the bound


class Look(NamedTuple):
    """What ``HandoverDir.look`` found for a key: ``state`` (ABSENT, RUNNING or PUBLISHED) and the value."""

    state: str
    value: Any = None


class Opening:
    """One opener's files of a key: ``publish`` a value (again, with a better one), ``close`` when done."""

    def __init__(self, folder: "HandoverDir", name: str) -> None:
        self._folder = folder
        self._name = name
        self.owner = secrets.token_hex(8)
        folder.write(name + MARKER, self.owner)

    def publish(self, value: Any) -> None:
        """Make ``value`` (JSON) the one the other processes' waiters get."""
        self._folder.write(self._name + VALUE, json.dumps({"owner": self.owner, "value": value}))

    def close(self) -> None:
        """Remove the files, unless a newer opener of the key took them over."""
        if self._folder.read(self._name + MARKER) == self.owner:
            self._folder.remove(self._name + MARKER, self._name + VALUE)


class HandoverDir:
    """The private folder at ``path`` (created 0700; ConfigError naming HANDOVER_DIR when it is not private to
    this user), whose files older than ``stale_seconds`` are ignored and removed."""

    def __init__(self, path: str, stale_seconds: float) -> None:
        self.path = pathlib.Path(path)
        self.stale_seconds = stale_seconds
        private_folder(self.path)
        self._next_sweep = 0.0

    def open(self, key: Hashable) -> Opening:
        """Mark ``key`` open for the other processes (files of killed openers swept now and then)."""
        if time.monotonic() >= self._next_sweep:
            self.sweep()
        return Opening(self, file_name(key))

    def look(self, key: Hashable) -> Look:
        """What runs for ``key`` in any process using the folder (a stale marker is removed: ABSENT)."""
        name = file_name(key)
        owner = self.read(name + MARKER, fresh_only=True)
        if owner is None:
            return Look(ABSENT)
        if owner is STALE:
            self.remove(name + MARKER, name + VALUE)
            return Look(ABSENT)
        found = _json(self.read(name + VALUE))
        if isinstance(found, dict) and found.get("owner") == owner:
            return Look(PUBLISHED, found.get("value"))
        return Look(RUNNING)

    def sweep(self) -> None:
        """Remove the files older than ``stale_seconds`` (those of a worker killed while it held a key)."""
        self._next_sweep = time.monotonic() + self.stale_seconds
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path):
                with contextlib.suppress(OSError):
                    if self._stale(entry.stat().st_mtime):
                        os.unlink(entry.path)

    def write(self, name: str, text: str) -> None:
        """``text`` into ``name``, whole; a folder removed meanwhile (a temp cleaner) is made again; a failure is
        logged, never raised."""
        try:
            try:
                self._write(name, text)
            except FileNotFoundError:
                private_folder(self.path)
                self._write(name, text)
        except (OSError, ConfigError) as exc:
            log.warning("hand-over file not written (other workers will not see it): %s", exc)

    def _write(self, name: str, text: str) -> None:
        """A temporary file (0600) renamed into place: a reader sees the old text or the new, never a part."""
        handle, temp = tempfile.mkstemp(dir=self.path, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, self.path / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def read(self, name: str, fresh_only: bool = False) -> Any:
        """The text of ``name``; None when it is missing, STALE when (``fresh_only``) it is older than the bound."""
        try:
            with open(self.path / name, encoding="utf-8") as source:
                if fresh_only and self._stale(os.fstat(source.fileno()).st_mtime):
                    return STALE
                return source.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("hand-over file not read: %s", exc)
            return None

    def remove(self, *names: str) -> None:
        """Remove these files (those already gone are no error)."""
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(self.path / name)

    def _stale(self, mtime: float) -> bool:
        return time.time() - mtime > self.stale_seconds


def _json(text: str | None) -> Any:
    """The JSON in ``text``; None when there is none (no file, or not one this module wrote)."""
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None


def file_name(key: Hashable) -> str:
    """The files' name of a key: a hash, so no agent or dialog id is a path or shows in a listing."""
    return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]


def private_folder(path: pathlib.Path) -> None:
    """Create ``path`` (and missing parents) 0700 and check it is this user's and private; below the system temp
    folder (where anyone may create names) every folder on the way must be this user's and writable by no one
    else. ConfigError naming the setting otherwise."""
    temp = pathlib.Path(tempfile.gettempdir()).resolve()
    on_the_way = [folder for folder in reversed(path.parents) if temp in folder.parents]
    for folder in [*on_the_way, path]:
        try:
            with contextlib.suppress(FileExistsError):  # a file in its place is told below
                folder.mkdir(mode=0o700, parents=True)
            info = folder.stat()
        except OSError as exc:
            raise ConfigError(f"{SETTING}: cannot create the folder {folder}: {exc}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise ConfigError(f"{SETTING} must be a folder, {folder} is not")
        if info.st_uid != os.getuid():
            raise ConfigError(f"{SETTING}: {folder} belongs to uid {info.st_uid}, not to this user ({os.getuid()})")
        allowed = 0o077 if folder == path else 0o022
        if info.st_mode & allowed:
            raise ConfigError(
                f"{SETTING}: {folder} must be private to its owner (mode 0700), it is {stat.S_IMODE(info.st_mode):04o}"
            )
