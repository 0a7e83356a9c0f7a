"""Notices: a success fades after a few seconds, an error stays until the agent dismisses it (a localized
Dismiss button), and each notice belongs to the customer it was given for.

Issue #13: success and error notices never cleared, even across customers.
"""

from playwright.sync_api import expect

from e2e.gadget.test_move_in_journey import FIVE_DAYS, chat_moved_to_billing_with_the_keyboard_move

# The desktop's clock is Playwright's (page.clock, for every frame of the context): the seconds below pass at once.
FADE_AFTER_MS = 10000  # "a few seconds" (the gadget fades a success after 6 s)
ERROR_STILL_THERE_AFTER_MS = 20000
TO_CLOSED = "Activities cannot be moved to a closed request. Choose an open request or a new one."


def ann_with_a_closed_and_an_open_request(api, desk):
    """Ann: a call in a request closed by the clock (5 days), then a chat in a new open request."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], "voice", phone="+385911112222")
    closed = api.journey(ann["id"])["requests"][0]
    desk.cloud("POST", "/clock", {"advanceSeconds": FIVE_DAYS})
    chat = api.activity(ann["id"], "chat", email="ann@example.com")
    return ann, closed, chat


def drop_on_closed(desk, closed, chat):
    """Drag the chat onto the closed request: refused, with an error notice."""
    expect(desk.locator(f"[data-request-id='{closed['id']}']")).to_have_attribute("data-state", "closed")
    desk.locator(f"[data-activity-id='{chat['id']}'] .cc-drag-handle").drag_to(
        desk.locator(f"[data-request-id='{closed['id']}']")
    )


def test_a_success_notice_fades_after_a_few_seconds(desk, api, page):
    """A move within the journey says "Activity moved." and the notice is gone a few seconds later."""
    page.clock.install()
    chat_moved_to_billing_with_the_keyboard_move(desk, api)

    notice = desk.locator("#cc-notice")
    expect(notice).to_have_text("Activity moved.")
    page.clock.run_for(FADE_AFTER_MS)
    expect(notice).to_be_hidden()


def test_an_error_notice_stays_until_dismissed(desk, api, page):
    """A refused drop: the reason is still shown 20 s later; its Dismiss button removes it."""
    _, closed, chat = ann_with_a_closed_and_an_open_request(api, desk)
    page.clock.install()
    desk.sign_in()
    desk.open_customer("Ann")

    drop_on_closed(desk, closed, chat)
    notice = desk.locator("#cc-notice")
    expect(notice).to_have_text(TO_CLOSED)
    page.clock.run_for(ERROR_STILL_THERE_AFTER_MS)
    expect(notice).to_have_text(TO_CLOSED)

    notice.get_by_role("button", name="Dismiss").click()
    expect(notice).to_be_hidden()


def test_a_notice_shows_only_with_the_customer_it_was_given_for(desk, api):
    """Ann's error is hidden while Bob is shown, and back when Ann is shown again."""
    _, closed, chat = ann_with_a_closed_and_an_open_request(api, desk)
    api.customer(Context_First_Name="Bob", Context_Last_Name="Ross")
    desk.sign_in()
    desk.open_customer("Bob")
    desk.open_customer("Ann")
    drop_on_closed(desk, closed, chat)
    notice = desk.locator("#cc-notice")
    expect(notice).to_have_text(TO_CLOSED)

    desk.locator("#cc-management-body .cc-customer-item", has_text="Bob Ross").click()
    expect(desk.customer_header()).to_have_text("Bob Ross")
    expect(notice).to_be_hidden()

    desk.locator("#cc-management-body .cc-customer-item", has_text="Ann Lee").click()
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(notice).to_have_text(TO_CLOSED)


def test_the_dismiss_button_is_named_in_the_agents_language(desk, api):
    """In Croatian the error's dismiss button is "Odbaci obavijest"."""
    _, closed, chat = ann_with_a_closed_and_an_open_request(api, desk)
    desk.sign_in(locale="hr_HR")
    desk.locator("#cc-view-search").click()
    box = desk.locator("#cc-management-body input[type='search']")
    box.fill("Ann")
    box.press("Enter")
    desk.locator("#cc-management-body .cc-customer-item", has_text="Ann").first.click()

    drop_on_closed(desk, closed, chat)

    expect(desk.locator("#cc-notice").get_by_role("button", name="Odbaci obavijest")).to_be_visible()


def test_a_notice_given_low_in_a_long_journey_is_shown_inside_the_viewport(desk, api):
    """25 activities above an old closed request; the page scrolled down to it: the refusal of a drop there is
    shown on screen (the bar keeps to the visible part of the frame, not the frame's top)."""
    ann, closed, _ = ann_with_a_closed_and_an_open_request(api, desk)
    for index in range(24):
        api.activity(ann["id"], "voice", request_id="new" if index % 5 == 0 else None, phone=f"+3859133{index:04d}")
    desk.sign_in()
    desk.open_customer("Ann")
    expect(desk.activities()).to_have_count(26)
    target = desk.locator(f"[data-request-id='{closed['id']}']")
    target.scroll_into_view_if_needed()
    assert desk.page.locator("iframe.gadget-frame").first.bounding_box()["y"] < 0, "the page must be scrolled"
    lowest_open = desk.locator("#cc-journey .cc-request:not([data-state='closed']) .cc-activity").last

    lowest_open.locator(".cc-drag-handle").drag_to(target)

    notice = desk.locator("#cc-notice")
    expect(notice).to_have_text(TO_CLOSED)
    box, height = notice.bounding_box(), desk.page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)
