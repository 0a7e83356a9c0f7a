"""Close with unsaved changes asks Save or Discard."""

import pytest
from playwright.sync_api import expect


def edit_city(desk, api):
    """Ann Lee (Zagreb) open, her City changed to Rijeka unsaved, and Close clicked: the Save/Discard dialog."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_City="Zagreb")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Rijeka")
    desk.button("Close customer").click()
    expect(desk.dialog()).to_contain_text("Save your changes?")
    return ann


@pytest.mark.slow_cloud
def test_close_with_unsaved_changes_then_save_stores_them_and_closes(desk, api):
    """Save in the Close dialog stores the edited city and takes the customer out of Open."""
    ann = edit_city(desk, api)

    desk.dialog().get_by_role("button", name="Save").click()

    expect(desk.customer_header()).to_have_count(0)
    assert api.call("GET", f"/customers/{ann['id']}")["fields"]["Context_City"] == "Rijeka"


def test_close_with_unsaved_changes_then_discard_keeps_the_stored_values(desk, api):
    """Discard closes the customer without storing the edit."""
    ann = edit_city(desk, api)

    desk.dialog().get_by_role("button", name="Discard").click()

    expect(desk.customer_header()).to_have_count(0)
    assert api.call("GET", f"/customers/{ann['id']}")["fields"]["Context_City"] == "Zagreb"


@pytest.mark.slow_cloud
def test_close_after_autosave_lists_only_the_unsaved_form_and_discard_reverts_just_that(desk, api):
    """Notes saved themselves on leaving the field; the customer form's City is really unsaved. Close lists only
    City; Discard leaves the stored Notes alone and stores no City."""
    ann = api.customer(
        Context_First_Name="Ann", Context_Last_Name="Lee", Context_City="Zagreb", Context_Mobile_Phone="+385911112222"
    )
    desk.sign_in()
    desk.call("+385911112222")
    desk.latency(300)
    desk.type(desk.field("Context_Notes"), "Called about the invoice.")
    desk.customer_header().click()
    expect(desk.save_state("Context_Notes")).to_have_text("Saved")
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Rijeka")

    desk.button("Close customer").click()

    unsaved = desk.dialog().locator("[data-unsaved]")
    expect(unsaved).to_have_count(1)
    expect(unsaved).to_contain_text("City")
    desk.dialog().get_by_role("button", name="Discard").click()
    expect(desk.customer_header()).to_have_count(0)
    activity = api.activities(ann["id"])[0]
    assert activity["fields"]["Context_Notes"] == "Called about the invoice."
    assert api.call("GET", f"/customers/{ann['id']}")["fields"]["Context_City"] == "Zagreb"


def test_close_while_a_field_is_saving_waits_for_it_and_asks_nothing(desk, api):
    """At 600 ms a Description still saving when Close is clicked is not offered for discarding: Close waits
    for the save, which lands, and closes without a dialog."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    desk.latency(600)
    desk.type(desk.field("Context_Description"), "Charged twice.")

    desk.button("Close customer").click()

    expect(desk.customer_header()).to_have_count(0)
    expect(desk.dialog()).to_have_count(0)
    fields = api.journey(ann["id"])["requests"][0]["fields"]
    assert fields["Context_Description"] == "Charged twice."


def test_a_comment_typed_but_not_added_survives_a_reload_and_close_offers_to_add_it(desk, api):
    """A New comment typed and not added is kept over a reload; Close lists it, and Save adds it."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.call("+385911112222")
    desk.type(desk.field("comment"), "Call back on Friday")

    desk.reload()
    expect(desk.field("comment")).to_have_value("Call back on Friday")
    desk.button("Close customer").click()

    unsaved = desk.dialog().locator("[data-unsaved]")
    expect(unsaved).to_have_text(["New comment · activity"])
    desk.dialog().get_by_role("button", name="Save").click()
    expect(desk.customer_header()).to_have_count(0)
    activity = api.activities(ann["id"])[0]
    comments = desk.eventually(lambda: api.call("GET", f"/activities/{activity['id']}")["comments"], bool)
    assert [c["text"] for c in comments] == ["Call back on Friday"]


@pytest.mark.allow_console_errors(r"status of 50[234]")
def test_close_lists_a_field_whose_save_failed_and_discard_reverts_exactly_it(desk, api):
    """Context Service down: the Description typed cannot be saved; Close lists it; Discard closes, stores
    nothing and leaves no draft behind (the customer reopened shows the stored, empty description)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    desk.cloud("POST", "/faults", {"errorRate": 1.0, "status": 503})
    desk.type(desk.field("Context_Description"), "Typed while down")
    desk.field("Context_Title").click()
    expect(desk.save_state("Context_Description")).to_contain_text("Not saved")

    desk.button("Close customer").click()

    expect(desk.dialog().locator("[data-unsaved]")).to_have_text(["Description · request"])
    desk.dialog().get_by_role("button", name="Discard").click()
    expect(desk.customer_header()).to_have_count(0)
    desk.cloud("POST", "/faults", {})
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()
    expect(desk.field("Context_Description")).to_have_value("")
    assert "Context_Description" not in api.journey(ann["id"])["requests"][0]["fields"]


def test_close_lists_a_new_request_described_but_not_titled_and_save_keeps_it_open_until_it_has_a_title(desk, api):
    """Add request, a description but no title, Close customer: the dialog lists the new request's Description
    (it was dropped without a word); Save cannot store a request without a title, so Ann stays open with the
    draft and its text; Close → Discard then closes, storing nothing."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], "voice", phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator("[data-action='add-request']").click()
    desk.type(desk.field("Context_Description"), "Printer jams on tray 2")

    desk.button("Close customer").click()
    expect(desk.dialog().locator("[data-unsaved]")).to_have_text(["Description · request"])
    desk.dialog().get_by_role("button", name="Save").click()

    expect(desk.dialog()).to_have_count(0)
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.field("Context_Description")).to_have_value("Printer jams on tray 2")
    desk.button("Close customer").click()
    desk.dialog().get_by_role("button", name="Discard").click()
    expect(desk.customer_header()).to_have_count(0)
    assert len(api.journey(ann["id"])["requests"]) == 1
