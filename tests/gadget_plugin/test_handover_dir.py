"""The hand-over through the private folder (``handover_dir.py``) the worker processes of a host share: two
``Rendezvous`` on one folder stand for two workers. Publish, close, an opener that comes after the waiter, a
newer opener, a killed worker's files, the folder's privacy and its setting."""

import os
import stat
import threading
import time

import pytest

from gadget_plugin import create_app, rendezvous
from gadget_plugin.config import ConfigError, load_config, shared_temp_dir
from gadget_plugin.handover_dir import ABSENT, HandoverDir, Look
from gadget_plugin.rendezvous import MISSING, Rendezvous

KEY = ("1001", "dialog-1")
STALE_SECONDS = 10.0
VALUE = {"customerId": "c-1", "prepared": "token"}


@pytest.fixture()
def folder(tmp_path):
    """The hand-over folder's path."""
    return tmp_path / "handover"


@pytest.fixture()
def workers(folder):
    """``(opener's, waiter's)``: the rendezvous of two processes on one folder."""
    return Rendezvous(HandoverDir(str(folder), STALE_SECONDS)), Rendezvous(HandoverDir(str(folder), STALE_SECONDS))


def waiting(rendezvous_, key=KEY, timeout=5.0):
    """Start ``wait`` in a thread; ``join()`` gives ``(its value, seconds it took)``."""
    result = {}
    started = time.monotonic()
    thread = threading.Thread(target=lambda: result.update(value=rendezvous_.wait(key, timeout), at=time.monotonic()))
    thread.start()

    def join():
        thread.join(10)
        return result["value"], result["at"] - started

    return join


def test_a_value_published_in_one_worker_is_handed_to_a_waiter_of_another(workers):
    """The waiter of the other worker gets the value within a few polls of its publication; a better value
    published later is what a waiter asking after gets."""
    opener, other = workers
    slot = opener.open(KEY)
    handed = waiting(other)
    time.sleep(0.1)
    Rendezvous.publish(slot, VALUE)
    published_at = time.monotonic()
    value, _ = handed()
    assert value == VALUE and time.monotonic() - published_at < 0.2
    Rendezvous.publish(slot, dict(VALUE, prepared="checked"))
    assert other.wait(KEY, 1.0) == dict(VALUE, prepared="checked")
    opener.close(KEY, slot)


def test_closing_without_a_value_releases_the_other_workers_waiter_and_removes_the_files(workers, folder):
    """The opener is done without a value: the other worker's waiter gets MISSING at once (not at its timeout),
    and no file is left."""
    opener, other = workers
    slot = opener.open(KEY)
    handed = waiting(other, timeout=5.0)
    time.sleep(0.1)
    opener.close(KEY, slot)
    value, took = handed()
    assert value is MISSING and took < 1.0
    assert os.listdir(folder) == []


def test_a_waiter_that_comes_before_the_other_workers_opener_waits_for_it(workers):
    """The hand-over reaches its worker before the screen pop reaches the other: within
    NO_OPENER_WAIT_SECONDS the opener's marker is seen, and the value is waited for past that bound."""
    opener, other = workers
    handed = waiting(other)
    time.sleep(rendezvous.NO_OPENER_WAIT_SECONDS / 2)
    slot = opener.open(KEY)
    time.sleep(rendezvous.NO_OPENER_WAIT_SECONDS)
    Rendezvous.publish(slot, VALUE)
    value, took = handed()
    opener.close(KEY, slot)
    assert value == VALUE and took > rendezvous.NO_OPENER_WAIT_SECONDS


def test_no_opener_in_any_worker_answers_missing_after_the_no_opener_wait(workers):
    """Nothing opens the key anywhere: MISSING after NO_OPENER_WAIT_SECONDS, not the caller's timeout; the
    waiter leaves no slot behind."""
    _, other = workers
    value, took = waiting(other, timeout=5.0)()
    assert value is MISSING and rendezvous.NO_OPENER_WAIT_SECONDS <= took < rendezvous.NO_OPENER_WAIT_SECONDS + 1
    assert not other.pending(KEY)


