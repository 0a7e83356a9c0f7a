"""Close with unsaved changes asks Save or Discard."""
from playwright.sync_api import expect


def edit_city(desk, api):
    """Ann Lee (Zagreb) open, her City changed to Rijeka unsaved, and Close clicked: the Save/Discard dialog."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_City="Zagreb")
    desk.sign_in()
    desk.open_customer("Ann")
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Rijeka")
    desk.button("Close").click()
    expect(desk.dialog()).to_contain_text("Save your changes?")
    return ann


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
