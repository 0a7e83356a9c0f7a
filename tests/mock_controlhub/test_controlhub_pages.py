"""Control Hub pages over HTTP: admin sign-in, CSRF, server-side form validation and the in-use locks."""

import re

import pytest

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity

FIELD_FORM = {
    "id": "Order_Number",
    "label": "Order number",
    "description": "",
    "kind": "string",
    "classification": "UNENCRYPTED",
    "searchable": "on",
    "options": "",
    "default_option": "",
}


def field_error(response, name):
    """The error message shown next to the form input ``name``, or None."""
    match = re.search(rf'id="{name}-error" role="alert">([^<]*)<', response.text)
    return match.group(1) if match else None


def create_field(admin_client, **changes):
    """Submit the New Field form with ``FIELD_FORM`` plus ``changes``; returns the response."""
    return admin_client.submit("/services/context/fields/new", {**FIELD_FORM, **changes})


@pytest.mark.parametrize(
    "path", ["/services", "/services/context/fields", "/services/context/fieldsets/new", "/services/context/settings"]
)
def test_pages_send_an_admin_who_is_not_signed_in_to_sign_in(page_client, path):
    """Every Control Hub page needs the admin's sign-in and comes back to itself afterwards."""
    answer = page_client.get(path)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/signin?next=")


def test_wrong_password_is_refused_with_401_and_a_clear_message(page_client, controlhub):
    """A wrong password re-shows the sign-in form with status 401 and the reason."""
    answer = page_client.submit("/signin", {"email": controlhub.app.config["ADMIN_EMAIL"], "password": "nope"})
    assert answer.status_code == 401
    assert "Incorrect email or password." in answer.text


def test_sign_in_without_email_names_the_email_field(page_client):
    """An empty email is refused next to the email input."""
    answer = page_client.submit("/signin", {"email": " ", "password": "x"})
    assert answer.status_code == 401
    assert field_error(answer, "email") == "Email is required."