def test_a_waiter_in_the_openers_own_worker_never_reads_the_folder(workers, monkeypatch):
    """In-process hand-over stays what it was: the slot's event, no file read."""
    opener, _ = workers
    looked = []
    monkeypatch.setattr(HandoverDir, "look", lambda _, key: looked.append(key) or Look(ABSENT))
    slot = opener.open(KEY)
    handed = waiting(opener)
    Rendezvous.publish(slot, VALUE)
    assert handed()[0] == VALUE and looked == []
    opener.close(KEY, slot)


def test_an_older_opener_closing_leaves_the_newer_openers_files(workers, folder):
    """The dialog's screen pop is sent again to the other worker while the first still runs: the newer one is
    asked; the older one's close leaves its file, and a waiter gets the newer one's value."""
    older, newer = workers
    first = older.open(KEY)
    second = newer.open(KEY)
    Rendezvous.publish(first, dict(VALUE, prepared="older"))
    older.close(KEY, first)
    Rendezvous.publish(second, VALUE)
    assert Rendezvous(HandoverDir(str(folder), STALE_SECONDS)).wait(KEY, 1.0) == VALUE
    newer.close(KEY, second)
    assert len(os.listdir(folder)) == 1  # the newer one's value, kept for a late waiter until it is stale


def test_a_value_published_just_before_the_close_reaches_a_waiter_that_looks_after_it(workers, folder):
    """The screen pop publishes its token a few ms before it answers, less than a waiter's poll: a waiter of the
    other worker that looks only after the close gets that value at once; once stale the file is swept."""
    opener, other = workers
    slot = opener.open(KEY)
    Rendezvous.publish(slot, VALUE)
    opener.close(KEY, slot)
    value, took = waiting(other, timeout=5.0)()
    assert value == VALUE and took < 0.5
    old = time.time() - STALE_SECONDS - 1
    for name in os.listdir(folder):
        os.utime(folder / name, (old, old))
    HandoverDir(str(folder), STALE_SECONDS).sweep()  # what each worker does every stale_seconds
    assert os.listdir(folder) == []


def test_a_waiter_in_the_openers_worker_after_the_close_gets_its_last_value_at_once(workers):
    """In the opener's own worker too: closed with a value, the value; closed without, MISSING; no wait."""
    opener, _ = workers
    slot = opener.open(KEY)
    Rendezvous.publish(slot, VALUE)
    opener.close(KEY, slot)
    started = time.monotonic()
    assert opener.wait(KEY, 5.0) == VALUE
    other_key = ("1001", "dialog-8")
    opener.close(other_key, opener.open(other_key))
    assert opener.wait(other_key, 5.0) is MISSING and time.monotonic() - started < 0.5


def test_a_killed_workers_files_are_ignored_and_removed(workers, folder):
    """A worker killed while its screen pop held the key leaves its file: once older than the bound it is
    ignored (the waiter answers after the no-opener wait, not its whole timeout) and removed; the next opener's
    sweep removes those of other keys."""
    killed, other = workers
    Rendezvous.publish(killed.open(KEY), VALUE)
    Rendezvous.publish(killed.open(("1001", "dialog-2")), VALUE)  # never closed either
    old = time.time() - STALE_SECONDS - 1
    for name in os.listdir(folder):
        os.utime(folder / name, (old, old))
    value, took = waiting(other, timeout=5.0)()
    assert value is MISSING and took < rendezvous.NO_OPENER_WAIT_SECONDS + 1
    assert len(os.listdir(folder)) == 1  # the other key's file, left to the sweep
    other.close(("1001", "dialog-3"), other.open(("1001", "dialog-3")))
    assert os.listdir(folder) == []


def test_the_folder_and_its_files_are_private(workers, folder):
    """The folder is created 0700 and the key's file 0600, named by a hash, not by the ids."""
    opener, _ = workers
    slot = opener.open(KEY)
    Rendezvous.publish(slot, VALUE)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = os.listdir(folder)
    assert len(names) == 1 and all(stat.S_IMODE((folder / name).stat().st_mode) == 0o600 for name in names)
    assert not any("1001" in name or "dialog" in name for name in names)
    opener.close(KEY, slot)


