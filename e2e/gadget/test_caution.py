"""Two agents change the same request: the second save meets a caution notice; Load takes their change and keeps
the agent's unsaved text."""

import pytest
from playwright.sync_api import expect


@pytest.mark.slow_cloud
@pytest.mark.allow_console_errors(r"status of 409")
def test_stale_save_shows_caution_and_load_keeps_my_text(desk, api):
    """Agent 1002 retitles the request at their desktop first; 1001's description save is refused (409) →
    caution → Load → their title shows, 1001's text is still there and saves on the new version."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    marko = desk.other_agent("1002")
    marko.open_customer("Ann")
    marko.locator(".cc-request__title").first.click()
    marko.field("Context_Title").fill("Set by Marko")
    marko.field("Context_Description").click()
    expect(marko.locator(".cc-request__title").first).to_have_text("Set by Marko")

    desk.field("Context_Description").fill("My notes")
    desk.field("Context_Title").click()

    caution = desk.locator("#cc-details .cc-caution")
    expect(caution).to_contain_text("Caution: another agent changed Title at")
    caution.get_by_role("button", name="Load").click()

    expect(desk.field("Context_Title")).to_have_value("Set by Marko")
    expect(desk.field("Context_Description")).to_have_value("My notes")
    desk.locator("#cc-details .cc-unsaved").get_by_role("button", name="Save").click()
    fields = desk.eventually(
        lambda: api.journey(ann["id"])["requests"][0]["fields"], lambda f: f.get("Context_Description") == "My notes"
    )
    assert fields["Context_Title"] == "Set by Marko"
