"""The ``desktop`` fixture opens the desktop signed in over the page's own HTTP (``Desktop.open_signed_in``)
instead of drawing the sign-in form: the desktop a test gets must be the one the form gives, down to the agent's
state, the session cookie, the page's storage, the gadgets and the notifications that reach it."""

import json
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.errors import HarnessError
from finesse_harness.handles import FinesseServer, GadgetServer

TEAM_ID = "10"
CALLER = "+385911234567"


def signed_in_desktop(desktop: Desktop) -> dict[str, Any]:
    """What a signed-in desktop is, as a test could see it: page, cookies, storage, chrome, gadgets, agent."""
    page = desktop.page
    expect(page.locator("iframe.gadget-frame").first).to_be_attached()
    agent = next(a for a in desktop.control("GET", "/state")["agents"] if a["id"] == desktop.agent_id)
    return {
        "url": page.url,
        "cookies": sorted(
            (c["name"], c["domain"], c["path"], c["httpOnly"], c["secure"], c["sameSite"], c["expires"] == -1)
            for c in page.context.cookies()
        ),
        "window.finesseDesktop": json.loads(page.evaluate("() => JSON.stringify(window.finesseDesktop)")),
        "storage": page.evaluate("() => [Object.keys(sessionStorage).sort(), Object.keys(localStorage).sort()]"),
        "lang": page.locator("html").get_attribute("lang"),
        "header": [page.locator(s).inner_text() for s in ("#agent-name", "#voice-state-label")],
        "tabs": page.get_by_role("tab").all_inner_texts(),
        "gadgets": [f.get_attribute("src") for f in page.locator("iframe.gadget-frame").all()],
        "connection": page.locator("body").get_attribute("data-connection"),
        "agent": agent,
    }


def ringing_call(desktop: Desktop) -> tuple[str, bool]:
    """A call rings; what the desktop's call control shows of it, once the notification is there."""
    desktop.offer_call(CALLER)
    call = desktop.page.locator(".dialog-call")
    expect(call).to_have_attribute("data-state", "ALERTING")
    return call.locator(".dialog-state").inner_text(), CALLER in call.inner_text()


def gadget_started(desktop: Desktop, gadget: GadgetServer) -> bool:
    """The Customer Context gadget came up on the desktop (its app or its unavailable notice)."""
    frame = desktop.gadget_frame(gadget.url + "/gadget.xml")
    expect(frame.locator("#cc-app:visible, #cc-unavailable:visible")).to_have_count(1)
    return frame.locator("#cc-app").is_visible()


@pytest.mark.parametrize("locale", [None, "hr_HR"])
def test_a_desktop_opened_signed_in_is_the_one_the_sign_in_form_gives(
    gadget: GadgetServer, finesse: FinesseServer, page: Page, new_context: Any, locale: str | None
) -> None:
    """Signed in through the form, then (after a reset) over HTTP: the same page, session cookie, storage,
    language, chrome, gadgets and agent state, the same gadget started and the same call notification shown."""
    seen = []
    for way in ("form", "http"):
        finesse.reset()
        set_team_layout(finesse, TEAM_ID, {"manageCustomer": [gadget.url + "/gadget.xml"]})
        context: BrowserContext = page.context if way == "form" else new_context()
        agent = Desktop(page if way == "form" else context.new_page(), finesse, "1001")
        desktop = agent.sign_in(locale) if way == "form" else agent.open_signed_in(locale)
        started, call = gadget_started(desktop, gadget), ringing_call(desktop)
        seen.append({**signed_in_desktop(desktop), "gadget": started, "call": call})
        context.close()
    form, http = seen
    assert {k: http[k] for k in form if http[k] != form[k]} == {}, {k: form[k] for k in form if http[k] != form[k]}


def test_opening_signed_in_with_a_wrong_password_fails_naming_the_agent_and_the_status(
    finesse: FinesseServer, page: Page
) -> None:
    """The form's answer to a refused sign-in (401, not the desktop) is the harness's own error naming what was
    expected and what came (an explicit check: it holds under ``python -O`` too), not a desktop page."""
    agent = Desktop(page, finesse, "1001")
    agent.password = "wrong"
    with pytest.raises(HarnessError, match=r"as 1001: expected HTTP 302 \(to the desktop\), got HTTP 401"):
        agent.open_signed_in()


def test_opening_signed_in_where_the_agent_is_signed_in_already_fails_at_the_sign_in_page(
    finesse: FinesseServer, page: Page
) -> None:
    """A second ``open_signed_in`` in the same context meets the sign-in page's redirect to the desktop: a clear
    error naming it, not a post of the desktop's other forms."""
    agent = Desktop(page, finesse, "1001").open_signed_in()
    with pytest.raises(HarnessError, match=r"GET .*/desktop/signin: expected HTTP 200 .*, got HTTP 302 .*/desktop/"):
        agent.open_signed_in()
