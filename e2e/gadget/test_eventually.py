"""The flow helpers' ``eventually`` keeps the page's event handlers running while it waits: Playwright's sync API
delivers ``page.on(...)`` events only while a Playwright call waits, so a ``time.sleep`` loop reading a list they
fill never sees an event that comes in after the loop began (the CI flake of test_creates_once)."""

import types

from e2e.gadget.conftest import Desk


def test_desk_eventually_sees_an_event_the_page_delivers_while_it_waits(page):
    """A console message logged 300 ms after the wait began reaches the handler's list before ``eventually``
    gives up (with the old ``time.sleep`` wait the list stayed empty for the whole timeout)."""
    desk = Desk(open_desktop=None, gadget=types.SimpleNamespace(url="http://127.0.0.1:9"), controlhub=None)
    desk.page = page
    logged = []
    page.on("console", lambda message: logged.append(message.text))
    page.set_content("<title>eventually</title>")
    page.evaluate("() => { setTimeout(() => console.log('late'), 300); }")

    assert desk.eventually(lambda: logged, lambda seen: "late" in seen, timeout=3) == ["late"]
