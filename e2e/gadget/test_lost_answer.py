"""A create whose answer is lost after Context Service stored it (the mock's ``loseAnswers`` fault: the write is
kept, the answer becomes a 503) is sent again by the gadget with the same Idempotency-Key, and the proxy
answers it with the object already stored: the agent sees one comment, one customer, and so does Context
Service (issue #9 item 5, end to end)."""

import pytest
from playwright.sync_api import expect

from finesse_harness.handles import set_cs_faults


@pytest.mark.allow_console_errors(r"status of 503")
def test_a_comment_whose_answer_was_lost_is_stored_and_shown_once(desk, api):
    """Add comment: stored, answer lost (503); the gadget's retry with the same key gets it back, once."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    desk.type(desk.field("comment"), "Called back")
    set_cs_faults(desk.controlhub, loseAnswers=1, status=503)
    with desk.page.expect_response(lambda r: r.url.endswith("/comments") and r.status == 503):
        desk.locator("[data-action=add-comment]").click()

    expect(desk.locator(".cc-comment__text")).to_have_text(["Called back"])
    activity = api.activities(ann["id"])[0]
    assert [c["text"] for c in api.call("GET", f"/activities/{activity['id']}")["comments"]] == ["Called back"]


@pytest.mark.allow_console_errors(r"status of 503")
def test_a_new_customer_whose_answer_was_lost_is_created_once(desk, api):
    """Create for an unknown caller: stored, answer lost (503); the retry gives the same customer, and a
    look-up of the number finds exactly one."""
    desk.sign_in()
    desk.call("+385919998888")
    set_cs_faults(desk.controlhub, loseAnswers=1, status=503)
    with desk.page.expect_response(lambda r: r.url.endswith("/api/v1/customers") and r.status == 503):
        desk.button("Create").click()

    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    assert api.call("GET", "/customers/lookup?phone=%2B385919998888")["count"] == 1
