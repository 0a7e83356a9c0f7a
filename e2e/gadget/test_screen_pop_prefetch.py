"""Screen pop in one round trip, fetched while the call rings (issue #14 item 2): the gadget asks the proxy's
``POST /api/v1/screen-pop`` on ALERTING; on ACTIVE the customer and journey are on screen in the same frame as a
"recording…" row for the new call, which the stored activity replaces; a failed store leaves a retryable row
whose retry sends the same Idempotency-Key and stores the call once."""

import logging

import pytest
from playwright.sync_api import expect

from finesse_harness.handles import set_cs_faults

PHONE = "+385911112222"
SLOW_MS = 1000  # slow enough to see the row while the activity is stored (one Context Service round)

# Runs in the gadget frame before the call is answered: window.__firstShown resolves with what the DOM held
# the first time the customer's name appeared (checked on every DOM change).
FIRST_SHOWN = """() => { window.__firstShown = new Promise((resolve) => {
  const observer = new MutationObserver(() => {
    const name = document.querySelector('#cc-customer-name');
    if (name && name.textContent) {
      observer.disconnect();
      resolve({name: name.textContent, recording: document.querySelectorAll('#cc-journey .cc-recording').length,
               activities: document.querySelectorAll('#cc-journey .cc-activity').length});
    }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
}); }"""


def proxy_calls(desk):
    """Every /api/v1 call the gadget's frame sends from now on, as (method, path, headers, JSON body or {})."""
    seen = []
    desk.page.on(
        "request",
        lambda r: (
            seen.append((r.method, r.url.split("/api/v1", 1)[1].split("?")[0], r.headers, r.post_data_json or {}))
            if "/api/v1/" in r.url
            else None
        ),
    )
    return seen


def gadget_frame(desk):
    """The gadget's frame itself (the desk's locator cannot run scripts in it)."""
    return next(frame for frame in desk.page.frames if "/gadgets/ifr" in frame.url)


def ring_and_prefetch(desk, phone=PHONE):
    """A call from ``phone`` rings; returns its dialog id once the gadget's screen-pop answer has arrived."""
    with desk.page.expect_response(lambda r: r.url.endswith("/api/v1/screen-pop") and r.status == 200):
        dialog = desk.desktop.offer_call(phone)
    return dialog["id"]


