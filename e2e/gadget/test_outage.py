"""Context Service goes away while the agent types: the text survives (also a reload) and is saved when it is back."""

import pytest
from playwright.sync_api import expect


@pytest.mark.slow_cloud
@pytest.mark.allow_console_errors(r"status of 50[234]")
def test_text_typed_during_outage_is_kept_and_saved_after_recovery(desk, api):
    """With /_mock/faults failing every call, the description stays, a notice says so; after recovery it is stored."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    desk.cloud("POST", "/faults", {"errorRate": 1.0, "status": 503})

    desk.field("Context_Description").fill("Typed while the cloud was down")
    desk.field("Context_Title").click()

    expect(desk.locator("#cc-notice")).to_contain_text("Context Service is unavailable")
    expect(desk.field("Context_Description")).to_have_value("Typed while the cloud was down")
    expect(desk.locator("#cc-details .cc-unsaved")).to_contain_text("Not saved yet.")

    desk.cloud("POST", "/faults", {})

    expect(desk.locator("#cc-notice")).to_contain_text("Context Service is back", timeout=15000)
    expect(desk.locator("#cc-details .cc-unsaved")).to_have_count(0)
    fields = api.journey(ann["id"])["requests"][0]["fields"]
    assert fields["Context_Description"] == "Typed while the cloud was down"


def test_unsaved_customer_edit_survives_a_reload_and_can_be_saved(desk, api):
    """An edit typed in the customer form (not saved) is back in the form after reloading the desktop."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_City="Zagreb")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Half-typed Rijeka")

    desk.reload()

    expect(desk.field("Context_City", within="#cc-customer-form")).to_have_value("Half-typed Rijeka")
    desk.button("Save").click()
    desk.eventually(
        lambda: api.call("GET", f"/customers/{ann['id']}")["fields"],
        lambda f: f.get("Context_City") == "Half-typed Rijeka",
    )
