"""Both transports in the mock desktop: the gadget reaches the proxy by fetch + CORS, or through Finesse's
Shindig proxy (gadgets.io.makeRequest) when its layout entry asks for ``?transport=makeRequest``."""

from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout

TEAM_ID = "10"  # agent 1001's team in the mock Finesse
CALLER = "+385915550123"


@pytest.mark.parametrize("transport", ["direct", "makeRequest"])
def test_known_caller_is_shown_through_each_transport(
    transport, gadget, finesse, desktop, page, store_caller, answer_call_in_gadget
):
    """A call from a stored customer's phone shows that customer; the browser used only the chosen path."""
    store_caller("Vesna", "Marić", CALLER)
    spec_url = gadget.url + "/gadget.xml" + ("?transport=makeRequest" if transport == "makeRequest" else "")
    set_team_layout(finesse, TEAM_ID, {"manageCustomer": [spec_url]})
    seen = []
    page.on("request", lambda request: seen.append((request.url, request.post_data or "")))

    frame = answer_call_in_gadget(desktop("1001"), spec_url, CALLER)

    expect(frame.locator("#cc-customer-name")).to_contain_text("Vesna Marić")
    direct_calls = [url for url, _ in seen if url.startswith(gadget.url + "/api/")]
    # finesse.js reaches Finesse's own REST API through makeRequest too; count only relays to the proxy.
    relayed = [
        url
        for url, form in seen
        if url.startswith(finesse.url + "/gadgets/makeRequest")
        and parse_qs(form).get("url", [""])[0].startswith(gadget.url + "/api/")
    ]
    if transport == "direct":
        assert direct_calls and not relayed
    else:
        assert relayed and not direct_calls
