"""A field an administrator adds to the activity fieldset in Control Hub appears in the activity's details.

The administrator works in Control Hub's pages (own browser context); the gadget server creates activities with
the fieldsets named in ``ACTIVITY_FIELDSETS``, as CVP's POD_Add creates them with its "Field Sets" setting.
"""

import pytest
from playwright.sync_api import expect

from e2e.controlhub.test_controlhub_pages import new_field, new_fieldset, sign_in
from gadget_plugin import get_backend

PHONE = "+385917770001"


@pytest.fixture()
def admin(new_context, controlhub):
    """The Control Hub admin, signed in to the pages in a browser context of their own."""
    page = new_context().new_page()
    sign_in(page, controlhub)
    return page


@pytest.fixture()
def activity_fieldsets(gadget, monkeypatch):
    """Set the gadget server's ACTIVITY_FIELDSETS for one test; its dictionary is read afresh on every call."""
    backend = get_backend(gadget.app)
    monkeypatch.setattr(backend.dictionary, "ttl", 0)
    return lambda *fieldsets: monkeypatch.setitem(backend.config, "ACTIVITY_FIELDSETS", list(fieldsets))


def add_field_to_fieldset(admin, controlhub, fieldset_id, field_id):
    """Open the fieldset's Edit form in Control Hub, tick the field, Save."""
    admin.goto(f"{controlhub.url}/services/context/fieldsets?fieldset={fieldset_id}")
    admin.locator("#fieldset-panel").get_by_role("link", name="Edit").click()
    admin.locator("#field-picker").get_by_label(field_id).check()
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_role("status")).to_have_text(f"Fieldset {fieldset_id} was saved.")


def test_field_added_to_the_activity_fieldset_in_control_hub_appears_with_its_label(
    desk, api, admin, controlhub, activity_fieldsets
):
    """acme.activity (Order number) is the activity fieldset; the admin adds Warranty to it in Control Hub;
    after the desktop reloads, the call's activity shows Warranty with its label and keeps the order number."""
    new_field(admin, controlhub, "Acme_Order_Number", "Order number")
    new_field(admin, controlhub, "Acme_Warranty", "Warranty")
    new_fieldset(admin, controlhub, "acme.activity", ["Acme_Order_Number"])
    expect(admin.get_by_role("status")).to_contain_text("acme.activity")
    activity_fieldsets("cisco.base.pod", "acme.activity")
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    desk.sign_in()
    desk.call(PHONE)
    order = desk.frame.get_by_label("Order number")
    order.fill("A-1001")
    order.press("Tab")
    expect(desk.field("Acme_Warranty")).to_have_count(0)
    desk.eventually(
        lambda: api.journey(api.search("Lee")[0]["id"])["requests"][0]["activities"][0]["fields"],
        lambda fields: fields.get("Acme_Order_Number") == "A-1001",
    )

    add_field_to_fieldset(admin, controlhub, "acme.activity", "Acme_Warranty")
    desk.reload()
    desk.open_customer("Lee")
    desk.locator(".cc-activity__open").first.click()

    expect(desk.frame.get_by_label("Warranty")).to_be_visible()
    expect(desk.frame.get_by_label("Order number")).to_have_value("A-1001")
