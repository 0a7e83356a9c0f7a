"""Closed customers are reopened from Recent (kept across reloads via gadget prefs) and from Search."""

import re

from playwright.sync_api import expect


def test_closed_customer_reopens_from_recent_even_after_a_reload(desk, api):
    """Ann, closed, is first in Recent after a reload (hover shows her phone); picking her moves her to Open."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.button("Close customer").click()
    expect(desk.customer_header()).to_have_count(0)

    desk.reload()
    desk.frame.get_by_role("tab", name=re.compile("Recent")).click()
    recent = desk.locator("#cc-management-body .cc-customer-item").first
    recent.hover()
    expect(desk.locator("#cc-tooltip")).to_contain_text("+385911112222")
    recent.click()

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.frame.get_by_role("tab", name=re.compile("Open"))).to_have_attribute("aria-selected", "true")
    expect(desk.locator("#cc-management-body [aria-current=true]")).to_have_text("Ann Lee")


def test_search_matches_whole_words_and_picking_a_result_opens_the_customer(desk, api):
    """Enter searches; a partial word finds nothing; a whole word finds the customer, who then opens (City is
    an encrypted field: Context Service matches it case-sensitively)."""
    api.customer(Context_First_Name="Peter", Context_Last_Name="Paul", Context_City="Split")
    desk.sign_in()
    desk.frame.get_by_role("tab", name=re.compile("Search")).click()
    box = desk.frame.get_by_label("Search customers")

    box.fill("Pete")
    box.press("Enter")
    expect(desk.locator("#cc-management-body [role=status]")).to_have_text("No customer matches “Pete”.")
    box.fill("Split")
    box.press("Enter")
    desk.locator("#cc-management-body .cc-customer-item", has_text="Peter Paul").click()

    expect(desk.customer_header()).to_have_text("Peter Paul")
