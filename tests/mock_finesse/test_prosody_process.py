"""ProsodyProcess's start-up wait against a child that never listens (a stand-in executable, no Prosody needed)."""

import threading
import time

import pytest

from mock_finesse.xmpp.exceptions import XmppUnavailable
from mock_finesse.xmpp.prosody import START_TIMEOUT_SECONDS, ProsodyProcess


@pytest.fixture
def silent_server(tmp_path):
    """A ProsodyProcess whose "prosody" runs but never opens its ports."""
    executable = tmp_path / "prosody"
    executable.write_text("#!/bin/sh\nexec sleep 30\n", encoding="utf-8")
    executable.chmod(0o755)
    process = ProsodyProcess(str(executable), str(tmp_path / "xmpp"), "finesse.test")
    yield process
    process.stop()


def test_stop_during_the_start_up_wait_ends_it_with_xmpp_unavailable(silent_server):
    """A stop() while start() waits for the ports (the mock shutting down) ends the wait with XmppUnavailable
    naming XMPP_SERVER, not an AttributeError on the process stop() let go (mypy: ``_process`` may be None)."""
    stopper = threading.Thread(target=stop_once_running, args=(silent_server,), daemon=True)
    stopper.start()
    started = time.monotonic()
    with pytest.raises(XmppUnavailable) as caught:
        silent_server.start("publisher@finesse.test")
    stopper.join(timeout=5)
    assert caught.value.data == "XMPP_SERVER"
    assert "Prosody exited at start" in caught.value.message
    assert time.monotonic() - started < START_TIMEOUT_SECONDS  # the wait ended at the stop, not at its timeout
    assert not silent_server.running


def stop_once_running(server):
    """Stop ``server`` as soon as its child runs (within the start-up wait)."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not server.running and time.monotonic() < deadline:
        time.sleep(0.01)
    server.stop()
