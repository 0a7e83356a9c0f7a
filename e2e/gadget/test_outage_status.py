"""The gadget's outage mode follows /api/v1/status, which reflects Context Service's object API: a gadget that
starts while customers, requests and activities cannot be used says so at once, before the agent loses work."""

import pytest
from playwright.sync_api import expect


@pytest.mark.allow_console_errors(r"status of 50[0234]")
def test_gadget_started_while_the_object_api_fails_opens_in_outage_mode_and_leaves_it_after_recovery(desk):
    """Every /context/v1 call failing (the dictionary still answering, as in the measured defect, where status
    said available): the gadget starts with the outage notice; once Context Service is back the notice goes."""
    desk.cloud("POST", "/faults", {"errorRate": 1.0, "status": 500})
    desk.sign_in()

    expect(desk.locator("#cc-app")).to_be_visible()
    expect(desk.locator("#cc-notice")).to_contain_text("Context Service is unavailable")

    desk.cloud("POST", "/faults", {})
    expect(desk.locator("#cc-notice")).not_to_contain_text("Context Service is unavailable", timeout=15000)
