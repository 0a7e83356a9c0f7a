"""The journey rendered at the pace of a screen pop (issue #14 item 2). A change (the stored call joining its
request) leaves every part of the journey that still shows the same where it is, so the browser lays out only
what changed, not the hundreds of rows around it; a journey completed while the call rang is on screen in the
same render as the customer (not its newest activities first, then all of them)."""

from playwright.sync_api import expect

from gadget_plugin import journey

PHONE = "+385911112222"

# Runs in the gadget frame: the journey's parts on screen now (window.__before) and, from now on, every node taken
# element taken out of the journey (window.__removed: its class names).
WATCH_JOURNEY = """() => {
  const host = document.getElementById('cc-journey');
  window.__before = Array.from(host.querySelectorAll('.cc-requests, .cc-request, .cc-activity, .cc-journey-head'));
  window.__removed = [];
  new MutationObserver((records) => records.forEach((record) => record.removedNodes.forEach((node) => {
    if (node.nodeType === Node.ELEMENT_NODE) { window.__removed.push(node.className); }
  }))).observe(host, {childList: true, subtree: true});
}"""

# What of window.__before is no longer in the journey (class names and data-request-id).
GONE = """() => window.__before.filter((node) => !node.isConnected)
  .map((node) => node.className.split(' ')[0] + ':' + (node.getAttribute('data-request-id') || ''))"""

# Runs in the gadget frame before Answer: window.__firstShown resolves with what the journey held the first time
# the customer's name appeared.
FIRST_SHOWN = """() => { window.__firstShown = new Promise((resolve) => {
  const observer = new MutationObserver(() => {
    const name = document.querySelector('#cc-customer-name');
    if (name && name.textContent) {
      observer.disconnect();
      resolve({activities: document.querySelectorAll('#cc-journey .cc-activity').length,
               older: document.querySelectorAll('#cc-journey .cc-journey-older').length});
    }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
}); }"""


def gadget_frame(desk):
    """The gadget's frame itself (the desk's locator cannot run scripts in it)."""
    return next(frame for frame in desk.page.frames if "/gadgets/ifr" in frame.url)


def ann_with_two_requests(api):
    """Ann (mobile PHONE) with an older request (a chat) and a newer open one (an email), which a call joins;
    returns (older request id, newer request id)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    older = api.activity(ann["id"], "chat", request_id="new", email="ann@example.com")
    newer = api.activity(ann["id"], "email", request_id="new", email="ann@example.com")
    return older["requestId"], newer["requestId"]


def test_stored_call_changes_only_the_request_it_joins(desk, api):
    """The record held back while the "recording…" row is on screen; once it is stored, the only element taken out
    of the journey is that row (the request the call joined gets its row and its new count in place): both
    requests, every activity row, the list and the head stay the same nodes."""
    older_request, newer_request = ann_with_two_requests(api)
    desk.sign_in()
    held = []
    desk.page.route(
        "**/api/v1/activities",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    desk.call(PHONE)
    expect(desk.locator("#cc-journey .cc-recording")).to_be_visible()
    expect(desk.activities()).to_have_count(2)
    frame = gadget_frame(desk)
    frame.evaluate(WATCH_JOURNEY)

    assert len(held) == 1
    held[0].continue_()

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0)
    assert frame.evaluate(GONE) == []
    assert frame.evaluate("window.__removed") == ["cc-recording"]
    counts = desk.locator(f"#cc-journey [data-request-id='{newer_request}'] .cc-request__count")
    expect(counts).to_have_text("Activities: 2")
    assert older_request != newer_request


def test_journey_completed_while_the_call_rang_is_shown_whole_with_the_customer(desk, api, monkeypatch):
    """More activities than the screen pop's first read holds (here: 2 of 3): the whole journey is read while
    the call rings, so on Answer the first render already shows all three, with no "loading older activities"."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    for media in ("chat", "email", "chat"):
        api.activity(ann["id"], media, email="ann@example.com")
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 2)
    desk.sign_in()

    with desk.page.expect_response(lambda r: f"/api/v1/customers/{ann['id']}/journey" in r.url and r.ok):
        dialog = desk.desktop.offer_call(PHONE)
    frame = gadget_frame(desk)
    frame.evaluate(FIRST_SHOWN)
    desk.page.wait_for_timeout(50)  # the journey's answer reaches the gadget's code (a turn after the response)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    assert frame.evaluate("window.__firstShown") == {"activities": 3, "older": 0}
    expect(desk.activities()).to_have_count(4)
