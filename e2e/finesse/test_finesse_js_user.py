"""finesse.js User writes from inside a gadget: setState over makeRequest, and REST errors to handlers.error."""
import pytest
from playwright.sync_api import expect

from e2e.fixtures import set_team_layout


@pytest.fixture()
def gadget(desktop, finesse, test_gadget_server):
    """The test gadget's Frame on agent 1001's desktop, fully started."""
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#hub-connection")).to_have_text("connected")
    return agent.gadget_window(test_gadget_server.spec_url)


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
