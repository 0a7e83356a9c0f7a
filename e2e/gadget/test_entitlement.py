"""An organization without the Context Service entitlement gets a plain "not available" and nothing to click."""

from playwright.sync_api import expect

from mock_controlhub import get_backend
from mock_controlhub.identity import models as identity


def test_entitlement_off_says_not_available_and_offers_nothing(desk, controlhub, gadget):
    """With the entitlement off the gadget shows the reason and no panes, search or buttons."""
    identity.set_entitlement(get_backend(controlhub.app), False)
    gadget.reset()

    desk.sign_in()

    expect(desk.locator("#cc-unavailable")).to_have_text(
        "Customer Context is not available: your organization is not entitled to Context Service."
    )
    expect(desk.locator("#cc-app")).to_be_hidden()
    expect(desk.frame.get_by_role("button")).to_have_count(0)
