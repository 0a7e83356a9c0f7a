"""Sign-out leaves nothing of the agent's customers in the browser (issue #10): drafts, the Open list and the
handled calls are taken out of localStorage when the agent's state becomes LOGOUT."""

import re

from playwright.sync_api import expect


def agent_keys(page, agent_id):
    """The gadget's localStorage keys of one agent (the gadget frame shares the desktop's origin)."""
    return page.evaluate(
        """(agent) => Object.keys(localStorage).filter((key) => key.startsWith('cc.') &&
        (key.endsWith('.' + agent) || key.startsWith('cc.draft.' + agent + '.')))""",
        agent_id,
    )


def test_sign_out_clears_the_agents_drafts_open_customers_and_handled_calls(desk, api):
    """An answered call (Open list, handled call) and an unsaved customer edit (draft) are in localStorage; after
    the agent signs out (User state LOGOUT) none of them is left."""
    api.customer(
        Context_First_Name="Ann", Context_Last_Name="Lee", Context_City="Zagreb", Context_Mobile_Phone="+385911112222"
    )
    desk.sign_in()
    dialog = desk.call("+385911112222")
    expect(desk.customer_header()).to_have_text("Ann Lee")
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Half-typed Rijeka")
    assert any(key.startswith("cc.draft.1001.") for key in agent_keys(desk.page, "1001"))
    desk.desktop.dialog_action(dialog, "DROP")

    desk.desktop.rest("PUT", "/User/1001", "<User><state>NOT_READY</state></User>")
    desk.desktop.rest("PUT", "/User/1001", "<User><state>LOGOUT</state></User>")

    expect(desk.page).to_have_url(re.compile(r"/desktop/signin"))
    desk.eventually(lambda: agent_keys(desk.page, "1001"), lambda keys: keys == [])
