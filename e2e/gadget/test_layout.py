"""The work in view (issue #13 item 1): at a 1280×900 desktop the current activity's Notes, Tags and Comments sit
beside a 15-activity journey, inside the viewport without scrolling; the customer header shows name, phone and
email as text; the customer form does not push the activity details away; below 640 px one column."""

from playwright.sync_api import expect

PHONE = "+385911112222"
DESKTOP = {"width": 1280, "height": 900}


def seed_long_journey(api, activities=14):
    """Ann Lee with ``activities`` earlier contacts in five requests (the call makes it 15)."""
    ann = api.customer(
        Context_First_Name="Ann",
        Context_Last_Name="Lee",
        Context_Mobile_Phone=PHONE,
        Context_Home_Email="ann.lee@example.com",
    )
    for index in range(activities):
        api.activity(
            ann["id"],
            ("voice", "chat", "email")[index % 3],
            request_id="new" if index % 3 == 0 else None,
            name="Ann Lee",
            phone=PHONE,
        )
    return ann


def box_in_viewport(desk, locator):
    """The element's box against the top-level viewport (Playwright adds the iframe's offset), the page unscrolled."""
    assert desk.page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def assert_inside(box, viewport, what):
    """The whole box is inside the viewport."""
    inside = (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
        and box["y"] + box["height"] <= viewport["height"]
    )
    assert inside, f"{what} at {box} is outside the {viewport['width']}×{viewport['height']} viewport"


def work_parts(desk):
    """The current activity's Notes, Tags input and Comments (the New comment box and its button)."""
    return {
        "Notes": desk.field("Context_Notes"),
        "Tags": desk.locator("#cc-details .cc-tag-input"),
        "Comments": desk.locator("#cc-details .cc-comments-section"),
    }


def answer_with_long_journey(desk, api, page, viewport):
    """Sign in at ``viewport`` (``page`` is the desktop's), answer Ann's call; her 15 activities are listed and
    the call is selected; returns the call's dialog id."""
    seed_long_journey(api)
    page.set_viewport_size(viewport)
    desk.sign_in()
    dialog_id = desk.call(PHONE)
    expect(desk.activities()).to_have_count(15)
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    desk.page.evaluate("window.scrollTo(0, 0)")
    return dialog_id


def pane_boxes(desk, api, page, viewport):
    """Answer Ann's call at ``viewport``; the boxes of the management pane, the journey and the details."""
    answer_with_long_journey(desk, api, page, viewport)
    # All three from one layout: a list of the journey coming into view may change its height between two reads.
    return desk.locator("#cc-journey").evaluate(
        """() => ['#cc-management', '#cc-journey', '#cc-details'].map((selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return {x: box.x, y: box.y, width: box.width, height: box.height}; })"""
    )


def test_notes_tags_and_comments_of_the_call_are_in_a_1280x900_viewport_beside_a_15_activity_journey(desk, api, page):
    """Two columns at the desktop's usual width: the details start beside the journey, not below it, and the
    call's Notes, Tags and Comments are visible without scrolling."""
    answer_with_long_journey(desk, api, page, DESKTOP)

    journey = box_in_viewport(desk, desk.locator("#cc-journey"))
    details = box_in_viewport(desk, desk.locator("#cc-details"))
    assert details["x"] >= journey["x"] + journey["width"], (journey, details)
    for name, part in work_parts(desk).items():
        assert_inside(box_in_viewport(desk, part), DESKTOP, name)


def test_open_customer_form_leaves_the_activity_details_in_view(desk, api, page):
    """Opening the customer form (name → form) does not push Notes, Tags and Comments out of the viewport."""
    answer_with_long_journey(desk, api, page, DESKTOP)
    before = box_in_viewport(desk, work_parts(desk)["Notes"])

    desk.customer_header().click()
    expect(desk.locator("#cc-customer-form")).to_be_visible()
    desk.page.evaluate("window.scrollTo(0, 0)")

    for name, part in work_parts(desk).items():
        assert_inside(box_in_viewport(desk, part), DESKTOP, name)
    assert box_in_viewport(desk, work_parts(desk)["Notes"])["y"] == before["y"]


def test_customer_header_shows_name_phone_and_email_as_text(desk, api, page):
    """The caller's phone and email are visible in the header, not only on hover."""
    answer_with_long_journey(desk, api, page, DESKTOP)

    header = desk.locator("#cc-customer .cc-customer-header")
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(header.locator(".cc-customer-contact")).to_contain_text(PHONE)
    expect(header.locator(".cc-customer-contact")).to_contain_text("ann.lee@example.com")
    expect(header.locator(".cc-customer-contact")).to_be_visible()


def test_below_640_px_the_gadget_is_one_column(desk, api, page):
    """At 600 px the management pane, the journey and the details stack, each as wide as the gadget."""
    management, journey, details = pane_boxes(desk, api, page, {"width": 600, "height": 900})

    assert journey["y"] >= management["y"] + management["height"], (management, journey)
    assert details["y"] >= journey["y"] + journey["height"], (journey, details)
    assert abs(details["x"] - journey["x"]) < 1 and abs(details["width"] - journey["width"]) < 1


def test_hover_details_leave_with_the_row_they_describe(desk, api, page):
    """The pointer rests on an activity's row (its details show) when the next caller's customer replaces the
    journey: the details of a row no longer on screen do not stay over the new customer's form."""
    dialog_id = answer_with_long_journey(desk, api, page, DESKTOP)
    desk.activities().nth(1).locator(".cc-activity__open").hover()
    expect(desk.locator("#cc-tooltip")).to_be_visible()
    desk.desktop.dialog_action(dialog_id, "DROP")
    desk.desktop.dialog_action(dialog_id, "END_WRAP_UP")

    desk.call("+385919998888")

    expect(desk.customer_header()).to_have_text("+385919998888")
    expect(desk.locator("#cc-tooltip")).to_be_hidden()


def test_between_640_and_900_px_the_details_go_below_the_journey_beside_the_management_pane(desk, api, page):
    """At 800 px (the gadget's frame about 740 px): management | journey, with the details below the journey."""
    management, journey, details = pane_boxes(desk, api, page, {"width": 800, "height": 900})

    assert journey["x"] >= management["x"] + management["width"], (management, journey)
    assert details["y"] >= journey["y"] + journey["height"], (journey, details)
