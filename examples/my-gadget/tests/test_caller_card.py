"""The caller card in the mock Finesse desktop: the fixtures come from the installed harness plugin."""

import pathlib
import shutil

import pytest
from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout

GADGET = pathlib.Path(__file__).resolve().parent.parent / "gadget"
SPEC = "/3rdpartygadget/files/CallerCard/CallerCard.xml"
TEAM = "10"  # agent 1001's team in the mock Finesse


@pytest.fixture()
def caller_card(finesse):
    """The gadget dropped into the mock Finesse's 3rdpartygadget folder, on the Home tab of the team's layout."""
    shutil.copytree(GADGET, finesse.gadget_dir / "CallerCard", dirs_exist_ok=True)
    set_team_layout(finesse, TEAM, {"home": [SPEC]})
    return SPEC


def open_card(desktop, spec):
    """Agent 1001 signed in, once the card has loaded the agent's dialogs (a call offered before would be
    reported by that first load, not as a new dialog); the card's FrameLocator."""
    agent = desktop("1001")
    card = agent.gadget_frame(spec)
    expect(card.locator("body")).to_have_attribute("data-ready", "true")
    return agent, card


def test_the_card_shows_the_caller_while_the_call_rings(desktop, caller_card):
    agent, card = open_card(desktop, caller_card)
    expect(card.locator("#state")).to_have_text("no call")
    agent.offer_call("+385911112222")
    expect(card.locator("#caller")).to_have_text("+385911112222")
    expect(card.locator("#state")).to_have_text("ALERTING")


def test_the_card_follows_the_call_once_the_agent_answers(desktop, caller_card):
    agent, card = open_card(desktop, caller_card)
    call = agent.offer_call("+385917654321")
    expect(card.locator("#state")).to_have_text("ALERTING")
    agent.dialog_action(call["id"], "ANSWER")
    expect(card.locator("#state")).to_have_text("ACTIVE")
