"""Dialogs open where the agent is looking: next to what opened them, inside the visible part of the desktop page.

Issue #13: with a long journey, Move-to-customer and its confirmation opened ~600 px above the viewport (the
gadget's frame is as tall as its content, so the desktop page scrolls and the frame's middle or top is off
screen); only the grey overlay was visible.
"""

from playwright.sync_api import expect


def long_journey(api, requests=5, per_request=5):
    """Ann with ``requests`` open requests of ``per_request`` calls each (25 activities); Bob with none."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    bob = api.customer(Context_First_Name="Bob", Context_Last_Name="Ross")
    for index in range(requests):
        for number in range(per_request):
            api.activity(
                ann["id"],
                "voice",
                request_id="new" if number == 0 and index else None,
                phone=f"+38591111{index}{number:03d}",
            )
    return ann, bob


def assert_in_viewport(desk, locator):
    """The element's box lies entirely inside the desktop page's viewport."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    height = desk.page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)


def scrolled_to_the_oldest_activity(desk):
    """Scroll the desktop page to the journey's last row (the gadget frame's top is then above the viewport)."""
    oldest = desk.activities().last
    oldest.scroll_into_view_if_needed()
    frame_top = desk.page.locator("iframe.gadget-frame").first.bounding_box()["y"]
    assert frame_top < 0, "the journey must be long enough to scroll the desktop page"
    return oldest


def test_the_move_dialog_opens_inside_the_viewport_after_scrolling_the_journey(desk, api):
    """Move on the oldest of 25 activities, scrolled to: the dialog's whole box is on screen, and Cancel keeps
    the agent where they were."""
    long_journey(api)
    desk.sign_in()
    desk.open_customer("Ann")
    expect(desk.activities()).to_have_count(25)
    oldest = scrolled_to_the_oldest_activity(desk)

    oldest.locator(".cc-activity__move").click()

    assert_in_viewport(desk, desk.dialog())
    desk.dialog().get_by_role("button", name="Cancel").click()
    expect(desk.dialog()).to_have_count(0)
    assert_in_viewport(desk, oldest)


def test_move_to_customer_and_its_confirmation_open_inside_the_viewport(desk, api):
    """The oldest activity selected, the page scrolled to its details: the customer picker and then the
    confirmation both open on screen."""
    long_journey(api)
    desk.sign_in()
    desk.open_customer("Bob")
    desk.open_customer("Ann")
    expect(desk.activities()).to_have_count(25)
    scrolled_to_the_oldest_activity(desk).locator(".cc-activity__open").click()
    move = desk.button("Move activity")
    move.scroll_into_view_if_needed()

    move.click()
    assert_in_viewport(desk, desk.dialog())
    desk.dialog().get_by_role("button", name="Bob Ross").click()

    expect(desk.dialog()).to_contain_text("Move this activity to Bob Ross?")
    assert_in_viewport(desk, desk.dialog())
