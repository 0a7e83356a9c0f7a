"""finesse.js writes from inside a gadget: User and Media state over makeRequest, REST errors to handlers.error."""

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


@pytest.fixture()
def gadget(desktop, finesse, test_gadget_server):
    """The test gadget's Frame on agent 1001's desktop, fully started (``.agent`` is the Desktop)."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    frame = agent.gadget_window(test_gadget_server.spec_url)
    frame.agent = agent
    return frame


def test_user_set_state_puts_the_state_and_the_change_follows(gadget):
    """User.setState sends PUT over makeRequest (202); the User PUT notification runs onChange."""
    gadget.evaluate("""() => new Promise((resolve, reject) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.setState(finesse.restservices.User.States.READY, null, {success: resolve, error: reject})});
    })""")
    expect(gadget.locator("#agent-state")).to_have_text("READY")


def test_rest_errors_reach_the_error_handler_with_the_api_error(gadget):
    """A refused PUT calls handlers.error with the status and the parsed <ApiErrors>."""
    error = gadget.evaluate("""() => new Promise((resolve) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.setState("TALKING", null, {success: () => resolve(null), error: resolve})});
    })""")
    assert error["status"] == 400
    assert error["object"]["ApiErrors"]["ApiError"]["ErrorType"]


def test_media_login_and_ready_from_finesse_js_let_chats_arrive(gadget):
    """Media.login (→ NOT_READY) then setState(READY) over REST; Media onChange follows; a chat can be offered."""
    name = gadget.evaluate("""() => new Promise((resolve, reject) => {
        const user = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: () =>
            user.getMediaList({onLoad: (list) => list.getMedia({id: "5000", onError: reject,
                onLoad: (media) => media.login({maxDialogLimit: 2, handlers: {error: reject}}),
                onChange: (media) => {
                    if (media.getState() === "NOT_READY") {
                        media.setState(finesse.restservices.Media.States.READY, null, {error: reject});
                    } else if (media.getState() === "READY") {
                        resolve([media.getName(), media.getMaxDialogLimit()]);
                    }
                }})})});
    })""")
    assert name == ["Cisco_Chat_MRD", 2]
    chat = gadget.agent.offer_chat(customer_email="ana.k@example.com")
    expect(gadget.locator(f"#task-{chat['id']}")).to_have_text("Cisco_Chat_MRD: ana.k@example.com OFFERED")


def test_a_user_change_notified_while_its_first_get_is_on_its_way_is_not_lost(gadget, page):
    """The User's first GET is answered late: its answer is read (NOT_READY), then the agent goes READY and the
    gadget gets that notification, then the answer arrives. The User loads READY, the newer state; the
    notification was dropped before (not loaded yet) and the User kept the older answer."""
    gadget.evaluate("""() => {
        window.userUpdates = 0;
        gadgets.Hub.subscribe("finesse.api.User." + finesse.gadget.Config.id, () => { window.userUpdates += 1; });
    }""")

    def answer_late(route):
        form = route.request.post_data or ""
        if "httpMethod=GET" not in form or "%2Ffinesse%2Fapi%2FUser%2F1001%3F" not in form:
            route.continue_()
            return
        answer = route.fetch()  # read now, before the change
        gadget.agent.rest("PUT", "/User/1001", "<User><state>READY</state></User>")
        gadget.wait_for_function("() => window.userUpdates > 0")
        route.fulfill(response=answer)

    page.route("**/gadgets/makeRequest", answer_late)
    gadget.evaluate("""() => new Promise((resolve) => {
        window.lateUser = new finesse.restservices.User({id: finesse.gadget.Config.id, onLoad: resolve});
    })""")
    assert gadget.evaluate("() => window.lateUser.getState()") == "READY"
