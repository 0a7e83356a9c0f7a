"""The journey rendered at the pace of a screen pop (issue #14 item 2). A change (the stored call joining its
request) leaves every part of the journey that still shows the same where it is, so the browser lays out only
what changed, not the hundreds of rows around it; a journey completed while the call rang is on screen in the
same render as the customer (not its newest activities first, then all of them)."""

from playwright.sync_api import expect

from gadget_plugin import journey

PHONE = "+385911112222"

# Runs in the gadget frame: the journey's parts on screen now (window.__before) and, from now on, every element
# taken out of the journey (window.__removed: its class names).
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


# Runs in the gadget frame: window.__journeyRead turns true two turns after the body of a journey read (GET
# /customers/{id}/journey) has arrived, when the gadget's own handling of it (promise callbacks) is done.
JOURNEY_READ = """() => { const fetched = window.fetch; window.fetch = (...args) => fetched(...args).then((response) => {
  if (String(args[0]).includes('/journey')) {
    response.clone().text().then(() => setTimeout(() => setTimeout(() => { window.__journeyRead = true; })));
  }
  return response;
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
    # The first record sent is held (POST /screen-pop/record when the call was answered before the pop's answer).
    for record in ("**/api/v1/activities", "**/api/v1/screen-pop/record"):
        desk.page.route(
            record,
            lambda route: held.append(route) if route.request.method == "POST" and not held else route.continue_(),
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
    gadget_frame(desk).evaluate(JOURNEY_READ)

    with desk.page.expect_response(lambda r: f"/api/v1/customers/{ann['id']}/journey" in r.url and r.ok):
        dialog = desk.desktop.offer_call(PHONE)
    frame = gadget_frame(desk)
    frame.evaluate(FIRST_SHOWN)
    frame.wait_for_function("window.__journeyRead")  # the whole journey's answer has reached the gadget's code
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    assert frame.evaluate("window.__firstShown") == {"activities": 3, "older": 0}
    expect(desk.activities()).to_have_count(4)


def ann_and_bob(api):
    """Ann (mobile PHONE) with a chat, and Bob with an email; returns (Ann, her chat, Bob)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    chat = api.activity(ann["id"], "chat", email="ann@example.com")
    bob = api.customer(Context_First_Name="Bob", Context_Last_Name="Ray", Context_Mobile_Phone="+385912223333")
    api.activity(bob["id"], "email", email="bob@example.com")
    return ann, chat, bob


def open_by_id(desk, customer):
    """Show a stored customer in the gadget (as Recent or Search would) and wait for their journey."""
    gadget_frame(desk).evaluate(f"CC.actions.customers.openCustomerById('{customer['id']}')")
    expect(desk.customer_header()).to_have_text(
        customer["fields"]["Context_First_Name"] + " " + customer["fields"]["Context_Last_Name"]
    )
    expect(desk.activities()).not_to_have_count(0)


DRAG = """([selector, kind]) => document.querySelector(selector).dispatchEvent(
  new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: new DataTransfer()}))"""


def drag_begun_on_anns_chat(desk, api):
    """Ann shown, a drag begun on her chat's handle (kept as window.__handle); returns (Ann, her chat, Bob, the
    move requests the gadget sends from now on)."""
    ann, chat, bob = ann_and_bob(api)
    desk.sign_in()
    moves = []
    desk.page.on("request", lambda r: moves.append(r.url) if "/move" in r.url else None)
    open_by_id(desk, ann)
    frame = gadget_frame(desk)
    frame.evaluate("window.__handle = document.querySelector('#cc-journey .cc-drag-handle')")
    frame.evaluate(DRAG, ["#cc-journey .cc-drag-handle", "dragstart"])
    return ann, chat, bob, moves


def nothing_moved(desk, api, ann, chat, moves):
    """No move was sent and Ann's chat is where it was."""
    desk.page.wait_for_timeout(300)  # a move would have been sent at once
    assert moves == []
    assert api.activity_ids(ann["id"]) == [chat["id"]]


def test_drag_whose_row_was_replaced_ends_with_its_handle_and_moves_nothing(desk, api):
    """A drag begun on Ann's chat, then Bob shown (her rows leave the journey): the handle's dragend still ends
    the drag (no "drop for new request" zone left on screen), and a drop on Bob's request moves nothing."""
    ann, chat, bob, moves = drag_begun_on_anns_chat(desk, api)
    expect(desk.locator("#cc-journey.cc-journey--dragging")).to_have_count(1)

    open_by_id(desk, bob)
    frame = gadget_frame(desk)
    frame.evaluate("window.__handle.dispatchEvent(new DragEvent('dragend', {bubbles: true}))")
    expect(desk.locator("#cc-journey.cc-journey--dragging")).to_have_count(0)
    frame.evaluate(DRAG, ["#cc-journey .cc-request", "drop"])

    nothing_moved(desk, api, ann, chat, moves)


