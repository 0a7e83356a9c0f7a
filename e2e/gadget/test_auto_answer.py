"""Auto-answer (issue #14 item 4): the call is answered ~100 ms after it rings, long before its screen pop
(look-up; journey searches; comments) can answer at cloud latency. The gadget asks the proxy for the screen
pop's prepared token as soon as the checks are done and sends the record then, so storing the call overlaps
the journey's comments round instead of following it; the call is still stored once and shown selected. A repeat
caller's call is sent with the request guessed in the screen pop's first round, before the journey is read."""

import threading

import pytest
from playwright.sync_api import expect

from gadget_plugin import activities, journey, screen_pop

PHONE = "+385911112222"
SLOW_MS = 1000  # two screen pop rounds ≈ 2 s: the record must be on its way before the answer
JOURNEY_HELD_S = 20  # longer than the test waits for the call to be stored (10 s)


@pytest.mark.slow_cloud
def test_auto_answered_call_is_recorded_before_its_screen_pop_answers_and_stored_once(
    desk, api, cs_latency_ms, monkeypatch
):
    """ALERTING, ANSWER 100 ms later: the record goes out at once (POST /screen-pop/record) and is stored with
    the token handed over, without waiting for the screen pop's answer (held back in the proxy here until the call
    is stored); the journey then shows the call once, selected, and no other record was sent."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    api.activity(ann["id"], "email", email="ann@example.com")
    desk.sign_in()
    desk.latency(max(cs_latency_ms, SLOW_MS))
    records = []
    desk.page.on(
        "request",
        lambda r: (
            records.append(r.url.split("/api/v1")[1])
            if r.method == "POST"
            and (r.url.endswith("/api/v1/activities") or r.url.endswith("/api/v1/screen-pop/record"))
            else None
        ),
    )
    answer_may_go, answered = threading.Event(), screen_pop.screen_pop

    def held_back(*args, **kwargs):
        answer = answered(*args, **kwargs)  # its token is handed over before it returns
        answer_may_go.wait(30)
        return answer

    monkeypatch.setattr(screen_pop, "screen_pop", held_back)

    dialog = desk.desktop.offer_call(PHONE)
    desk.page.wait_for_timeout(100)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    desk.eventually(lambda: [a["mediaType"] for a in api.activities(ann["id"])], lambda kinds: "voice" in kinds, 20)
    answer_may_go.set()
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice", timeout=15000)
    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0)
    expect(desk.activities()).to_have_count(2)
    assert records == ["/screen-pop/record"], records  # stored at the hand-over, the only record
    assert [a["mediaType"] for a in api.activities(ann["id"])].count("voice") == 1


@pytest.mark.slow_cloud
def test_auto_answered_call_whose_hand_over_stores_nothing_is_recorded_with_the_screen_pops_token(
    desk, api, cs_latency_ms
):
    """The record sent at the hand-over reaches a proxy that does not run the screen pop (another host) and
    stores nothing (``activity: null``, answered here once the screen pop has answered and the call shows as
    "recording…"): the record then goes out with the screen pop's own token and the call is stored once."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    desk.sign_in()
    desk.latency(max(cs_latency_ms, 300))
    held = []  # the hand-over's answer is held until the screen pop has answered
    desk.page.route("**/api/v1/screen-pop/record", lambda route: held.append(route))
    creates = []
    desk.page.on(
        "request",
        lambda r: creates.append(r.post_data_json) if r.method == "POST" and "/api/v1/activities" in r.url else None,
    )

    dialog = desk.desktop.offer_call(PHONE)
    desk.page.wait_for_timeout(100)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(1, timeout=15000)
    expect(desk.customer_header()).to_have_text("Ann Lee")
    assert len(held) == 1 and creates == [], (held, creates)
    held[0].fulfill(json={"activity": None, "running": False})
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice", timeout=15000)
    assert len(creates) == 1 and creates[0]["prepared"], creates
    expect(desk.activities()).to_have_count(1)
    assert [a["mediaType"] for a in api.activities(ann["id"])] == ["voice"]


@pytest.mark.slow_cloud
def test_auto_answered_call_of_a_repeat_caller_is_stored_in_their_open_request_before_the_journey_is_read(
    desk, api, cs_latency_ms, monkeypatch
):
    """Ann called before: her open request holds that call. Answered 100 ms after it rings, the new call is sent
    with the request guessed from her last call in the screen pop's first round, so it is stored in her open
    request while the screen pop's journey read is still held back in the proxy; then it is shown there,
    selected, once."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    earlier = api.activity(ann["id"], "voice", phone=PHONE)
    desk.sign_in()
    desk.latency(max(cs_latency_ms, 300))
    stored, held = threading.Event(), []
    create, read_first = activities.create, journey.read_first_beside

    def create_then_tell(*args, **kwargs):
        answer = create(*args, **kwargs)
        stored.set()
        return answer

    def held_until_stored(*args, **kwargs):
        held.append(stored.wait(JOURNEY_HELD_S))  # True: the call was stored while the journey was held
        return read_first(*args, **kwargs)

    monkeypatch.setattr(activities, "create", create_then_tell)
    monkeypatch.setattr(journey, "read_first_beside", held_until_stored)  # the screen pop's journey round

    dialog = desk.desktop.offer_call(PHONE)
    desk.page.wait_for_timeout(100)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")
    try:
        assert stored.wait(10), "the record waited for the journey's read"
    finally:
        stored.set()
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice", timeout=15000)
    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0)
    expect(desk.activities()).to_have_count(2)
    assert held[0]  # the screen pop's read was held until the call was stored
    calls = [a for a in api.activities(ann["id"]) if a["id"] != earlier["id"]]
    assert [(a["mediaType"], a["requestId"]) for a in calls] == [("voice", earlier["requestId"])]
