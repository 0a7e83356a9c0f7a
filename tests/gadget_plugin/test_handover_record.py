"""The hand-over and the record in one call (issue #14, auto-answer): ``POST /screen-pop/record`` stores the
answered dialog with the token its screen pop hands over, so the record leaves the browser at ACTIVE instead of
one round trip to the proxy later; nothing handed over stores nothing. A hand-over asked just after its screen
pop answered is answered at once, not after waiting for a screen pop that already ran."""

import time

import pytest

from gadget_plugin import get_backend, rendezvous
from gadget_plugin.bulkheads import WRITES

from .conftest import in_thread, waiting_for
from .test_prepared_record import PHONE, POD, record, screen_pop


def record_at_hand_over(api, dialog_id, key="key-1", status=200, **body):
    """POST /screen-pop/record for Ann's answered call ``dialog_id``, as the gadget sends it at ACTIVE."""
    sent = {"dialogId": dialog_id, "mediaType": "voice", "source": {"phone": PHONE}, **body}
    return api.ok("POST", "/screen-pop/record", status, json=sent, headers={"Idempotency-Key": key})


def test_the_record_at_hand_over_stores_the_call_with_the_screen_pops_token(
    api, gadget, customer, call_activity, faults, cs_recorder
):
    """Auto-answer: the call is answered while its screen pop still runs (the mock 300 ms a call); one call
    stores it with the token handed over (one write), and the record the
    gadget would send with the screen pop's answer (same key) answers that activity, stores no second."""
    faults(latencyMs=300)
    pop = in_thread(lambda: screen_pop(api, "hand-1"))
    waiting_for(gadget, "hand-1")
    calls = cs_recorder()
    answer = record_at_hand_over(api, "hand-1")
    answered, _ = pop()
    faults()
    activity = answer["activity"]
    assert answer["running"] is True and activity["customerId"] == customer["id"]
    assert activity["requestId"] == call_activity["requestId"]
    assert calls.made().count(POD) == 1
    again = api.ok(
        "POST",
        "/activities",
        200,
        json={
            "customerId": customer["id"],
            "mediaType": "voice",
            "dialogId": "hand-1",
            "source": {"phone": PHONE},
            "prepared": answered["prepared"],
        },
        headers={"Idempotency-Key": "key-1"},
    )
    assert again["id"] == activity["id"]
    journey = api.ok("GET", f"/customers/{customer['id']}/journey")
    assert [a["id"] for r in journey["requests"] for a in r["activities"]].count(activity["id"]) == 1


def test_the_record_at_hand_over_with_no_screen_pop_stores_nothing(api, customer, cs_recorder, monkeypatch):
    """No screen pop of the dialog runs on this host: ``{activity: null, running: false}`` and no write; the
    gadget then records with the screen pop's own answer."""
    monkeypatch.setattr(rendezvous, "NO_OPENER_WAIT_SECONDS", 0.1)
    calls = cs_recorder()
    assert record_at_hand_over(api, "hand-2") == {"activity": None, "running": False}
    assert POD not in calls.made()


def test_the_record_at_hand_over_of_a_screen_pop_that_prepared_nothing_stores_nothing(
    api, gadget, customer, cs_recorder, faults
):
    """The dialog's screen pop (still running: the mock 300 ms a call) matched nobody (an unknown caller):
    nothing is handed over, nothing stored."""
    faults(latencyMs=300)
    pop = in_thread(
        lambda: api.ok(
            "POST", "/screen-pop", json={"phone": "+15550000001", "dialogId": "hand-3", "mediaType": "voice"}
        )
    )
    waiting_for(gadget, "hand-3")
    calls = cs_recorder()
    answer = record_at_hand_over(api, "hand-3", source={"phone": "+15550000001"})
    pop()
    faults()
    assert answer["activity"] is None and POD not in calls.made()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"dialogId": None}, "dialogId"),
        ({"mediaType": "carrier pigeon"}, "mediaType"),
        ({"source": "+15550102030"}, "source"),
        ({"source": {"phone": 5}}, "source.phone"),
        ({"activityId": "pod-1"}, "activityId"),
    ],
)
def test_the_record_at_hand_over_names_the_argument_it_cannot_take(api, body, field):
    """Checked before any wait: 400 VALIDATION_FAILED naming the field."""
    sent = {"dialogId": "hand-4", "mediaType": "voice", "source": {"phone": PHONE}, **body}
    error = api.error("POST", "/screen-pop/record", 400, "VALIDATION_FAILED", json=sent)
    assert error["field"] == field


def test_a_hand_over_asked_after_its_screen_pop_answered_gets_its_token_at_once(api, customer, monkeypatch):
    """The hand-over reached the proxy just after the screen pop it asks for answered (sent at ACTIVE while the
    answer was on its way): it does not wait for an opener (here up to 5 s) that already came and went, it gets
    what that screen pop prepared, and the record at the hand-over stores the call with it."""
    monkeypatch.setattr(rendezvous, "NO_OPENER_WAIT_SECONDS", 5.0)
    pop = screen_pop(api, "hand-5")
    started = time.monotonic()
    handed = api.ok("POST", "/screen-pop/prepared", json={"dialogId": "hand-5"})
    assert handed["prepared"] == pop["prepared"] and handed["customerId"] == customer["id"]
    assert time.monotonic() - started < 2
    assert record_at_hand_over(api, "hand-5")["activity"]["customerId"] == customer["id"]
    assert time.monotonic() - started < 2


def test_a_hand_over_asked_after_a_screen_pop_that_prepared_nothing_is_answered_at_once(api, monkeypatch):
    """An unknown caller's screen pop prepared nothing: a hand-over asked after it answers nothing at once."""
    monkeypatch.setattr(rendezvous, "NO_OPENER_WAIT_SECONDS", 5.0)
    api.ok("POST", "/screen-pop", json={"phone": "+15550000002", "dialogId": "hand-7", "mediaType": "voice"})
    started = time.monotonic()
    assert record_at_hand_over(api, "hand-7", source={"phone": "+15550000002"})["activity"] is None
    assert time.monotonic() - started < 2


def test_a_dialog_popped_again_after_its_close_is_handed_over_again(api, gadget, customer, call_activity, faults):
    """A second screen pop of the same dialog (the gadget reloaded) opens the key again: its hand-over waits for
    it as before, and the record stores the call."""
    screen_pop(api, "hand-6")
    faults(latencyMs=300)
    pop = in_thread(lambda: screen_pop(api, "hand-6"))
    waiting_for(gadget, "hand-6")
    answer = record_at_hand_over(api, "hand-6")
    pop()
    faults()
    assert answer["activity"]["customerId"] == customer["id"]
    assert record(api, customer, "hand-6", status=200)["id"] == answer["activity"]["id"]


def test_the_record_at_hand_over_takes_no_write_slot_while_it_waits(api, gadget, customer, monkeypatch):
    """Every write slot taken (the screen pop it waits for may need one): it still answers at once that
    nothing was handed over, not after queueing for a slot for its whole budget or with 503."""
    monkeypatch.setattr(rendezvous, "NO_OPENER_WAIT_SECONDS", 0.1)
    pool = get_backend(gadget.app).pools[WRITES]
    for _ in range(pool.size):
        pool.enter(None)
    try:
        started = time.monotonic()
        assert record_at_hand_over(api, "hand-8") == {"activity": None, "running": False}
        assert time.monotonic() - started < 3
    finally:
        for _ in range(pool.size):
            pool.exit()
