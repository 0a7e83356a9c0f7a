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


def ann_with_a_commented_call(api):
    """Ann (mobile PHONE) with one past call that has a comment; returns (Ann, that activity)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    past = api.activity(ann["id"], "email", email="ann@example.com")
    api.call("POST", f"/activities/{past['id']}/comments", {"text": "Asked for a callback"})
    return ann, past


def open_activity(desk, activity_id):
    """Select an activity of the journey (its details open beside it)."""
    desk.locator(f"#cc-journey [data-activity-id='{activity_id}'] .cc-activity__open").click()


def hold(desk, pattern, method="GET", fetch=False):
    """Hold back the gadget's requests to ``pattern`` (of ``method``; others go on): a list of (route, response),
    the response read at once when ``fetch`` (the answer of that moment, given later), else None (sent later)."""
    held = []

    def handler(route):
        if route.request.method != method:
            route.continue_()
        else:
            held.append((route, route.fetch() if fetch else None))

    desk.page.route(pattern, handler)
    return held


def release(held):
    """Let every held request go on (a fetched one gets the answer read when it was held)."""
    assert held, "the request was never sent"
    for route, response in held:
        if response is None:
            route.continue_()
        else:
            route.fulfill(response=response)


def add_comment(desk, text):
    """Type a comment into the open activity's New comment box at human speed and add it."""
    desk.type(desk.field("comment"), text)
    desk.locator("[data-action=add-comment]").click()


def test_journey_is_shown_while_its_comments_are_still_read_and_they_follow(desk, api):
    """The comments read held back: the answered call shows Ann, her past activity and the stored call at once;
    the past activity's details say its comments are loading (not that it has none), then show the comment."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()
    held = hold(desk, "**/api/v1/comments*")

    with desk.page.expect_request("**/api/v1/comments*"):
        desk.call(PHONE)

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.activities()).to_have_count(2)
    open_activity(desk, past["id"])
    details = desk.locator("#cc-details")
    expect(details).to_contain_text("Loading comments…")
    expect(details).not_to_contain_text("No comments yet")
    release(held)
    expect(desk.stored_comments()).to_have_text(["Asked for a callback"])
    expect(details).not_to_contain_text("Loading comments…")


def test_ringing_call_reads_its_journeys_comments_before_it_is_answered(desk, api):
    """The screen pop answered while the call still rings: once it has rung the auto-answer grace, the comments
    are read during the ring (not after Answer, where they would compete with the record); nothing is shown until
    Answer, then the comment is."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()

    with desk.page.expect_request("**/api/v1/comments*"):
        dialog = desk.desktop.offer_call(PHONE)
    expect(desk.customer_header()).to_have_count(0)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    open_activity(desk, past["id"])
    expect(desk.stored_comments()).to_have_text(["Asked for a callback"])


def test_call_answered_before_it_has_rung_the_grace_reads_its_journeys_comments_after_its_record(desk, api):
    """The screen pop answered while the call rings, and the call answered before it has rung the gadget's
    ``autoAnswerGraceMs`` (as Finesse's auto-answer does, ~100 ms after ALERTING): the comments are read only once
    the record has answered, so the two never compete; then the call is stored and the comment shown."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()
    desk.frame.locator("html").evaluate("() => { CC.actions.screenPop.autoAnswerGraceMs = 10000; }")  # any machine
    seen = []
    desk.page.on("request", lambda r: seen.append(("sent", r.method, r.url)))
    desk.page.on("requestfinished", lambda r: seen.append(("answered", r.method, r.url)))

    with desk.page.expect_response("**/api/v1/screen-pop*"):
        dialog = desk.desktop.offer_call(PHONE)
    desk.desktop.dialog_action(dialog["id"], "ANSWER")

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    open_activity(desk, past["id"])
    expect(desk.stored_comments()).to_have_text(["Asked for a callback"])
    comments = next(i for i, e in enumerate(seen) if e[0] == "sent" and "/api/v1/comments" in e[2])
    record = next(
        i for i, e in enumerate(seen) if e[:2] == ("answered", "POST") and e[2].endswith("/api/v1/activities")
    )
    assert record < comments, seen


def test_comment_added_before_the_comments_are_read_keeps_the_stored_ones(desk, api):
    """Answered before its screen pop answers (the record first, the comments after it): the record held back,
    the agent adds "Noted" to the past activity while its comments are loading; once they are read the details
    show both, the stored one too (the added comment does not make the activity look read)."""
    _, past = ann_with_a_commented_call(api)
    desk.sign_in()
    screen_pop = hold(desk, "**/api/v1/screen-pop", method="POST")
    records = hold(desk, "**/api/v1/screen-pop/record", method="POST")  # the record sent at the hand-over
    with desk.page.expect_request("**/api/v1/screen-pop"):
        dialog = desk.desktop.offer_call(PHONE)
    with desk.page.expect_request("**/api/v1/screen-pop/record"):  # the gadget has seen the call answered
        desk.desktop.dialog_action(dialog["id"], "ANSWER")
    release(screen_pop)

    expect(desk.customer_header()).to_have_text("Ann Lee")
    open_activity(desk, past["id"])
    expect(desk.locator("#cc-details")).to_contain_text("Loading comments…")
    add_comment(desk, "Noted")
    expect(desk.stored_comments()).to_have_text(["Noted"])
    release(records)

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")  # the stored call
    open_activity(desk, past["id"])
    expect(desk.locator("#cc-details")).not_to_contain_text("Loading comments…")
    expect(desk.stored_comments()).to_have_text(["Noted", "Asked for a callback"])


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
    held = hold(desk, f"**/api/v1/customers/{ann['id']}/journey*")

    with desk.page.expect_request(f"**/api/v1/customers/{ann['id']}/journey*"):
        desk.call(PHONE)

    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.activities()).to_have_count(3)  # the two newest past ones and the call
    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_text("Loading older activities…")
    expect(desk.locator("#cc-journey .cc-request__count")).to_have_count(0)
    assert len(held) == 1
    release(held)
    expect(desk.activities()).to_have_count(4)
    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_count(0)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.locator("#cc-journey .cc-request__count").first).to_have_text("Activities: 4")


def test_whole_journey_read_keeps_a_comment_added_meanwhile(desk, api, monkeypatch):
    """More activities than one read returns: the agent adds "Noted" to the newest past activity while the whole
    journey is read (its answer taken before "Noted" was stored): the details then show the stored comment and
    "Noted", the comment not lost to the older read."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    for _ in range(2):
        api.activity(ann["id"], "chat", email="ann@example.com")
    past = api.activity(ann["id"], "email", email="ann@example.com")
    api.call("POST", f"/activities/{past['id']}/comments", {"text": "Asked for a callback"})
    monkeypatch.setattr(journey, "ACTIVITIES_PER_JOURNEY", 2)
    desk.sign_in()
    whole = f"**/api/v1/customers/{ann['id']}/journey*"
    held = hold(desk, whole, fetch=True)

    with desk.page.expect_request(whole):
        desk.call(PHONE)
    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_text("Loading older activities…")
    open_activity(desk, past["id"])
    add_comment(desk, "Noted")
    expect(desk.stored_comments()).to_contain_text(["Noted"])
    release(held)

    expect(desk.locator("#cc-journey .cc-journey-older")).to_have_count(0)
    expect(desk.activities()).to_have_count(4)
    expect(desk.stored_comments()).to_have_text(["Noted", "Asked for a callback"])
