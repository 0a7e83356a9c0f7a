"""Move activity to another customer (picked from Open), confirmed; the target is shown; Undo brings it back."""

from playwright.sync_api import expect


def ann_with_her_call_and_bob_open(desk, api):
    """Ann (her call selected) and Bob are both in Open; returns (ann, bob, call)."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    bob = api.customer(Context_First_Name="Bob", Context_Last_Name="Ross")
    call = api.activity(ann["id"], "voice", phone="+385911112222")
    desk.sign_in()
    desk.open_customer("Bob")
    desk.open_customer("Ann")
    desk.locator(f"[data-activity-id='{call['id']}'] .cc-activity__open").click()
    return ann, bob, call


def test_activity_moves_to_another_customer_and_undo_moves_it_back(desk, api):
    """Ann's call goes to Bob after confirming; Bob is shown with it; Undo returns it to Ann and shows Ann."""
    ann, bob, call = ann_with_her_call_and_bob_open(desk, api)

    desk.button("Move activity").click()
    desk.dialog().get_by_role("button", name="Bob Ross").click()
    expect(desk.dialog()).to_contain_text("Move this activity to Bob Ross?")
    desk.dialog().get_by_role("button", name="Move").click()

    expect(desk.customer_header()).to_have_text("Bob Ross")
    expect(desk.activities()).to_have_count(1)
    assert api.activity_ids(bob["id"]) == [call["id"]]
    assert api.activity_ids(ann["id"]) == []

    desk.locator("#cc-notice").get_by_role("button", name="Undo").click()

    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.activities()).to_have_count(1)
    assert api.activity_ids(ann["id"]) == [call["id"]]
    assert api.activity_ids(bob["id"]) == []


def test_cancelling_the_confirmation_moves_nothing(desk, api):
    """Cancel in the confirmation leaves the activity with its customer."""
    ann, _, call = ann_with_her_call_and_bob_open(desk, api)

    desk.button("Move activity").click()
    desk.dialog().get_by_role("button", name="Bob Ross").click()
    desk.dialog().get_by_role("button", name="Cancel").click()

    expect(desk.dialog()).to_have_count(0)
    expect(desk.customer_header()).to_have_text("Ann Lee")
    assert api.activity_ids(ann["id"]) == [call["id"]]


def test_an_undone_move_leaves_no_empty_request_in_view_and_the_next_move_reuses_it(desk, api):
    """Move to Bob, Undo: Bob's journey shows no empty request (the one the move made is kept, not shown); move to
    Bob again: the call goes into that request, so Bob has one request, not a second one."""
    ann, bob, call = ann_with_her_call_and_bob_open(desk, api)

    def move_to_bob():
        desk.button("Move activity").click()
        desk.dialog().get_by_role("button", name="Bob Ross").click()
        desk.dialog().get_by_role("button", name="Move").click()
        expect(desk.customer_header()).to_have_text("Bob Ross")

    move_to_bob()
    left = api.journey(bob["id"])["requests"][0]["id"]
    desk.locator("#cc-notice").get_by_role("button", name="Undo").click()
    expect(desk.customer_header()).to_have_text("Ann Lee")
    assert api.journey(bob["id"])["requests"] == []
    desk.open_customer("Bob")
    expect(desk.requests()).to_have_count(0)
    desk.open_customer("Ann")
    desk.locator(f"[data-activity-id='{call['id']}'] .cc-activity__open").click()
    move_to_bob()

    requests = desk.eventually(lambda: api.journey(bob["id"])["requests"], lambda found: found[0]["activities"])
    assert [r["id"] for r in requests] == [left]
    assert [a["id"] for a in requests[0]["activities"]] == [call["id"]]
