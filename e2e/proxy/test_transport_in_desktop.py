"""Both transports in the mock desktop: the gadget reaches the proxy by fetch + CORS, or through Finesse's
Shindig proxy (gadgets.io.makeRequest) when its layout entry asks for ``?transport=makeRequest``."""
import base64
from urllib.parse import parse_qs

import pytest
import requests
from playwright.sync_api import expect

from e2e.fixtures import set_team_layout

TEAM_ID = "10"  # agent 1001's team in the mock Finesse
CALLER = "+385915550123"


@pytest.mark.parametrize("transport", ["direct", "makeRequest"])
def test_known_caller_is_shown_through_each_transport(transport, gadget, finesse, desktop, page):
    """A call from a stored customer's phone shows that customer; the browser used only the chosen path."""
    auth = "Basic " + base64.b64encode(b"1001:demo1001").decode()
    requests.post(gadget.url + "/api/v1/customers", headers={"Authorization": auth}, timeout=10, json={
        "fields": {"Context_First_Name": "Vesna", "Context_Last_Name": "Marić", "Context_Mobile_Phone": CALLER}}
    ).raise_for_status()
    spec_url = gadget.url + "/gadget.xml" + ("?transport=makeRequest" if transport == "makeRequest" else "")
    set_team_layout(finesse, TEAM_ID, {"manageCustomer": [spec_url]})
    seen = []
    page.on("request", lambda request: seen.append((request.url, request.post_data or "")))

    agent = desktop("1001")
    frame = agent.gadget_frame(spec_url)
    expect(frame.locator("#cc-app")).to_be_visible()
    dialog = agent.offer_call(CALLER)
    agent.dialog_action(dialog["id"], "ANSWER")

    expect(frame.locator("#cc-customer-name")).to_contain_text("Vesna Marić")
    direct_calls = [url for url, _ in seen if url.startswith(gadget.url + "/api/")]
    # finesse.js reaches Finesse's own REST API through makeRequest too; count only relays to the proxy.
    relayed = [url for url, form in seen if url.startswith(finesse.url + "/gadgets/makeRequest")
               and parse_qs(form).get("url", [""])[0].startswith(gadget.url + "/api/")]
    if transport == "direct":
        assert direct_calls and not relayed
    else:
        assert relayed and not direct_calls
