"""Two agents change the same object: the caution names who changed what and when; Load shows their value in the
field with the agent's unsaved text beside it (keep mine / take theirs); nobody's work is lost or silently
overwritten. Agent 1002's change goes through the proxy API as their gadget would send it."""

import pytest
from playwright.sync_api import expect

CONFLICT = pytest.mark.allow_console_errors(r"status of 409")


def shown_call(desk, api):
    """Ann Lee calls 1001, whose gadget shows the new activity; returns (customer, activity)."""
    ann = api.customer(
        Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222", Context_City="Zagreb"
    )
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    return ann, api.activities(ann["id"])[0]


def marko(desk):
    """Agent 1002's proxy API."""
    return desk.api_as("1002")


def marko_sets(desk, path, fields, current=None):
    """1002 stores ``fields`` on the object at ``path`` (``current``: its version, else read with a GET)."""
    current = current or marko(desk).call("GET", path)
    return marko(desk).call("PUT", path, {"fields": fields, "lastUpdated": current["lastUpdated"]})


def open_request(desk, api, ann):
    """Select Ann's request in 1001's gadget; the request as stored."""
    request = api.journey(ann["id"])["requests"][0]
    desk.locator(".cc-request__title").first.click()
    expect(desk.locator("#cc-details h3")).to_have_text("Request details")
    return request


def request_fields(api, customer_id):
    """Fields of the customer's (only) request as stored."""
    return api.journey(customer_id)["requests"][0]["fields"]


def conflicting_description(desk, api):
    """1002 stores a Description; 1001 (on the old version) types another and leaves the field → caution."""
    ann, _ = shown_call(desk, api)
    request = open_request(desk, api, ann)
    marko_sets(desk, f"/requests/{request['id']}", {"Context_Description": "Set by Marko"}, request)
    desk.type(desk.field("Context_Description"), "My notes")
    desk.field("Context_Title").click()
    return ann


@CONFLICT
def test_request_caution_names_what_changed_and_load_shows_theirs_with_mine_beside(desk, api):
    """The caution says Description was changed and when; after Load the field shows Marko's text and 1001's
    unsaved text is shown beside it, not saved over theirs."""
    ann = conflicting_description(desk, api)

    caution = desk.locator("#cc-details .cc-caution")
    expect(caution).to_contain_text("changed Description at")
    caution.get_by_role("button", name="Load").click()

    expect(desk.field("Context_Description")).to_have_value("Set by Marko")
    expect(desk.locator("#cc-details [data-mine='Context_Description']")).to_contain_text("My notes")
    assert request_fields(api, ann["id"])["Context_Description"] == "Set by Marko"


@CONFLICT
def test_request_conflict_keep_mine_stores_my_text_on_their_version(desk, api):
    """Load → Keep mine: 1001's text is stored over the version 1001 has now seen."""
    ann = conflicting_description(desk, api)
    desk.locator("#cc-details .cc-caution").get_by_role("button", name="Load").click()

    desk.locator("#cc-details [data-mine='Context_Description']").get_by_role("button", name="Keep mine").click()

    desk.eventually(lambda: request_fields(api, ann["id"]), lambda f: f.get("Context_Description") == "My notes")
    expect(desk.field("Context_Description")).to_have_value("My notes")
    expect(desk.save_state("Context_Description")).to_have_text("Saved")


@CONFLICT
def test_request_conflict_take_theirs_keeps_their_text_and_drops_mine(desk, api):
    """Load → Take theirs: Marko's text stays stored and shown; 1001's draft is gone (nothing left unsaved)."""
    ann = conflicting_description(desk, api)
    desk.locator("#cc-details .cc-caution").get_by_role("button", name="Load").click()

    desk.locator("#cc-details [data-mine='Context_Description']").get_by_role("button", name="Take theirs").click()

    expect(desk.locator("#cc-details [data-mine]")).to_have_count(0)
    expect(desk.field("Context_Description")).to_have_value("Set by Marko")
    desk.reload()
    desk.locator(".cc-request__title").first.click()
    expect(desk.field("Context_Description")).to_have_value("Set by Marko")
    assert request_fields(api, ann["id"])["Context_Description"] == "Set by Marko"


@CONFLICT
def test_activity_conflict_names_the_agent_and_keep_mine_stores_my_notes(desk, api):
    """1002 changed the activity's Notes first: the caution names 1002; Load shows their notes with mine beside;
    Keep mine stores mine."""
    _, activity = shown_call(desk, api)
    path = f"/activities/{activity['id']}"
    marko_sets(desk, path, {"Context_Notes": "Marko's notes"})
    desk.type(desk.field("Context_Notes"), "My notes")
    desk.frame.get_by_label("Add tag").click()

    caution = desk.locator("#cc-details .cc-caution")
    expect(caution).to_contain_text("1002 changed Notes at")
    caution.get_by_role("button", name="Load").click()
    expect(desk.field("Context_Notes")).to_have_value("Marko's notes")
    desk.locator("#cc-details [data-mine='Context_Notes']").get_by_role("button", name="Keep mine").click()

    desk.eventually(lambda: api.call("GET", path)["fields"], lambda f: f.get("Context_Notes") == "My notes")


@CONFLICT
def test_activity_conflict_keeps_my_tag_merged_with_their_change(desk, api):
    """1002 changed the activity first; 1001's tag is not lost: it is added to their version (tags merge)."""
    _, activity = shown_call(desk, api)
    path = f"/activities/{activity['id']}"
    theirs = marko_sets(desk, path, {"Context_Notes": "Marko's notes"})
    marko(desk).call("PUT", path, {"tags": ["marko"], "lastUpdated": theirs["lastUpdated"]})

    box = desk.frame.get_by_label("Add tag")
    desk.type(box, "vip")
    box.press("Enter")

    expect(desk.locator(".cc-tag__text")).to_have_text(["marko", "vip"])
    stored_now = desk.eventually(lambda: api.call("GET", path), lambda a: "vip" in a["tags"])
    assert sorted(stored_now["tags"]) == ["marko", "vip"]
    assert stored_now["fields"]["Context_Notes"] == "Marko's notes"


@CONFLICT
def test_customer_conflict_load_shows_theirs_and_take_theirs_or_keep_mine(desk, api):
    """1002 changed Ann's City; 1001's form Save meets a caution; Load shows their city with mine beside;
    Keep mine then stores 1001's city."""
    ann, _ = shown_call(desk, api)
    marko_sets(desk, f"/customers/{ann['id']}", {"Context_City": "Split"})
    desk.customer_header().click()
    desk.button("Edit").click()
    desk.field("Context_City", within="#cc-customer-form").fill("Rijeka")
    desk.button("Save").click()

    caution = desk.locator("#cc-customer .cc-caution")
    expect(caution).to_contain_text("changed City at")
    caution.get_by_role("button", name="Load").click()
    expect(desk.field("Context_City", within="#cc-customer-form")).to_have_value("Split")
    mine = desk.locator("#cc-customer-form [data-mine='Context_City']")
    expect(mine).to_contain_text("Rijeka")
    mine.get_by_role("button", name="Keep mine").click()
    desk.button("Save").click()

    desk.eventually(
        lambda: api.call("GET", f"/customers/{ann['id']}")["fields"], lambda f: f.get("Context_City") == "Rijeka"
    )
