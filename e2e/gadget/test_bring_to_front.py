"""A screen pop brings the gadget's tab to the front when the agent is looking at another tab."""

from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout

PHONE = "+385917770005"


def test_answered_call_switches_to_the_gadgets_tab(desktop, finesse, gadget, api, test_gadget_server):
    """The agent is on Home (another gadget); answering a known caller shows Manage Customer with the customer."""
    set_team_layout(
        finesse, "10", {"home": [test_gadget_server.spec_url], "manageCustomer": [gadget.url + "/gadget.xml"]}
    )
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    agent = desktop("1001")
    frame = agent.gadget_frame(gadget.url + "/gadget.xml")
    expect(frame.locator("#cc-app")).to_be_attached()
    expect(agent.page.get_by_role("tab", name="Home")).to_have_attribute("aria-selected", "true")

    call = agent.offer_call(PHONE)
    expect(agent.page.get_by_role("tab", name="Home")).to_have_attribute("aria-selected", "true")
    agent.dialog_action(call["id"], "ANSWER")

    expect(agent.page.get_by_role("tab", name="Manage Customer")).to_have_attribute("aria-selected", "true")
    expect(frame.locator("#cc-customer-name")).to_have_text("Ann Lee")
