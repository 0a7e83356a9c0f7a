"""Accepting a chat looks the customer up by the chat's email identity."""

from playwright.sync_api import expect


def test_accepted_chat_shows_customer_found_by_chat_email(desk, api):
    """The chat's email finds the customer; the chat becomes an activity with the chat icon."""
    api.customer(Context_First_Name="Lana", Context_Last_Name="Perić", Context_Home_Email="lana@example.com")
    desk.sign_in()

    desk.chat("Lana Perić", "lana@example.com")

    expect(desk.customer_header()).to_have_text("Lana Perić")
    expect(desk.activities()).to_have_count(1)
    expect(desk.activities().first).to_contain_text("Chat")
    expect(desk.activities().first.locator(".cc-icon--chat")).to_have_count(1)
