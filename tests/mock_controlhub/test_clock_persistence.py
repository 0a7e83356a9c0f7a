"""The mock clock is kept with the data: a mock restarted on the same database keeps the time it was given, so
data written at advanced dates never lie in the future of a fresh clock."""

import datetime as dt

import requests

from finesse_harness.servers import ServerThread
from mock_controlhub import create_app
from mock_controlhub.clock import parse_rfc3339

CONTROL = {"X-Mock-Control": "1"}
TEN_DAYS = 10 * 24 * 3600


def clock_of(server, method="GET", **body):
    """The mock's time from its control API (``POST`` with ``body`` sets or advances it)."""
    response = requests.request(method, server.url + "/_mock/clock", json=body or None, headers=CONTROL, timeout=10)
    assert response.status_code == 200, response.text
    return parse_rfc3339(response.json()["now"])


def restarted(database):
    """A mock Control Hub started on ``database`` (a file), as ``./harness demo`` starts it."""
    return ServerThread(create_app({"DATABASE": str(database)})).start()


def clock_after_restart(server, database):
    """Stop ``server``, start a new mock on the same database and read its clock."""
    server.stop()
    server = restarted(database)
    try:
        return clock_of(server)
    finally:
        server.stop()


def test_an_advanced_clock_survives_a_restart(tmp_path):
    """Advance ten days, stop, start on the same file: still ten days ahead of real time."""
    database = tmp_path / "controlhub.sqlite"
    server = restarted(database)
    advanced = clock_of(server, "POST", advanceSeconds=TEN_DAYS)
    now = clock_after_restart(server, database)
    assert now - dt.datetime.now(dt.UTC) > dt.timedelta(days=9, hours=23)
    assert now >= advanced


def test_reset_brings_the_stored_clock_back_to_real_time(tmp_path):
    """After /_mock/reset the restarted mock runs on real time again."""
    database = tmp_path / "controlhub.sqlite"
    server = restarted(database)
    clock_of(server, "POST", advanceSeconds=TEN_DAYS)
    requests.post(server.url + "/_mock/reset", headers=CONTROL, timeout=10).raise_for_status()
    now = clock_after_restart(server, database)
    assert abs(now - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
