"""Activity tags: Tab or Enter creates a tag; more than 50 characters or a duplicate is refused; tags are removable."""

import pytest
from playwright.sync_api import expect


def open_activity(desk, api):
    """A stored customer with one activity, shown with that activity selected."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    return ann


def type_tag(desk, tag, key="Enter"):
    """Type a tag into the Add tag box and press Enter (or Tab)."""
    box = desk.frame.get_by_label("Add tag")
    box.fill(tag)
    box.press(key)


def stored_tags(api, customer_id):
    """The tags stored on the customer's newest activity."""
    return api.journey(customer_id)["requests"][0]["activities"][0]["tags"]


@pytest.mark.slow_cloud
def test_tab_and_enter_create_tags_that_are_stored(desk, api):
    """Typing a tag and pressing Enter, then another and Tab, stores both tags on the activity."""
    ann = open_activity(desk, api)

    type_tag(desk, "billing")
    expect(desk.locator(".cc-tag")).to_have_text(["billing×"])
    type_tag(desk, "urgent", key="Tab")

    expect(desk.locator(".cc-tag__text")).to_have_text(["billing", "urgent"])
    desk.eventually(lambda: sorted(stored_tags(api, ann["id"])), lambda tags: tags == ["billing", "urgent"])


def test_tag_longer_than_50_characters_is_refused_with_the_limit(desk, api):
    """A 51-character tag is not created; the message names the limit."""
    ann = open_activity(desk, api)

    type_tag(desk, "x" * 51)

    expect(desk.locator(".cc-tags-section [role=alert]")).to_have_text("Tags: at most 50 characters (51 entered).")
    expect(desk.locator(".cc-tag")).to_have_count(0)
    assert stored_tags(api, ann["id"]) == []


def test_duplicate_tag_is_refused_case_insensitively(desk, api):
    """A tag equal to an existing one (ignoring case and spaces) is refused and nothing changes."""
    ann = open_activity(desk, api)
    type_tag(desk, "VIP")
    expect(desk.locator(".cc-tag__text")).to_have_text(["VIP"])

    type_tag(desk, " vip ")

    expect(desk.locator(".cc-tags-section [role=alert]")).to_contain_text("is already a tag")
    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: tags == ["VIP"])


def test_removing_a_tag_stores_the_remaining_tags(desk, api):
    """The remove button of a tag deletes it from the activity."""
    ann = open_activity(desk, api)
    for tag in ("one", "two"):
        type_tag(desk, tag)
        expect(desk.locator(".cc-tag__text").filter(has_text=tag)).to_be_visible()

    desk.frame.get_by_role("button", name="Remove tag one").click()

    expect(desk.locator(".cc-tag__text")).to_have_text(["two"])
    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: tags == ["two"])


def type_tags_quickly(desk, tags):
    """Type each tag key by key at human speed and press Enter, without waiting for any save."""
    box = desk.frame.get_by_label("Add tag")
    box.click()
    for tag in tags:
        box.press_sequentially(tag, delay=60)
        box.press("Enter")


@pytest.mark.slow_cloud
def test_quick_successive_tags_at_200ms_all_land_whole(desk, api):
    """At 200 ms latency "fast1" Enter "fast2" Enter stores both tags whole (not "fast1" and "2")."""
    ann = open_activity(desk, api)
    desk.latency(200)

    type_tags_quickly(desk, ["fast1", "fast2", "fast3"])

    expect(desk.locator(".cc-tag__text")).to_have_text(["fast1", "fast2", "fast3"])
    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: len(tags) == 3, timeout=10)
    assert stored_tags(api, ann["id"]) == ["fast1", "fast2", "fast3"]


def test_two_quick_tags_at_600ms_raise_no_false_conflict(desk, api):
    """At 600 ms the second tag's write waits for the first and sends the lastUpdated it returned: no caution,
    both tags stored."""
    ann = open_activity(desk, api)
    desk.latency(600)

    type_tags_quickly(desk, ["one", "two"])

    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: len(tags) == 2, timeout=10)
    assert stored_tags(api, ann["id"]) == ["one", "two"]
    expect(desk.locator(".cc-tag__text")).to_have_text(["one", "two"])
    expect(desk.locator(".cc-caution")).to_have_count(0)


def test_removing_one_tag_while_adding_another_keeps_the_added_one(desk, api):
    """Tags are operations on the current activity: a removal queued behind an addition keeps the addition."""
    ann = open_activity(desk, api)
    type_tag(desk, "old")
    expect(desk.locator(".cc-tag__text")).to_have_text(["old"])
    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: tags == ["old"])
    desk.latency(400)

    type_tags_quickly(desk, ["new"])
    desk.frame.get_by_role("button", name="Remove tag old").click()

    expect(desk.locator(".cc-tag__text")).to_have_text(["new"])
    desk.eventually(lambda: stored_tags(api, ann["id"]), lambda tags: tags == ["new"], timeout=10)
