"""What a desktop load costs the browser: the desktop reads the agent's User and dialogs once per connection, and a
second sign-in in the same browser takes the desktop's own files from the HTTP cache (bench/bench_desktop_cpu.py
measures the CPU and requests)."""

import re

from playwright.sync_api import expect

from finesse_harness.desktop import Desktop

USER_PATH = re.compile(r"/finesse/api/User/1001$")
# A gadget's finesse.js asks the container for the connection status; the container answers on the status topic.
ASK_CONNECTION = (
    "finesseContainer.publish('finesse.info.requests', {type: 'ConnectionInfoReq', data: {}, invokeID: 'test'});"
    "fetch('/desktop/static/desktop.css?after-the-answer')"
)
OWN_FILES = ("/desktop/static/", "/desktop/assets/js/", "/gadgets/js/")
LOADED_FILES = (
    "performance.getEntriesByType('resource').filter(e => ['script', 'link'].includes(e.initiatorType))"
    ".map(e => [e.name, e.transferSize])"
)


def test_a_gadget_asking_for_the_connection_status_does_not_make_the_desktop_read_the_user_again(finesse, page):
    """The status repeated to a gadget (ConnectionInfoReq, after connected) is no new connection: no second read."""
    reads = []
    page.on("request", lambda request: reads.append(request.url) if USER_PATH.search(request.url) else None)
    Desktop(page, finesse, "1001").sign_in()
    expect(page.locator("#voice-state-label")).to_have_text("Not Ready")
    with page.expect_request(lambda request: "after-the-answer" in request.url):
        page.evaluate(ASK_CONNECTION)  # a re-read would be requested before this marker
    assert len(reads) == 1, reads


def test_signing_in_again_in_the_same_browser_takes_the_desktops_own_files_from_the_cache(desktop):
    """Signed out and in again: every script and stylesheet of the desktop comes from the browser's cache (no
    request at all, not even a revalidation: transferSize 0)."""
    agent = desktop("1001")
    agent.page.click("#sign-out")
    expect(agent.page).to_have_url(re.compile(r"/desktop/signin"))
    agent.sign_in()
    own = [(url, size) for url, size in agent.page.evaluate(LOADED_FILES) if any(p in url for p in OWN_FILES)]
    assert len(own) >= 5, own  # the stylesheet, jQuery, the container API, finesse.js, the desktop bundle
    assert [url for url, size in own if size] == []
