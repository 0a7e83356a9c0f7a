"""Control Hub pages in a real browser: sign-in, Services, Fields, Fieldsets and Settings."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from mock_controlhub import get_backend
from mock_controlhub.contextservice import models as objects

# A refused form comes back with its 4xx status, which Chromium logs as a failed resource load.
REFUSED_FORM = r"Failed to load resource: the server responded with a status of 4\d\d"


def sign_in(page, controlhub, path="/services"):
    """Open ``path`` and sign in as the Control Hub admin on the sign-in page it leads to."""
    cfg = controlhub.app.config
    page.goto(controlhub.url + path)
    page.get_by_label("Email address").fill(cfg["ADMIN_EMAIL"])
    page.get_by_label("Password").fill(cfg["ADMIN_PASSWORD"])
    page.get_by_role("button", name="Sign In").click()


def new_field(page, controlhub, field_id, label, **choices):
    """Fill and submit the New Field form (``kind``, ``privacy``, ``options``, ``description`` optional)."""
    page.goto(controlhub.url + "/services/context/fields/new")
    page.get_by_label("Field ID").fill(field_id)
    page.get_by_label("Label (en_US)").fill(label)
    page.get_by_label("Description").fill(choices.get("description", ""))
    page.get_by_label("Data Type").select_option(choices.get("kind", "string"))
    if "options" in choices:
        page.get_by_label("Single-select options (one per line)").fill(choices["options"])
    page.get_by_label(choices.get("privacy", "Unencrypted"), exact=True).check()
    page.get_by_role("button", name="Create").click()


def new_fieldset(page, controlhub, fieldset_id, field_ids):
    """Fill and submit the New Fieldset form, picking ``field_ids``."""
    page.goto(controlhub.url + "/services/context/fieldsets/new")
    page.get_by_label("Fieldset ID").fill(fieldset_id)
    for field_id in field_ids:
        page.locator("#field-picker").get_by_label(field_id).check()
    page.get_by_role("button", name="Create").click()


def test_admin_signs_in_and_opens_the_hybrid_context_card(page, controlhub):
    """Sign-in leads to Services; the Hybrid Context card opens its tabs."""
    sign_in(page, controlhub)
    expect(page.get_by_role("heading", name="Services")).to_be_visible()
    card = page.locator(".service-card")
    expect(card.get_by_role("heading", name="Hybrid Context")).to_be_visible()
    card.get_by_role("link", name="Fields", exact=True).click()
    tabs = page.get_by_role("navigation", name="Hybrid Context")
    expect(tabs.get_by_role("link", name="Fields", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.locator('#fields-table tr[data-field="Context_First_Name"]')).to_contain_text("PII Encrypted")


@pytest.mark.allow_console_errors(REFUSED_FORM)
def test_wrong_password_is_refused_with_a_clear_error(page, controlhub):
    """A wrong password keeps the admin on the sign-in page with the reason."""
    page.goto(controlhub.url + "/services")
    page.get_by_label("Email address").fill(controlhub.app.config["ADMIN_EMAIL"])
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("Incorrect email or password"))
    expect(page).to_have_url(re.compile(r"/signin"))


def test_sign_out_ends_the_admin_session(page, controlhub):
    """After Sign out the pages ask for sign-in again."""
    sign_in(page, controlhub)
    page.get_by_role("button", name="Sign out").click()
    page.goto(controlhub.url + "/services/context/fields")
    expect(page.get_by_role("heading", name="Sign in to Control Hub")).to_be_visible()


def test_created_custom_field_shows_in_the_table_with_its_properties(admin_page, controlhub):
    """A new single-select field is listed with its type, privacy and the org as source."""
    new_field(
        admin_page,
        controlhub,
        "Loyalty_Tier",
        "Loyalty tier",
        kind="enum",
        options="Gold\nSilver\nBronze",
        privacy="Non-PII Encrypted",
        description="Customer's loyalty programme tier",
    )
    expect(admin_page.get_by_role("status")).to_have_text("Field Loyalty_Tier was created.")
    row = admin_page.locator('#fields-table tr[data-field="Loyalty_Tier"]')
    expect(row).to_contain_text("Single-select list (3 options)")
    expect(row).to_contain_text("Non-PII Encrypted")
    expect(row).to_contain_text(controlhub.app.config["ORG_NAME"])
    expect(admin_page.locator("#field-status")).to_have_text("Not in use")


@pytest.mark.allow_console_errors(REFUSED_FORM)
def test_invalid_field_id_shows_the_error_next_to_the_field_id(admin_page, controlhub):
    """A field id with a space is refused; the message stands next to Field ID and the input keeps its value."""
    new_field(admin_page, controlhub, "Bad id!", "Bad")
    expect(admin_page.locator("#id-error")).to_contain_text("may contain only letters, digits, '-' and '_'")
    expect(admin_page.get_by_label("Field ID")).to_have_value("Bad id!")
    expect(admin_page.get_by_label("Field ID")).to_have_attribute("aria-invalid", "true")


@pytest.mark.allow_console_errors(REFUSED_FORM)
def test_missing_label_shows_the_error_next_to_the_label(admin_page, controlhub):
    """A field without an en_US label is refused next to the Label input."""
    new_field(admin_page, controlhub, "No_Label", "")
    expect(admin_page.locator("#label-error")).to_have_text("A label in translations.en_US is required.")


def test_field_in_a_fieldset_is_in_use_and_its_delete_is_locked(admin_page, controlhub):
    """Adding a custom field to a fieldset puts it in use: the panel says so and offers no Delete."""
    new_field(admin_page, controlhub, "Order_Number", "Order number")
    new_fieldset(admin_page, controlhub, "acme.orders", ["Order_Number", "Context_Notes"])
    expect(admin_page.locator('#fieldsets-table tr[data-fieldset="acme.orders"]')).to_contain_text("2")
    expect(admin_page.locator("#fieldset-fields")).to_contain_text("Order_Number")
    admin_page.locator("#fieldset-fields").get_by_role("link", name="Order_Number").click()
    expect(admin_page.locator("#field-status")).to_have_text("In use")
    expect(admin_page.locator("#field-fieldsets")).to_contain_text("acme.orders")
    expect(admin_page.locator("#delete-locked")).to_contain_text("in use by 1 fieldset")
    expect(admin_page.locator("#field-panel").get_by_role("link", name="Delete")).to_have_count(0)


def test_edit_form_locks_the_properties_of_a_field_in_use(admin_page, controlhub):
    """While in use, data type, privacy and searchable are disabled; the label can still change."""
    new_field(admin_page, controlhub, "Order_Number", "Order number")
    new_fieldset(admin_page, controlhub, "acme.orders", ["Order_Number"])
    admin_page.goto(controlhub.url + "/services/context/fields/Order_Number/edit")
    expect(admin_page.get_by_label("Data Type")).to_be_disabled()
    expect(admin_page.get_by_label("Searchable")).to_be_disabled()
    admin_page.get_by_label("Label (en_US)").fill("Order no.")
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.get_by_role("status")).to_have_text("Field Order_Number was saved.")
    expect(admin_page.locator("#field-panel")).to_contain_text("Order no.")


def test_unused_custom_field_is_deleted_after_confirmation(admin_page, controlhub):
    """Delete asks for confirmation, then removes the field from the table."""
    new_field(admin_page, controlhub, "Temp_Field", "Temporary")
    admin_page.locator("#field-panel").get_by_role("link", name="Delete").click()
    dialog = admin_page.get_by_role("dialog")
    expect(dialog).to_contain_text("Delete field Temp_Field?")
    dialog.get_by_role("button", name="Delete").click()
    expect(admin_page.get_by_role("status")).to_have_text("Field Temp_Field was deleted.")
    expect(admin_page.locator('#fields-table tr[data-field="Temp_Field"]')).to_have_count(0)


def test_fields_filter_is_a_case_insensitive_partial_match(admin_page, controlhub):
    """Typing part of an id in any case keeps only the matching fields."""
    admin_page.goto(controlhub.url + "/services/context/fields")
    admin_page.get_by_role("searchbox").fill("first_NA")
    admin_page.get_by_role("button", name="Search").click()
    expect(admin_page.locator("#fields-table tbody tr")).to_have_count(1)
    expect(admin_page.locator('#fields-table tr[data-field="Context_First_Name"]')).to_be_visible()


def test_field_text_is_shown_escaped(admin_page, controlhub):
    """Markup typed into a description is shown as text, never run."""
    new_field(admin_page, controlhub, "Html_Test", "<b>Bold</b>", description="<img src=x onerror=alert(1)>")
    row = admin_page.locator('#fields-table tr[data-field="Html_Test"]')
    expect(row).to_contain_text("<img src=x onerror=alert(1)>")
    expect(row.locator("img")).to_have_count(0)
    expect(admin_page.locator("#field-panel")).to_contain_text("<b>Bold</b>")


@pytest.mark.allow_console_errors(REFUSED_FORM)
def test_fieldset_without_fields_is_refused_next_to_the_picker(admin_page, controlhub):
    """A fieldset needs at least one field; the error stands under the field picker."""
    new_fieldset(admin_page, controlhub, "acme.empty", [])
    expect(admin_page.locator("#fields-error")).to_have_text("A fieldset needs at least one field.")
    expect(admin_page.get_by_label("Fieldset ID")).to_have_value("acme.empty")


def test_entitlement_is_turned_off_and_on_from_settings(admin_page, controlhub):
    """The Settings tab switches the org's contact-center-context entitlement; Services reflects it."""
    admin_page.goto(controlhub.url + "/services/context/settings")
    expect(admin_page.locator("#entitlement-state")).to_have_text("Entitled")
    admin_page.get_by_label("Context Service enabled for this organization").uncheck()
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator("#entitlement-state")).to_have_text("Not entitled")
    expect(admin_page.get_by_role("status")).to_contain_text("disabled")
    admin_page.get_by_role("link", name="Services", exact=True).first.click()
    expect(admin_page.locator(".service-card")).to_contain_text("Not entitled")
    admin_page.goto(controlhub.url + "/services/context/settings")
    admin_page.get_by_label("Context Service enabled for this organization").check()
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.locator("#entitlement-state")).to_have_text("Entitled")


