"""The journey on screen before its comments (issue #14 item 2): the screen pop answers right after the journey's
searches, without comments; the gadget reads them (``GET /comments``) once the call is stored. An activity whose
comments are not read yet says so ("Loading comments…", never "No comments yet"); a failed read is a retryable
state; a journey of more activities than one read returns shows the newest at once, says older ones are coming
(no request count that could be short) and is completed with the rest."""

import pytest
from playwright.sync_api import expect

from finesse_harness.handles import set_cs_faults
from gadget_plugin import journey

PHONE = "+385911112222"
COMMENTS_LATE_MS = 1500  # every comment search this late (within the proxy's time budget): the journey comes first


def ann_with_a_commented_call(api):
    """Ann (mobile PHONE) with one past call that has a comment; returns (Ann, that activity)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    past = api.activity(ann["id"], "email", email="ann@example.com")
    api.call("POST", f"/activities/{past['id']}/comments", {"text": "Asked for a callback"})
    return ann, past


def open_activity(desk, activity_id):
    """Select an activity of the journey (its details open beside it)."""
    desk.locator(f"#cc-journey [data-activity-id='{activity_id}'] .cc-activity__open").click()


def test_journey_is_shown_while_its_comments_are_still_read_and_they_follow(desk, api):
    """Comment searches 3 s late: the answered call shows Ann, her past activity and the stored call at once; the
    past activity's details say its comments are loading (not that it has none), then show the comment."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()
    set_cs_faults(desk.controlhub, latencyMs=COMMENTS_LATE_MS, only="GET detail")

    desk.call(PHONE)

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice", timeout=2000)
    expect(desk.activities()).to_have_count(2)
    open_activity(desk, past["id"])
    details = desk.locator("#cc-details")
    expect(details).to_contain_text("Loading comments…")
    expect(details).not_to_contain_text("No comments yet")
    expect(desk.stored_comments()).to_have_text(["Asked for a callback"], timeout=COMMENTS_LATE_MS + 5000)
    expect(details).not_to_contain_text("Loading comments…")


@pytest.mark.allow_console_errors(r"status of 50[23]")
def test_comments_that_cannot_be_read_offer_a_retry_that_reads_them(desk, api):
    """Every comment search fails: the past activity's details say its comments could not be loaded, with Try
    again; once Context Service answers again, Try again shows them."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()
    set_cs_faults(desk.controlhub, errorRate=1.0, status=503, only="GET detail")

    desk.call(PHONE)

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    open_activity(desk, past["id"])
    failed = desk.locator("#cc-details .cc-comments-failed")
    expect(failed).to_contain_text("The comments could not be loaded.", timeout=15000)
    set_cs_faults(desk.controlhub)
    failed.get_by_role("button", name="Try again").click()
    expect(desk.stored_comments()).to_have_text(["Asked for a callback"])
    expect(desk.locator("#cc-details .cc-comments-failed")).to_have_count(0)


def test_long_journey_shows_its_newest_activities_at_once_and_then_all(desk, api, monkeypatch):
    """More activities than one read returns (here: 2): the newest are on screen with the stored call and a
    "loading older activities" line and no request counts; the whole journey (held back here) then replaces it,
    the stored call kept and selected, the counts back."""
    ann, _ = ann_with_a_commented_call(api)
    for _ in range(2):
        api.activity(ann["id"], "chat", email="ann@example.com")
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 2)
    desk.sign_in()
    held = []
    desk.page.route(f"**/api/v1/customers/{ann['id']}/journey*", lambda route: held.append(route))

    desk.call(PHONE)

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.activities()).to_have_count(3)  # the two newest past ones and the call
    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_text("Loading older activities…")
    expect(desk.locator("#cc-journey .cc-request__count")).to_have_count(0)
    for _ in range(100):  # the route's handler runs while Playwright waits, not in a sleep
        if held:
            break
        desk.page.wait_for_timeout(100)
    assert len(held) == 1
    held[0].continue_()
    expect(desk.activities()).to_have_count(4)
    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_count(0)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.locator("#cc-journey .cc-request__count").first).to_have_text("Activities: 4")
