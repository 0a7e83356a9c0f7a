"""An SSO Finesse: the gadget sends the agent's bearer token (finesse.js ``authToken``) and the proxy verifies it
with that Finesse; the screen pop works as with Basic credentials."""

import pytest
from playwright.sync_api import expect

import mock_finesse
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.handles import GadgetServer
from finesse_harness.servers import ServerThread, start_gadget_server

CALLER = "+385915550125"


@pytest.fixture()
def sso_desk(controlhub, tmp_path, page):
    """A mock Finesse with SSO on, a gadget server verifying agents against it, agent 1001 signed in."""
    finesse_app = mock_finesse.create_app({"SSO_ENABLED": True, "GADGET_FILES_DIR": str(tmp_path / "files")})
    finesse = ServerThread(finesse_app).start()
    thread = start_gadget_server(
        {
            "FINESSE_URLS": [finesse.url],
            "CONTEXT_SERVICE_URL": controlhub.url,
            "LOG_LEVEL": "WARNING",
            "INSTANCE_PATH": str(tmp_path / "gadget"),
        }
    )
    gadget = GadgetServer(thread, thread.app, controlhub)
    gadget.register()
    set_team_layout(finesse, "10", {"manageCustomer": [gadget.url + "/gadget.xml"]})
    yield Desktop(page, finesse, "1001").sign_in(), gadget
    gadget.thread.stop()
    finesse.stop()


def test_gadget_uses_the_sso_token_and_pops_the_caller(sso_desk, page, answer_call_in_gadget):
    """Every proxy call carries "Bearer <token>" (never Basic), and the known caller is shown."""
    agent, gadget = sso_desk
    sent = []
    page.on("request", lambda request: sent.append(request) if request.url.startswith(gadget.url + "/api/") else None)
    frame = agent.gadget_frame(gadget.url + "/gadget.xml")
    expect(frame.locator("#cc-app")).to_be_visible()
    frame.locator("#cc-app").evaluate("""async () => {
        await CC.api.createCustomer({fields: {Context_First_Name: "Lea", Context_Last_Name: "Vuk",
                                              Context_Mobile_Phone: "+385915550125"}});
    }""")

    answer_call_in_gadget(agent, gadget.url + "/gadget.xml", CALLER)

    expect(frame.locator("#cc-customer-name")).to_have_text("Lea Vuk")
    authorizations = {
        request.headers.get("authorization", "").split(" ")[0] for request in sent if request.method != "OPTIONS"
    }
    assert authorizations == {"Bearer"}
