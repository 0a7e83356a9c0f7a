"""Opening an email from an unknown sender pre-fills a new customer from the sender."""

from playwright.sync_api import expect


def test_opened_email_from_unknown_sender_prefills_name_and_home_email(desk, api):
    """Sender name → First/Last Name, address → Home Email; Create stores the email activity."""
    desk.sign_in()

    desk.email("petra.babic@example.com", "Invoice question", name="Petra Babić")

    form = desk.locator("#cc-customer-form")
    expect(form.locator("[data-field=Context_First_Name]")).to_have_value("Petra")
    expect(form.locator("[data-field=Context_Last_Name]")).to_have_value("Babić")
    expect(form.locator("[data-field=Context_Home_Email]")).to_have_value("petra.babic@example.com")
    desk.button("Create").click()
    expect(desk.activities().first).to_contain_text("Email")
    customer = api.search("petra.babic@example.com")[0]
    assert api.journey(customer["id"])["requests"][0]["activities"][0]["mediaType"] == "email"
