"""After every action the keyboard focus goes to the natural next control, never back to <body>.

Issue #13: focus dropped to <body> after Add request and after the Move dialog; New customer did not focus
First Name.
"""

from playwright.sync_api import expect

from e2e.gadget.test_move_in_journey import chat_moved_to_billing_with_the_keyboard_move, two_open_requests


def test_add_request_focuses_the_new_requests_title_and_a_title_then_moves_on_to_the_description(desk, api):
    """Add request → its Title input has the focus; typing a title and Tab stores the request with it, and the
    focus is in its Description."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], "voice", phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")

    desk.locator("[data-action='add-request']").click()
    title = desk.field("Context_Title")
    expect(title).to_be_focused()
    title.press_sequentially("Printer jam", delay=30)
    desk.page.keyboard.press("Tab")

    expect(desk.field("Context_Description")).to_be_focused()
    titles = desk.eventually(
        lambda: [r["fields"].get("Context_Title") for r in api.journey(ann["id"])["requests"]],
        lambda found: "Printer jam" in found,
    )
    assert len(titles) == 2


def test_after_a_move_in_the_journey_the_moved_row_has_the_focus(desk, api):
    """Move (keyboard) → To: Billing: once moved, the focus is on the activity's row in its new request."""
    billing, chat = chat_moved_to_billing_with_the_keyboard_move(desk, api)

    row = desk.locator(f"[data-request-id='{billing['id']}'] [data-activity-id='{chat['id']}']")
    expect(row).to_be_focused()


def test_cancelling_the_move_dialog_gives_the_focus_back_to_its_move_button(desk, api):
    """Escape in the Move dialog: the focus is on the Move button that opened it."""
    _, _, _, chat = two_open_requests(api)
    desk.sign_in()
    desk.open_customer("Ann")
    move = desk.locator(f"[data-activity-id='{chat['id']}'] .cc-activity__move")

    move.click()
    expect(desk.dialog()).to_be_visible()
    desk.page.keyboard.press("Escape")

    expect(move).to_be_focused()


def test_new_customer_focuses_first_name(desk, api):
    """New customer → the form's First Name input has the focus."""
    desk.sign_in()

    desk.locator("#cc-new-customer").click()

    expect(desk.field("Context_First_Name", within="#cc-customer-form")).to_be_focused()


def test_closing_a_customer_focuses_the_next_open_customer_and_the_last_one_the_search_box(desk, api):
    """Close Bob → Ann (still open) is shown and her entry in Open has the focus; Close Ann → the search box."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.customer(Context_First_Name="Bob", Context_Last_Name="Ross")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.open_customer("Bob")

    desk.locator("[data-action='close-customer']").click()
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-management-body .cc-customer-item", has_text="Ann Lee")).to_be_focused()

    desk.locator("[data-action='close-customer']").click()
    expect(desk.frame.get_by_label("Search customers")).to_be_focused()


def test_creating_a_customer_by_keyboard_leaves_the_focus_on_their_name(desk, api):
    """An unknown caller's form: Enter on Create stores the customer and closes the form; the focus is on the
    customer's name (which opens the form again), not dropped to <body> (review finding)."""
    desk.sign_in()
    desk.call("+38599000444")
    create = desk.button("Create")
    create.focus()

    desk.page.keyboard.press("Enter")

    expect(desk.activities()).to_have_count(1)
    expect(desk.customer_header()).to_be_focused()


def test_saving_or_cancelling_an_edit_by_keyboard_leaves_the_focus_on_edit(desk, api):
    """Ann's form open, Edit, a change, Enter on Save: once saved the focus is on Edit (the form stays open, read
    only); Edit again, Enter on Cancel: the focus is on Edit again (review finding: both dropped it to <body>)."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.type(desk.field("Context_City", within="#cc-customer-form"), "Split")
    desk.button("Save").focus()

    desk.page.keyboard.press("Enter")

    expect(desk.button("Edit")).to_be_focused()
    desk.eventually(lambda: api.search("Ann")[0]["fields"].get("Context_City"), lambda city: city == "Split")
    desk.page.keyboard.press("Enter")
    expect(desk.button("Cancel")).to_be_visible()
    desk.button("Cancel").focus()
    desk.page.keyboard.press("Enter")
    expect(desk.button("Edit")).to_be_focused()