@pytest.mark.parametrize("target", ["//evil.example.com/phish", "/\\evil.example.com", "https://evil.example.com/"])
def test_sign_in_never_redirects_off_the_site(page_client, controlhub, target):
    """A ``next`` pointing at another site is replaced by the Services page (no open redirect)."""
    cfg = controlhub.app.config
    answer = page_client.submit(
        "/signin", {"email": cfg["ADMIN_EMAIL"], "password": cfg["ADMIN_PASSWORD"], "next": target}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/services"


def test_page_post_without_the_csrf_token_is_refused_and_changes_nothing(admin_client, controlhub, expect_page_error):
    """A form POST without the session's CSRF token is refused; the entitlement stays on."""
    answer = admin_client.post("/services/context/settings", data={"csrf_token": "forged"})
    expect_page_error(answer, 400, "CSRF_FAILED", "csrf_token")
    assert identity.get_org(get_backend(controlhub.app))["entitled"] is True


def test_settings_post_turns_the_entitlement_off(admin_client, controlhub):
    """Saving Settings without the checkbox turns the contact-center-context entitlement off."""
    answer = admin_client.submit("/services/context/settings", {})
    assert answer.status_code == 302
    assert identity.get_org(get_backend(controlhub.app))["entitled"] is False


def test_invalid_field_id_is_refused_next_to_the_field_id(admin_client):
    """The dictionary's id rule is shown next to Field ID with the VALIDATION status (400)."""
    answer = create_field(admin_client, id="bad id")
    assert answer.status_code == 400
    assert "may contain only letters, digits" in field_error(answer, "id")


def test_single_select_needs_two_options_next_to_the_options(admin_client):
    """A single-select list with one option is refused next to the options input."""
    answer = create_field(admin_client, kind="enum", options="Only one")
    assert answer.status_code == 400
    assert field_error(answer, "options") == "A single-select list needs at least 2 active options."


def test_bad_translation_locale_is_refused_next_to_the_translations(admin_client):
    """A translation row with an invalid locale is refused next to the translations table."""
    answer = create_field(admin_client, translation_locale="not a locale", translation_label="x")
    assert answer.status_code == 400
    assert "is not a locale like en_US" in field_error(answer, "translations")


def test_duplicate_field_id_is_refused_with_conflict(admin_client):
    """Creating a field whose id exists answers 409 with the reason next to Field ID."""
    create_field(admin_client)
    answer = create_field(admin_client)
    assert answer.status_code == 409
    assert field_error(answer, "id") == "A field with id Order_Number already exists."


def test_stale_field_edit_is_refused_with_conflict(admin_client):
    """An edit carrying an old lastUpdated (another admin saved meanwhile) is refused with 409."""
    create_field(admin_client)
    edit = "/services/context/fields/Order_Number/edit"
    answer = admin_client.submit(edit, {**FIELD_FORM, "label": "Order no.", "last_updated": "2001-01-01T00:00:00.000Z"})
    assert answer.status_code == 409
    assert "was changed at" in answer.text


@pytest.mark.parametrize(
    "path, status, error_type, message",
    [
        ("fields/Context_First_Name", 403, "READ_ONLY", "Cisco base field Context_First_Name is read-only."),
        ("fieldsets/cisco.base.pod", 403, "READ_ONLY", "Cisco base fieldset cisco.base.pod is read-only."),
        ("fields/No_Such_Field", 404, "NOT_FOUND", "Field No_Such_Field does not exist."),
        ("fieldsets/acme.none", 404, "NOT_FOUND", "Fieldset acme.none does not exist."),
    ],
)
def test_cisco_base_or_unknown_items_cannot_be_edited(
    admin_client, expect_page_error, path, status, error_type, message
):
    """The edit form of a Cisco base field or fieldset is refused as read-only; of an unknown one, as not found."""
    answer = admin_client.get(f"/services/context/{path}/edit")
    expect_page_error(answer, status, error_type, message)


def test_field_in_a_fieldset_cannot_be_deleted(admin_client):
    """Deleting a field that a fieldset lists answers 409 with the fieldsets named; the field stays."""
    create_field(admin_client)
    admin_client.submit(
        "/services/context/fieldsets/new", {"id": "acme.orders", "description": "", "fields": ["Order_Number"]}
    )
    answer = admin_client.submit(
        "/services/context/fields/Order_Number/delete", {}, token_from="/services/context/fields"
    )
    assert answer.status_code == 409
    assert "Field Order_Number is in use by fieldset(s) acme.orders" in answer.text
    assert 'data-field="Order_Number"' in admin_client.get("/services/context/fields").text


def test_fieldset_with_an_unknown_field_is_refused_next_to_the_picker(admin_client):
    """A fieldset naming a field that does not exist is refused next to the field picker."""
    answer = admin_client.submit("/services/context/fieldsets/new", {"id": "acme.x", "fields": ["Nope"]})
    assert answer.status_code == 400
    assert field_error(answer, "fields") == "Unknown field(s): Nope."


def test_fields_filter_matches_labels_case_insensitively(admin_client):
    """The filter is a case-insensitive partial match over ids, labels and the other columns."""
    page = admin_client.get("/services/context/fields?filter=HOME+EM").text
    assert re.findall(r'data-field="([^"]+)"', page) == ["Context_Home_Email"]


def test_fieldsets_table_sorts_by_a_column_in_either_order(admin_client):
    """``sort``/``order`` sort the table (ties keep id order); the active header says how it is sorted."""
    page = admin_client.get("/services/context/fieldsets?sort=fields&order=desc").text
    counts = [int(n) for n in re.findall(r'data-fieldset="[^"]+">.*?</td>\s*<td>.*?</td>\s*<td>(\d+)</td>', page, re.S)]
    assert counts == sorted(counts, reverse=True) and len(counts) == 5
    assert 'aria-sort="descending"' in page
    ascending = admin_client.get("/services/context/fieldsets?sort=id&order=asc").text
    ids = re.findall(r'data-fieldset="([^"]+)"', ascending)
    assert ids == sorted(ids, key=str.casefold)


def test_new_field_is_hidden_at_the_org_limit_of_custom_fields(admin_client, controlhub, monkeypatch):
    """With org.max.fields custom fields the Fields tab offers no New button and says why."""
    monkeypatch.setitem(get_backend(controlhub.app).config, "MAX_CUSTOM_FIELDS", 1)
    assert 'href="/services/context/fields/new"' in admin_client.get("/services/context/fields").text
    create_field(admin_client)
    page = admin_client.get("/services/context/fields").text
    assert 'href="/services/context/fields/new"' not in page
    assert "reached its limit of custom fields" in page


def test_option_removed_from_a_single_select_in_use_becomes_inactive(admin_client):
    """Editing the options of a single-select list in a fieldset keeps a removed option, marked inactive."""
    create_field(admin_client, kind="enum", options="Gold\nSilver\nBronze", searchable="")
    admin_client.submit("/services/context/fieldsets/new", {"id": "acme.orders", "fields": ["Order_Number"]})
    edit = "/services/context/fields/Order_Number/edit"
    last_updated = re.search(r'name="last_updated" value="([^"]+)"', admin_client.get(edit).text).group(1)
    answer = admin_client.submit(
        edit,
        {
            "label": "Order tier",
            "description": "",
            "options": "Gold\nSilver",
            "default_option": "",
            "last_updated": last_updated,
        },
    )
    assert answer.status_code == 302, answer.text
    panel = admin_client.get("/services/context/fields?field=Order_Number").text
    assert re.search(r"<li>Bronze <span class=\"muted\">\(inactive\)</span>", panel)
    assert "Order tier" in panel