def ann_with_a_request(api):
    """Ann (mobile PHONE) with one stored activity, so her journey has an open request a call joins."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    api.activity(ann["id"], "email", email="ann@example.com")
    return ann


@pytest.mark.slow_cloud
def test_ringing_call_is_looked_up_in_one_request_before_it_is_answered(desk, api):
    """ALERTING → one POST /screen-pop (look-up + journey) and nothing shown; ACTIVE → customer, journey and the
    "recording…" row appear in the same DOM change, with no further look-up or journey request."""
    ann_with_a_request(api)
    desk.sign_in()
    seen = proxy_calls(desk)

    dialog_id = ring_and_prefetch(desk)

    expect(desk.customer_header()).to_have_count(0)  # nothing is shown before the agent answers
    # Besides the screen pop, only the journey's comments are read while it rings.
    assert [path for _, path, _, _ in seen if path != "/comments"] == ["/screen-pop"]
    frame = gadget_frame(desk)
    frame.evaluate(FIRST_SHOWN)
    desk.desktop.dialog_action(dialog_id, "ANSWER")
    first = frame.evaluate("window.__firstShown")
    assert first == {"name": "Ann Lee", "recording": 1, "activities": 1}
    expect(desk.activities()).to_have_count(2)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    # Besides the record, only the journey's comments are read (the screen pop answered without them).
    assert [path for _, path, _, _ in seen if path != "/comments"] == ["/screen-pop", "/activities"]


@pytest.fixture()
def access_lines():
    """``(method, path)`` of every request the gadget server answers from now on (its access log)."""
    logger = logging.getLogger("gadget_plugin.access")
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append((record.method, record.path))
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_screen_pop_and_its_hand_over_are_preflighted_once_for_every_call(desk, api, access_lines):
    """Two calls, each answered before its screen pop has answered (Context Service slow, so the gadget sends the
    record at the hand-over): the browser sent the CORS preflight of ``/screen-pop`` and of ``/screen-pop/record`` once
    each, for the first call (one URL each, the answer kept): a later call's look-up starts without that round
    trip first. (No ``page.route`` here: with one, Playwright answers preflights itself.)"""
    ann_with_a_request(api)
    desk.sign_in()
    desk.latency(300)
    for number in range(2):
        with desk.page.expect_request(lambda r: r.url.endswith("/api/v1/screen-pop")):
            dialog = desk.desktop.offer_call(PHONE)
        with desk.page.expect_request(lambda r: "/api/v1/screen-pop/record" in r.url):  # before the pop answers
            desk.desktop.dialog_action(dialog["id"], "ANSWER")
        expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice", timeout=10000)
        expect(desk.activities()).to_have_count(2 + number)
        desk.desktop.dialog_action(dialog["id"], "DROP")
        desk.desktop.dialog_action(dialog["id"], "END_WRAP_UP")

    preflights = [path for method, path in access_lines if method == "OPTIONS" and "/screen-pop" in path]
    assert preflights == ["/api/v1/screen-pop", "/api/v1/screen-pop/record"]


@pytest.mark.slow_cloud
def test_answered_call_shows_recording_row_until_the_stored_activity_replaces_it(desk, api, cs_latency_ms):
    """With the cloud slow, the new call is a "Voice · recording…" row at once; the stored activity, selected,
    takes its place when the proxy answers."""
    ann = ann_with_a_request(api)
    desk.sign_in()
    desk.latency(max(cs_latency_ms, SLOW_MS))
    dialog_id = ring_and_prefetch(desk)

    desk.desktop.dialog_action(dialog_id, "ANSWER")

    row = desk.locator("#cc-journey .cc-recording")
    expect(row).to_have_text("Voice · recording…")
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(1)  # the stored one is not there yet
    expect(row).to_have_count(0, timeout=10000)
    expect(desk.activities()).to_have_count(2)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    assert [a["mediaType"] for a in api.activities(ann["id"])].count("voice") == 1


@pytest.mark.slow_cloud
@pytest.mark.allow_console_errors(r"status of 502")
def test_failed_store_offers_retry_that_stores_the_call_once_with_the_same_key(desk, api):
    """The activity's write is stored but its answer lost (a 403 the proxy cannot retry): the row says "not
    recorded" with Retry; Retry sends the same Idempotency-Key without the screen pop's prepared token and the
    proxy answers the activity already stored, so the journey and Context Service each hold the call once."""
    ann = ann_with_a_request(api)
    desk.sign_in()
    seen = proxy_calls(desk)
    dialog_id = ring_and_prefetch(desk)
    set_cs_faults(desk.controlhub, loseAnswers=1, status=403)

    desk.desktop.dialog_action(dialog_id, "ANSWER")

    row = desk.locator("#cc-journey .cc-recording--failed")
    expect(row).to_contain_text("Voice · not recorded yet")
    expect(desk.customer_header()).to_have_text("Ann Lee")
    row.get_by_role("button", name="Retry").click()

    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0)
    expect(desk.activities()).to_have_count(2)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    creates = [(headers, body) for method, path, headers, body in seen if (method, path) == ("POST", "/activities")]
    keys = [headers.get("idempotency-key") for headers, _ in creates]
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1]
    # The first try carried the screen pop's prepared token (write only); the retry did not, so the proxy's full
    # path found the write whose answer was lost instead of writing a second one.
    assert [bool(body.get("prepared")) for _, body in creates] == [True, False]
    assert [a["mediaType"] for a in api.activities(ann["id"])].count("voice") == 1


def test_call_that_stops_ringing_unanswered_is_never_shown(desk, api):
    """A call whose look-up ran while it rang but the caller hung up first shows nothing and stores nothing;
    the next call, answered, shows its own customer."""
    ann = ann_with_a_request(api)
    api.customer(Context_First_Name="Bo", Context_Last_Name="Ray", Context_Mobile_Phone="+385913334444")
    desk.sign_in()
    missed = ring_and_prefetch(desk)
    desk.desktop.dialog_action(missed, "CALLER_HANGUP")

    desk.call("+385913334444")

    expect(desk.customer_header()).to_have_text("Bo Ray")
    expect(desk.locator("#cc-management-body", has_text="Ann Lee")).to_have_count(0)
    assert [a["mediaType"] for a in api.activities(ann["id"])] == ["email"]


@pytest.mark.slow_cloud
def test_stored_call_adds_its_row_and_keeps_the_rows_already_on_screen(desk, api, cs_latency_ms):
    """When the stored activity replaces the "recording…" row, only its own row is built: the past activity's
    row is the very element that was on screen (so storing a call costs one row, not the whole journey)."""
    ann_with_a_request(api)
    desk.sign_in()
    desk.latency(max(cs_latency_ms, SLOW_MS))
    dialog_id = ring_and_prefetch(desk)

    desk.desktop.dialog_action(dialog_id, "ANSWER")

    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(1)
    past = desk.activities().first
    past.evaluate("row => { row.ccMarked = true; }")
    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0, timeout=10000)
    expect(desk.activities()).to_have_count(2)
    marked = desk.locator("#cc-journey .cc-activity").evaluate_all("rows => rows.map((row) => row.ccMarked === true)")
    assert marked == [False, True]  # the new call on top, built; the past one kept


# Polled in the gadget frame: whether a Web Lock of the dialog (its id) is held or asked for is `held`. The
# lock manager answers asynchronously, so each poll asks it and judges the answer of the poll before.
LOCK_IS = """([dialogId, held]) => {
  navigator.locks.query().then((state) => { window.__lockState = state; });
  const state = window.__lockState;
  window.__lockState = null;
  return Boolean(state) && state.held.concat(state.pending).some((lock) => lock.name.endsWith('.' + dialogId)) === held;
}"""


def test_call_withdrawn_while_ringing_releases_its_lock_and_the_next_call_pops(desk, api):
    """A call rings (its screen pop answered, its dialog lock taken) and the caller hangs up before Answer (the
    dialog leaves its collection, no other state): its lock is released; the next call is shown and stored."""
    ann_with_a_request(api)
    desk.sign_in()
    dialog_id = ring_and_prefetch(desk)
    frame = gadget_frame(desk)
    frame.wait_for_function(LOCK_IS, arg=[dialog_id, True], polling=50)

    desk.desktop.dialog_action(dialog_id, "CALLER_HANGUP")

    frame.wait_for_function(LOCK_IS, arg=[dialog_id, False], polling=50)
    desk.call(PHONE)
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.activities()).to_have_count(2)
