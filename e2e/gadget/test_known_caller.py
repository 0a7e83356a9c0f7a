"""Answering a call from a known customer shows the customer and their journey, with the call recorded."""

from playwright.sync_api import expect


def test_answered_call_from_known_customer_shows_journey_with_new_activity(desk, api):
    """The caller's phone finds the customer; they are Open and shown; the call is a new activity in a request."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385 91 111 2222")
    api.activity(ann["id"], "email", email="ann@example.com")
    desk.sign_in()

    desk.call("+385911112222")

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-management-body [aria-current=true]")).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(2)
    expect(desk.activities().first).to_contain_text("Voice")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    voice = [a for a in api.activities(ann["id"]) if a["mediaType"] == "voice"]
    assert len(voice) == 1 and voice[0]["requestId"]


def test_call_is_recorded_once_even_after_a_reload(desk, api):
    """Each dialog is handled once: reloading the desktop during the call adds no second activity."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.activities()).to_have_count(1)

    desk.reload()

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(1)
    assert len(api.activities(ann["id"])) == 1
