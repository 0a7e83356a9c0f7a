"""Context Service closes a request 5 days after its last update; the gadget shows it closed with the date."""

import re

from playwright.sync_api import expect

FIVE_DAYS = 5 * 24 * 3600 + 60


def test_request_shows_closed_with_created_and_closed_dates_after_five_days(desk, api):
    """After the mock clock moves 5 days on, the request icon says Closed with both dates; details are read-only."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    desk.cloud("POST", "/clock", {"advanceSeconds": FIVE_DAYS})
    desk.sign_in()
    desk.open_customer("Ann")

    icon = desk.locator(".cc-status-icon").first
    expect(icon).to_have_attribute("data-state", "closed")
    expect(icon).to_have_attribute("aria-label", re.compile(r"^Closed · created .+ · closed .+\d{4}"))
    desk.locator(".cc-request__title").first.click()
    expect(desk.locator("#cc-details [data-request-status]")).to_contain_text("Closed")
    expect(desk.locator("#cc-details")).to_contain_text("This request is closed and cannot be changed.")
    expect(desk.locator("#cc-details input, #cc-details textarea")).to_have_count(0)
