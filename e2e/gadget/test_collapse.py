"""Closed requests collapse; the agent's expand/collapse choices are remembered per agent (localStorage
``cc.collapsed.<agentId>``, kept over reloads, cleared at sign-out like the agent's other entries).

Issue #13: closed requests could not be collapsed, so the daily work sat below the fold.
"""

import re

from playwright.sync_api import expect

from e2e.gadget.test_notices import ann_with_a_closed_and_an_open_request
from e2e.gadget.test_sign_out import agent_keys


def test_closed_requests_start_collapsed_and_the_agents_choices_survive_a_reload_until_sign_out(desk, api):
    """The closed request is collapsed (its call hidden), the open one expanded; the agent expands the closed
    one and collapses the open one; after a reload both are as the agent left them; sign-out removes them."""
    ann, closed, chat = ann_with_a_closed_and_an_open_request(api, desk)
    open_request = next(r for r in api.journey(ann["id"])["requests"] if r["id"] != closed["id"])
    old_call = closed["activities"][0]
    desk.sign_in()
    desk.open_customer("Ann")
    closed_row = desk.locator(f"[data-request-id='{closed['id']}']")
    open_row = desk.locator(f"[data-request-id='{open_request['id']}']")
    expect(closed_row).to_have_attribute("aria-expanded", "false")
    expect(desk.locator(f"[data-activity-id='{old_call['id']}']")).to_be_hidden()
    expect(open_row).to_have_attribute("aria-expanded", "true")
    expect(desk.locator(f"[data-activity-id='{chat['id']}']")).to_be_visible()

    closed_row.locator(".cc-request__toggle").click()
    open_row.locator(".cc-request__toggle").click()
    expect(desk.locator(f"[data-activity-id='{old_call['id']}']")).to_be_visible()
    expect(desk.locator(f"[data-activity-id='{chat['id']}']")).to_be_hidden()

    desk.reload()
    expect(closed_row).to_have_attribute("aria-expanded", "true")
    expect(open_row).to_have_attribute("aria-expanded", "false")
    assert "cc.collapsed.1001" in agent_keys(desk.page, "1001")

    desk.desktop.rest("PUT", "/User/1001", "<User><state>NOT_READY</state></User>")
    desk.desktop.rest("PUT", "/User/1001", "<User><state>LOGOUT</state></User>")
    expect(desk.page).to_have_url(re.compile(r"/desktop/signin"))
    desk.eventually(lambda: agent_keys(desk.page, "1001"), lambda keys: "cc.collapsed.1001" not in keys)
