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