def test_drop_of_a_drag_begun_for_another_customer_moves_nothing(desk, api):
    """A drag begun on Ann's chat whose dragend never comes (Chromium sends none once its row is gone), then Bob
    shown: a drop on Bob's request moves nothing (the drag belonged to Ann's journey)."""
    ann, chat, bob, moves = drag_begun_on_anns_chat(desk, api)

    open_by_id(desk, bob)
    gadget_frame(desk).evaluate(DRAG, ["#cc-journey .cc-request", "drop"])

    nothing_moved(desk, api, ann, chat, moves)


def test_rows_out_of_view_take_the_height_they_will_have(desk, api):
    """60 activities, most of them below the desktop's view: a row not laid out yet is given (its
    contain-intrinsic-size plus its padding) the height a laid-out row has, and the journey is as high as once
    every row is laid out, so the frame Finesse sizes to it does not change while the agent scrolls."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    for _ in range(60):
        api.activity(ann["id"], "chat", email="ann@example.com")
    desk.sign_in()
    desk.page.set_viewport_size({"width": 1280, "height": 900})
    open_by_id(desk, ann)
    expect(desk.activities()).to_have_count(60)
    frame = gadget_frame(desk)
    laid_out, placeholder = frame.evaluate("""() => {
      const row = document.querySelector('#cc-journey .cc-activity'), style = getComputedStyle(row);
      const intrinsic = parseFloat(style.containIntrinsicHeight.replace('auto', ''));
      return [row.getBoundingClientRect().height, intrinsic + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)];
    }""")
    assert abs(laid_out - placeholder) <= 0.5
    height = "document.getElementById('cc-journey').getBoundingClientRect().height"
    unseen = frame.evaluate(height)
    frame.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'), "
        "{textContent: '.cc-activity, .cc-activities { content-visibility: visible !important; }'}))"
    )
    assert abs(frame.evaluate(height) - unseen) <= 2


def test_activity_lists_out_of_view_are_skipped_whole_at_their_height(desk, api):
    """Six requests of ten activities, the last ones far below the desktop's view: their lists are skipped as a
    whole (their rows not even styled, not only the rows' content), each as high as its rows laid out."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    for number in range(60):
        api.activity(ann["id"], "chat", request_id="new" if number % 10 == 0 else None, email="ann@example.com")
    desk.sign_in()
    desk.page.set_viewport_size({"width": 1280, "height": 500})
    open_by_id(desk, ann)
    expect(desk.activities()).to_have_count(60)
    frame = gadget_frame(desk)
    lists = "Array.from(document.querySelectorAll('#cc-journey .cc-activities'))"
    skipped = frame.evaluate(
        f"{lists}.map((list) => !list.firstElementChild.checkVisibility({{contentVisibilityAuto: true}}))"
    )
    assert skipped[0] is False and skipped[-1] is True, skipped
    unseen = frame.evaluate(f"{lists}.map((list) => list.getBoundingClientRect().height)")
    frame.evaluate(
        "document.head.appendChild(Object.assign(document.createElement('style'), "
        "{textContent: '.cc-activities { content-visibility: visible !important; }'}))"
    )
    laid_out = frame.evaluate(f"{lists}.map((list) => list.getBoundingClientRect().height)")
    assert all(abs(a - b) <= 1 for a, b in zip(unseen, laid_out)), (unseen, laid_out)


def test_move_buttons_focus_ring_is_not_cut_off_by_its_row(desk, api):
    """Tab from a journey row to its Move button: the focus ring (3 px outline, 1 px offset) lies inside what its
    row and its request's list paint (their boxes widened by overflow-clip-margin: out of view each clips its
    painting to that)."""
    ann, _, _ = ann_and_bob(api)
    desk.sign_in()
    open_by_id(desk, ann)
    desk.activities().first.focus()
    desk.page.keyboard.press("Tab")
    frame = gadget_frame(desk)
    ring, painted = frame.evaluate("""() => {
      const move = document.activeElement, row = move.closest('.cc-activity');
      const style = getComputedStyle(move), reach = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
      const b = move.getBoundingClientRect();
      const clip = (node) => { const s = getComputedStyle(node), r = node.getBoundingClientRect();
        if (s.contentVisibility !== 'auto' && !/paint|content|strict/.test(s.contain)) { return [-1e9, -1e9, 1e9, 1e9]; }
        const m = parseFloat(s.overflowClipMargin) || 0;
        return [r.left - m, r.top - m, r.right + m, r.bottom + m]; };
      const [r, l] = [clip(row), clip(row.parentElement)];
      return [[b.left - reach, b.top - reach, b.right + reach, b.bottom + reach],
              [Math.max(r[0], l[0]), Math.max(r[1], l[1]), Math.min(r[2], l[2]), Math.min(r[3], l[3])]];
    }""")
    assert frame.evaluate("document.activeElement.matches('.cc-activity__move:focus-visible')")
    assert painted[0] <= ring[0] and painted[1] <= ring[1] and ring[2] <= painted[2] and ring[3] <= painted[3]