def test_fieldset_used_by_context_data_is_in_use_and_keeps_removed_fields_inactive(admin_page, controlhub):
    """A fieldset an object uses cannot be deleted; a field removed from it stays listed as inactive."""
    new_field(admin_page, controlhub, "Order_Number", "Order number")
    new_fieldset(admin_page, controlhub, "acme.orders", ["Order_Number", "Context_Notes"])
    objects.create_object(
        get_backend(controlhub.app),
        "customer",
        {"type": "customer", "fieldsets": ["acme.orders"], "dataElements": [{"Order_Number": "A-1", "type": "string"}]},
        lab=False,
    )
    admin_page.reload()
    expect(admin_page.locator("#fieldset-status")).to_have_text("In use")
    expect(admin_page.locator("#delete-locked")).to_have_text(
        "Delete is locked: Context Service data uses this fieldset."
    )
    admin_page.locator("#fieldset-panel").get_by_role("link", name="Edit").click()
    admin_page.locator("#field-picker").get_by_label("Context_Notes").uncheck()
    admin_page.get_by_role("button", name="Save").click()
    expect(admin_page.get_by_role("status")).to_have_text("Fieldset acme.orders was saved.")
    expect(admin_page.locator("#fieldset-fields li", has_text="Context_Notes")).to_contain_text("inactive")
    expect(admin_page.locator('#fieldsets-table tr[data-fieldset="acme.orders"] td').nth(2)).to_have_text("1")


def test_single_select_options_show_only_for_the_single_select_data_type(admin_page, controlhub):
    """The options box appears when Single-select list is chosen and hides for other data types."""
    admin_page.goto(controlhub.url + "/services/context/fields/new")
    options = admin_page.get_by_label("Single-select options (one per line)")
    expect(options).to_be_hidden()
    admin_page.get_by_label("Data Type").select_option("enum")
    expect(options).to_be_visible()
    expect(admin_page.get_by_label("Default option")).to_be_visible()
    admin_page.get_by_label("Data Type").select_option("integer")
    expect(options).to_be_hidden()


def serious_axe_violations(page):
    """axe-core's serious and critical violations on the page, as ``id: help`` lines."""
    return [
        f"{v['id']}: {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_fields_page_and_field_form_have_no_serious_axe_violations(admin_page, controlhub):
    """axe-core finds no serious or critical violation on the Fields tab with its side panel and the form."""
    admin_page.goto(controlhub.url + "/services/context/fields?field=Context_First_Name")
    expect(admin_page.locator("#field-panel")).to_be_visible()
    assert serious_axe_violations(admin_page) == []
    admin_page.goto(controlhub.url + "/services/context/fields/new")
    assert serious_axe_violations(admin_page) == []
