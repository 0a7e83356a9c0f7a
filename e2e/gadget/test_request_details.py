"""Request details: title and description are saved; 2,001 characters are refused; the icon shows status and
dates; Add request creates a new request (once it has a title)."""

import re

from playwright.sync_api import expect


def show_request(desk, api):
    """A customer with one activity in one request, with the request selected."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    activity = api.activity(ann["id"], phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    expect(desk.locator("#cc-details h3")).to_have_text("Request details")
    return ann, activity


def test_title_and_description_are_saved_when_leaving_the_field(desk, api):
    """Typed title and description are stored and the journey shows the new title."""
    ann, _ = show_request(desk, api)

    desk.field("Context_Title").fill("Invoice twice")
    desk.field("Context_Description").click()
    desk.field("Context_Description").fill("Charged twice in March.")
    desk.field("Context_Title").click()

    expect(desk.locator(".cc-request__title").first).to_have_text("Invoice twice")
    fields = desk.eventually(
        lambda: api.journey(ann["id"])["requests"][0]["fields"],
        lambda f: f.get("Context_Description") == "Charged twice in March.",
    )
    assert fields["Context_Title"] == "Invoice twice"


def test_description_of_2001_characters_is_refused_next_to_the_field(desk, api):
    """Near the limit a counter shows; 2,001 characters are refused with the field and limit named."""
    ann, _ = show_request(desk, api)
    description = desk.field("Context_Description")

    description.fill("a" * 1900)
    expect(desk.locator("#cc-details .cc-counter:visible")).to_have_text("1,900 / 2,000 characters")
    description.fill("a" * 2001)
    desk.field("Context_Title").click()

    expect(desk.locator("#cc-details .cc-field-error:visible")).to_have_text(
        "Description: at most 2,000 characters (2,001 entered)."
    )
    assert "Context_Description" not in api.journey(ann["id"])["requests"][0]["fields"]


def test_request_icon_shows_open_status_and_created_date(desk, api):
    """The status icon's label and hover details say Open and the creation date in the agent's format."""
    show_request(desk, api)
    icon = desk.locator(".cc-status-icon").first

    expect(icon).to_have_attribute("aria-label", re.compile(r"^Open · created [A-Z][a-z]{2} \d+, \d{4}"))
    icon.hover()
    expect(desk.locator("#cc-tooltip")).to_contain_text("Open · created")


def test_add_request_stores_a_new_open_request_once_it_has_a_title(desk, api):
    """Add request selects a new request (a draft); its title, once the agent leaves the field, stores it."""
    ann, _ = show_request(desk, api)

    desk.button("Add request").click()
    expect(desk.requests()).to_have_count(2)
    expect(desk.locator("#cc-details h3")).to_have_text("Request details")
    desk.type(desk.field("Context_Title"), "Second problem")
    desk.page.keyboard.press("Tab")

    desk.eventually(
        lambda: [r["fields"].get("Context_Title") for r in api.journey(ann["id"])["requests"]],
        lambda titles: len(titles) == 2 and "Second problem" in titles,
    )
    expect(desk.requests()).to_have_count(2)
