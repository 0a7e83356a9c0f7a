"""The hand-over between the worker processes of one host (``rendezvous.Rendezvous`` with a ``HandoverDir``):
the screen pop's prepared token reaches a hand-over request that another worker answers.

A private folder (``HANDOVER_DIR``) holds one file per key while its opener runs, named by a hash of the key:
the opener's id, and the value once it is published; every write is whole (a temporary file renamed into
place). When the opener closes, a file without a value is removed; one with a value is marked closed and kept
until it is stale, for a waiter that looks after the close. A waiter of another process reads it. A file older than
``stale_seconds`` (a killed worker's) is ignored and removed. The value is a signed token the create verifies,
so the files add no trust; they are kept private all the same. Any failure to write them only costs the other
processes' hand-over, never the screen pop. On a RAM file system (``/dev/shm``, the default) a screen pop's
three writes and one removal cost ≈ 85 µs of CPU; on a disk's journal (ext4) ≈ 700 µs.
"""

import atexit
import contextlib
import hashlib
import json
import logging
import os
import pathlib
import itertools
import secrets
import stat
import time
from collections.abc import Hashable
from typing import Any, NamedTuple

from .config import ENV_PREFIX, ConfigError

log = logging.getLogger(__name__)
SETTING = ENV_PREFIX + "HANDOVER_DIR"
# What a look finds: nothing running for the key, a request running that has published nothing yet, or a value.
ABSENT, RUNNING, PUBLISHED = "absent", "running", "published"
STALE = object()  # what ``read`` gives for a file older than the bound
MAX_FILE_BYTES = 64 * 1024  # a file is an owner id and a token (a few hundred bytes)
_temp_names = itertools.count()  # this process's temporary file names (next() is atomic under the GIL)


class Look(NamedTuple):
    """What ``HandoverDir.look`` found for a key: ``state`` (ABSENT, RUNNING or PUBLISHED) and the value."""

    state: str
    value: Any = None


class Opening:
    """One opener's file of a key: ``publish`` a value (again, with a better one), ``close`` when done."""

    def __init__(self, folder: "HandoverDir", name: str) -> None:
        self._folder = folder
        self._name = name
        self.owner = secrets.token_hex(8)
        self._published = False
        folder.write(name, {"owner": self.owner})

    def publish(self, value: Any) -> None:
        """Make ``value`` (JSON) the one the other processes' waiters get."""
        self._folder.write(self._name, {"owner": self.owner, "value": value})
        self._published = True

    def close(self) -> None:
        """Done, unless a newer opener of the key took the file over: without a value the file is removed; a
        published value stays in it until it is stale (swept), for a waiter that looks only after the close (a
        screen pop publishes its token a few ms before it answers, less than a waiter's poll)."""
        found = _json(self._folder.read(self._name))
        if not isinstance(found, dict) or found.get("owner") != self.owner:
            return
        if self._published:
            self._folder.write(self._name, dict(found, closed=True))
        else:
            self._folder.remove(self._name)


class HandoverDir:
    """The private folder at ``path`` (created 0700; ConfigError naming HANDOVER_DIR when it is not private to
    this user), whose files older than ``stale_seconds`` are ignored and removed."""

    def __init__(self, path: str, stale_seconds: float) -> None:
        self.path = pathlib.Path(path)
        self.stale_seconds = stale_seconds
        self._base = os.path.join(self.path, "")  # file paths as text: pathlib's joins cost more than the writes
        private_folder(self.path)
        self._next_sweep = 0.0
        # Left empty, the folder goes with the process (a test's instance each); a worker still running makes it
        # again on its next write.
        atexit.register(self.remove_if_empty)

    def open(self, key: Hashable) -> Opening:
        """Mark ``key`` open for the other processes (files of killed openers swept now and then)."""
        if time.monotonic() >= self._next_sweep:
            self.sweep()
        return Opening(self, file_name(key))

    def look(self, key: Hashable) -> Look:
        """What runs for ``key`` in any process using the folder (a stale file is removed: ABSENT)."""
        name = file_name(key)
        text = self.read(name, fresh_only=True)
        if text is STALE:
            self.remove(name)
            return Look(ABSENT)
        found = _json(text)
        if not isinstance(found, dict):
            return Look(ABSENT)
        return Look(PUBLISHED, found["value"]) if "value" in found else Look(RUNNING)

    def sweep(self) -> None:
        """Remove the files older than ``stale_seconds`` (those of a worker killed while it held a key)."""
        self._next_sweep = time.monotonic() + self.stale_seconds
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path):
                with contextlib.suppress(OSError):
                    if self._stale(entry.stat().st_mtime):
                        os.unlink(entry.path)

    def remove_if_empty(self) -> None:
        """Remove the folder when no file is in it."""
        with contextlib.suppress(OSError):
            os.rmdir(self.path)

    def write(self, name: str, content: Any) -> None:
        """``content`` (JSON) into ``name``, whole; a folder removed meanwhile (a temp cleaner) is made again; a
        failure is logged, never raised."""
        try:
            data = json.dumps(content).encode()
            try:
                self._write(name, data)
            except FileNotFoundError:
                private_folder(self.path)
                self._write(name, data)
        except (OSError, ConfigError, TypeError, ValueError) as exc:
            log.warning("hand-over file not written (other workers will not see it): %s", exc)

    def _write(self, name: str, data: bytes) -> None:
        """A temporary file (0600) renamed into place: a reader sees the old data or the new, never a part."""
        temp = f"{self._base}.{name}.{os.getpid()}.{next(_temp_names)}.tmp"
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            try:
                os.write(handle, data)
            finally:
                os.close(handle)
            os.replace(temp, self._base + name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def read(self, name: str, fresh_only: bool = False) -> Any:
        """The text of ``name``; None when it is missing, STALE when (``fresh_only``) it is older than the bound."""
        try:
            handle = os.open(self._base + name, os.O_RDONLY)
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("hand-over file not read: %s", exc)
            return None
        try:
            if fresh_only and self._stale(os.fstat(handle).st_mtime):
                return STALE
            return os.read(handle, MAX_FILE_BYTES).decode("utf-8", "replace")
        finally:
            os.close(handle)

    def remove(self, *names: str) -> None:
        """Remove these files (those already gone are no error)."""
        for name in names:
            with contextlib.suppress(OSError):
                os.unlink(self._base + name)

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
    """Create ``path`` (and missing parents) 0700 and check it is this user's and private. Below a folder others
    may write to (``/tmp``, ``/dev/shm``: anyone may create names there) every folder on the way must be this
    user's and writable by no one else, or another user could put theirs in its place. ConfigError naming the
    setting otherwise."""
    on_the_way = [*reversed(path.parents), path]
    shared = next((index for index, folder in enumerate(on_the_way) if _writable_by_others(folder)), None)
    for folder in on_the_way[shared + 1 :] if shared is not None else [path]:
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
        if info.st_mode & (0o077 if folder == path else 0o022):
            raise ConfigError(
                f"{SETTING}: {folder} must be private to its owner (mode 0700), it is {stat.S_IMODE(info.st_mode):04o}"
            )


def _writable_by_others(folder: pathlib.Path) -> bool:
    try:
        return bool(folder.stat().st_mode & 0o022)
    except OSError:
        return False
