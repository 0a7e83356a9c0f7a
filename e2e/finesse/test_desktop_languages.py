"""The mock desktop's call control speaks the agent's language: dialog states are words, not Finesse's codes."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize(
    "locale, ringing, active, wrap_up",
    [
        ("en_US", "Ringing", "Active", "Wrap-Up"),
        ("hr_HR", "Zvoni", "Aktivno", "Završna obrada"),
        ("sr_RS", "Zvoni", "Aktivno", "Završna obrada"),
    ],
)
def test_call_states_are_shown_in_the_agent_language(desktop, locale, ringing, active, wrap_up):
    """ALERTING, ACTIVE and WRAP_UP are shown as words of the agent's language; data-state keeps the code."""
    agent = desktop("1001", locale)
    dialog = agent.offer_call("+385917654321")
    call = agent.page.locator(".dialog-call")
    expect(call.locator(".dialog-state")).to_have_text(ringing)
    expect(call).to_have_attribute("data-state", "ALERTING")
    agent.dialog_action(dialog["id"], "ANSWER")
    expect(call.locator(".dialog-state")).to_have_text(active)
    agent.dialog_action(dialog["id"], "DROP")
    expect(call.locator(".dialog-state")).to_have_text(wrap_up)
