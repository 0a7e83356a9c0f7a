"""Nothing on screen misleads the agent and nothing is stored that they did not mean (issue #13, item 4): Add
request is a draft until it has a title; no move affordance where a move could only be refused; the hover's
last contact is the contact just recorded; the Finesse dialog link is read-only text; Preferred Language lists
language names.
"""

from playwright.sync_api import expect

from e2e.gadget.test_move_in_journey import expand_closed
from e2e.gadget.test_notices import ann_with_a_closed_and_an_open_request

DAY = 24 * 3600


def request_count(api, customer_id):
    """How many requests Context Service holds for the customer."""
    return len(api.journey(customer_id)["requests"])


def test_add_request_stores_nothing_until_it_has_a_title_and_an_empty_draft_goes_away(desk, api):
    """Add request shows a draft (nothing stored); the agent goes to the call without a title: the draft is
    gone and Context Service still holds one request."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    call = api.activity(ann["id"], "voice", phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    expect(desk.requests()).to_have_count(1)

    desk.locator("[data-action='add-request']").click()
    expect(desk.locator("#cc-journey .cc-request--draft")).to_have_count(1)
    expect(desk.locator("#cc-details")).to_contain_text("Not saved yet")
    desk.page.wait_for_timeout(1000)  # a write, if the gadget made one, would have landed by now
    assert request_count(api, ann["id"]) == 1

    desk.locator(f"[data-activity-id='{call['id']}'] .cc-activity__open").click()

    expect(desk.locator("#cc-journey .cc-request--draft")).to_have_count(0)
    expect(desk.requests()).to_have_count(1)
    assert request_count(api, ann["id"]) == 1


def test_a_read_only_activity_offers_no_move_to_another_customer(desk, api):
    """Under a closed request the activity's details are read-only and have no Move activity button."""
    _, closed, _ = ann_with_a_closed_and_an_open_request(api, desk)
    old_call = closed["activities"][0]
    desk.sign_in()
    desk.open_customer("Ann")
    expand_closed(desk, closed)

    desk.locator(f"[data-activity-id='{old_call['id']}'] .cc-activity__open").click()

    expect(desk.locator("#cc-details")).to_contain_text("cannot be changed")
    expect(desk.locator("[data-action='move-customer']")).to_have_count(0)


def test_the_hover_shows_the_contact_just_recorded_as_last_contact(desk, api):
    """Ann's earlier call was a day ago; she calls now: hovering her in Open shows the time of this call."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    api.activity(ann["id"], "voice", phone="+385911112222")
    desk.cloud("POST", "/clock", {"advanceSeconds": DAY})
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.activities()).to_have_count(2)
    newest_time = desk.activities().first.locator(".cc-activity__time").inner_text()

    desk.locator("#cc-management-body .cc-customer-item", has_text="Ann Lee").hover()

    tooltip = desk.locator("#cc-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip.locator("dt", has_text="Last contact").locator("xpath=following-sibling::dd[1]")).to_have_text(
        newest_time
    )


def test_the_finesse_dialog_link_is_read_only_text(desk, api):
    """The call's Activity Link ("finesse:dialog:<id>") is shown as text, not in an input."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    dialog_id = desk.call("+385911112222")
    expect(desk.locator("#cc-details-title")).to_have_text("Activity details")

    expect(desk.locator("#cc-details")).to_contain_text(f"finesse:dialog:{dialog_id}")
    expect(desk.field("Context_POD_Activity_Link")).to_have_count(0)


def test_preferred_language_lists_language_names_in_the_agents_language(desk, api):
    """The customer form's Preferred Language offers "Croatian (Croatia)" for hr-HR, never the raw tag."""
    desk.sign_in()
    desk.locator("#cc-new-customer").click()

    select = desk.field("Context_Preferred_Language", within="#cc-customer-form")
    expect(select.locator("option[value='hr-HR']")).to_have_text("Croatian (Croatia)")
    labels = select.locator("option").all_inner_texts()
    assert "hr-HR" not in labels and "sr-Latn-RS" not in labels, labels