def test_a_folder_removed_while_workers_run_is_made_again(workers, folder):
    """A temp cleaner removed the folder: the next opener makes it again (0700) and the hand-over works."""
    opener, other = workers
    os.rmdir(folder)
    slot = opener.open(KEY)
    Rendezvous.publish(slot, VALUE)
    assert other.wait(KEY, 1.0) == VALUE and stat.S_IMODE(folder.stat().st_mode) == 0o700
    opener.close(KEY, slot)


def test_a_folder_others_can_use_stops_start_up_naming_the_setting(folder, tmp_path, monkeypatch):
    """A folder readable by others, a file in its place, or another user's folder: start-up stops with an error
    naming CUSTOMER_CONTEXT_HANDOVER_DIR and the reason."""
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with pytest.raises(ConfigError, match=r"CUSTOMER_CONTEXT_HANDOVER_DIR: .* must be private .* 0755"):
        HandoverDir(str(folder), STALE_SECONDS)
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_HANDOVER_DIR must be a folder"):
        HandoverDir(str(tmp_path / "a-file"), STALE_SECONDS)
    folder.chmod(0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_HANDOVER_DIR: .* belongs to uid .*not to this user"):
        HandoverDir(str(folder), STALE_SECONDS)


def test_a_folder_others_may_write_to_below_a_shared_one_stops_start_up(tmp_path):
    """Below a folder anyone may create names in (``/tmp``, or one made so here), a folder on the way that
    others may write to (so could put theirs in the hand-over folder's place) stops start-up too, naming it."""
    shared, own = tmp_path / "shared", tmp_path / "shared" / "own"
    shared.mkdir()
    shared.chmod(0o1777)
    own.mkdir()
    own.chmod(0o777)
    with pytest.raises(ConfigError, match=r"HANDOVER_DIR: .*/(shared|own) must be private to its owner"):
        HandoverDir(str(own / "handover"), STALE_SECONDS)
    HandoverDir(str(tmp_path / "handover"), STALE_SECONDS)  # tmp_path is private: accepted


def test_the_hand_over_folder_setting(tmp_path):
    """Empty: a folder per instance under a per-user folder of /dev/shm (RAM) or else the system temp dir; a relative path is
    refused naming the setting; the app fails fast on a bad folder."""
    first, second = (load_config({"INSTANCE_PATH": str(tmp_path / name)})["HANDOVER_DIR"] for name in "ab")
    base = os.path.join(shared_temp_dir(), f"customer-context-{os.getuid()}")
    assert first != second and os.path.dirname(first) == base == os.path.dirname(second)
    assert load_config({"HANDOVER_DIR": str(tmp_path / "h")})["HANDOVER_DIR"] == str(tmp_path / "h")
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_HANDOVER_DIR must be an absolute path, got 'handover'"):
        load_config({"HANDOVER_DIR": "handover"})
    (tmp_path / "open").mkdir(mode=0o777)
    (tmp_path / "open").chmod(0o777)
    with pytest.raises(ConfigError, match="CUSTOMER_CONTEXT_HANDOVER_DIR"):
        create_app({"INSTANCE_PATH": str(tmp_path), "HANDOVER_DIR": str(tmp_path / "open")})


def test_an_empty_folder_goes_with_the_process_and_comes_back_on_the_next_write(workers, folder):
    """At exit an empty folder is removed (each test instance's would be left behind); a worker still running
    makes it again on its next write; a folder with a running screen pop's file stays."""
    opener, other = workers
    slot = opener.open(KEY)
    HandoverDir(str(folder), STALE_SECONDS).remove_if_empty()
    assert folder.is_dir()
    opener.close(KEY, slot)
    HandoverDir(str(folder), STALE_SECONDS).remove_if_empty()
    assert not folder.exists()
    slot = opener.open(KEY)
    Rendezvous.publish(slot, VALUE)
    assert other.wait(KEY, 1.0) == VALUE
    opener.close(KEY, slot)
