"""Creates happen once: every create the gadget sends carries an Idempotency-Key (one per logical create), and
a create answered with an outage status is sent again with the same key (team convention for issue #9)."""

import re

import pytest
from playwright.sync_api import expect

from finesse_harness.handles import set_cs_faults

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
CREATES = re.compile(r"/api/v1/(customers|requests|activities|activities/[^/]+/comments)$")


def watch_creates(desk):
    """Every create POST the gadget sends: [(path, Idempotency-Key)], filled as they go out."""
    seen = []
    desk.page.on(
        "request",
        lambda r: (
            seen.append((re.sub(r"^.*?/api/v1", "", r.url), r.headers.get("idempotency-key")))
            if r.method == "POST" and CREATES.search(r.url)
            else None
        ),
    )
    return seen


def comment_typed(desk, api):
    """Ann Lee's call answered and "Called back" typed in New comment; (customer, creates seen from now on)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    seen = watch_creates(desk)
    desk.type(desk.field("comment"), "Called back")
    return ann, seen


def test_every_create_carries_its_own_idempotency_key(desk, api):
    """Create customer, record the call, Add request, Add comment: four creates, four distinct UUID keys."""
    desk.sign_in()
    seen = watch_creates(desk)
    desk.call("+385919998888")
    desk.button("Create").click()
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    desk.type(desk.field("comment"), "First contact")
    desk.locator("[data-action=add-comment]").click()
    expect(desk.stored_comments()).to_have_text(["First contact"])
    desk.button("Add request").click()
    desk.type(desk.field("Context_Title"), "Second problem")
    # Wait for the request itself: Playwright hands `seen` its request events only while a Playwright call waits
    # (a time.sleep loop never gets one that comes in after the key press returned: the CI flake).
    with desk.page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/api/v1/requests"), timeout=5000):
        desk.page.keyboard.press("Tab")
    expect(desk.requests()).to_have_count(2)

    paths = [path for path, _ in seen]
    assert paths[:2] == ["/customers", "/activities"] and "/requests" in paths
    assert any(path.endswith("/comments") for path in paths)
    keys = [key for _, key in seen]
    assert all(key and UUID.match(key) for key in keys), seen
    assert len(set(keys)) == len(keys)


@pytest.mark.allow_console_errors(r"status of 503")
def test_a_create_answered_with_an_outage_is_sent_again_with_the_same_key(desk, api):
    """The comment's POST meets a 503 (Context Service down); the gadget sends it again with the same key once
    the service is back, and the comment is stored once."""
    ann, seen = comment_typed(desk, api)
    set_cs_faults(desk.controlhub, errorRate=1.0, status=503)

    with desk.page.expect_response(lambda r: r.url.endswith("/comments") and r.status == 503):
        desk.locator("[data-action=add-comment]").click()
    set_cs_faults(desk.controlhub)

    expect(desk.stored_comments()).to_have_text(["Called back"])
    keys = [key for path, key in seen if path.endswith("/comments")]
    assert len(keys) >= 2 and len(set(keys)) == 1, seen
    activity = api.activities(ann["id"])[0]
    assert [c["text"] for c in api.call("GET", f"/activities/{activity['id']}")["comments"]] == ["Called back"]


@pytest.mark.allow_console_errors(r"status of 50[234]")
def test_a_comment_whose_answer_is_lost_after_the_write_is_stored_once(desk, api):
    """Context Service stores the comment but the answers are lost (502, the proxy's own retry too): the gadget
    sends it again with the same key, the proxy answers with the comment already made; one comment is stored."""
    ann, seen = comment_typed(desk, api)
    set_cs_faults(desk.controlhub, loseAnswers=2, status=502)

    desk.locator("[data-action=add-comment]").click()

    expect(desk.stored_comments()).to_have_text(["Called back"], timeout=15000)
    keys = [key for path, key in seen if path.endswith("/comments")]
    assert len(keys) >= 2 and len(set(keys)) == 1, seen
    activity = api.activities(ann["id"])[0]
    desk.eventually(
        lambda: [c["text"] for c in api.call("GET", f"/activities/{activity['id']}")["comments"]],
        lambda texts: texts == ["Called back"],
    )
