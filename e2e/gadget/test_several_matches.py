"""A caller matching several customers gets a pick list before anything is attached."""

from playwright.sync_api import expect


def test_several_matches_show_pick_list_and_attach_only_after_pick(desk, api):
    """Two customers share the phone: the pick list shows name, phone, email, last contact; the pick gets the call."""
    api.customer(
        Context_First_Name="Ivo",
        Context_Last_Name="Kos",
        Context_Home_Phone="+38512345678",
        Context_Home_Email="ivo@example.com",
    )
    mia = api.customer(Context_First_Name="Mia", Context_Last_Name="Kos", Context_Mobile_Phone="+38512345678")
    desk.sign_in()

    desk.call("+38512345678")

    picks = desk.locator(".cc-pick")
    expect(picks).to_have_count(2)
    expect(desk.locator("#cc-pick-title")).to_have_text("2 matching customers")
    expect(picks.filter(has_text="Ivo Kos")).to_contain_text("ivo@example.com")
    expect(picks.filter(has_text="Mia Kos")).to_contain_text("+38512345678")
    expect(picks.first).to_contain_text("Last contact")
    assert api.journey(mia["id"])["requests"] == []

    picks.filter(has_text="Mia Kos").click()

    expect(desk.customer_header()).to_have_text("Mia Kos")
    expect(desk.activities()).to_have_count(1)
    assert len(api.journey(mia["id"])["requests"][0]["activities"]) == 1
