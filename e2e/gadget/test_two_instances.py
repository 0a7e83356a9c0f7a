"""A layout that holds the gadget on two tabs: the call is recorded once, and both instances show the customer."""

from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout
from finesse_harness.handles import set_cs_faults

PHONE = "+385917770002"


def gadget_on_two_tabs(desktop, finesse, gadget, api):
    """Ann Lee stored; agent 1001 signed in with the gadget on Home and on Manage Customer, both started.
    Returns (customer, desktop, home frame, manage frame)."""
    spec = gadget.url + "/gadget.xml"
    set_team_layout(finesse, "10", {"home": [spec], "manageCustomer": [spec]})
    customer = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    agent = desktop("1001")
    home = agent.page.locator("#panel_home iframe.gadget-frame").content_frame
    manage = agent.page.locator("#panel_manageCustomer iframe.gadget-frame").content_frame
    for frame in (home, manage):
        expect(frame.locator("#cc-app")).to_be_attached()
    return customer, agent, home, manage


def test_gadget_on_two_tabs_records_the_call_once_and_both_show_the_customer(desktop, finesse, gadget, api):
    """One instance pops the customer and stores the activity; the other, on the Manage Customer tab, follows."""
    customer, agent, home, manage = gadget_on_two_tabs(desktop, finesse, gadget, api)

    call = agent.offer_call(PHONE)
    agent.dialog_action(call["id"], "ANSWER")

    expect(home.locator("#cc-customer-name")).to_have_text("Ann Lee")
    agent.activate_tab("manageCustomer")
    expect(manage.locator("#cc-customer-name")).to_have_text("Ann Lee")
    expect(manage.locator("#cc-journey .cc-activity")).to_have_count(1)
    expect(manage.locator("#cc-details h3")).to_have_text("Activity details")
    assert len(api.activities(customer["id"])) == 1


def test_gadget_on_two_tabs_at_cloud_latency_records_each_call_once(desktop, finesse, gadget, api):
    """With Context Service answering 400 ms late, both instances see every answered call; a cross-tab lock
    lets only one of them record it: three calls, three activities."""
    customer, agent, home, _ = gadget_on_two_tabs(desktop, finesse, gadget, api)
    records = []  # the answers of the records sent: POST /activities, or POST /screen-pop/record (auto-answer)
    agent.page.on(
        "response",
        lambda r: (
            records.append(r)
            if r.request.method == "POST" and r.url.endswith(("/api/v1/activities", "/api/v1/screen-pop/record"))
            else None
        ),
    )
    set_cs_faults(gadget.controlhub_server, latencyMs=400)

    for count in (1, 2, 3):
        call = agent.offer_call(PHONE)
        agent.dialog_action(call["id"], "ANSWER")
        expect(home.locator("#cc-journey .cc-activity")).to_have_count(count, timeout=15000)
        agent.dialog_action(call["id"], "DROP")

    assert len(api.activities(customer["id"])) == 3
    stored = [r for r in records if r.url.endswith("/activities") or r.json().get("activity")]
    assert len(stored) == 3, [(r.url, r.status) for r in records]
