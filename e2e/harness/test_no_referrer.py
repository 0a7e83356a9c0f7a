"""The gadget iframe's URL carries the Finesse prefs, the agent's ``authorization`` among them (issue #10: it
reached ``Referer`` headers): no request of the desktop or its gadget frames sends a ``Referer``."""

from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


def test_requests_from_the_gadget_frame_send_no_referer(page, desktop, finesse, test_gadget_server):
    """The gadget's scripts on Finesse, its files on the gadget server and its makeRequest calls: no Referer,
    so the prefs in the frame's URL go nowhere."""
    requests_seen = []
    page.on("requestfinished", lambda request: requests_seen.append(request))
    set_team_layout(finesse, "10", {"home": [test_gadget_server.spec_url]})
    agent = desktop("1001")
    expect(agent.gadget_frame(test_gadget_server.spec_url).locator("#agent-name")).to_have_text("Ana Horvat")
    from_gadget = [r for r in requests_seen if r.frame.url.startswith(finesse.url + "/gadgets/ifr")]
    assert len(from_gadget) >= 3, [r.url for r in requests_seen]
    sent = {r.url: r.all_headers().get("referer") for r in from_gadget}
    assert not any(sent.values()), sent
