"""A dialog recorded already is shown, not recorded again (issue #14): the screen pop's dialog-link check,
made in its first round beside the look-up, answers the stored activity, and the gadget selects it without a
``POST /activities`` — here for a gadget that lost its local record of the call (another machine, cleared
browser data) and meets the call again while it is still active."""

from playwright.sync_api import expect

PHONE = "+385911112222"


def test_gadget_without_its_local_data_shows_the_recorded_call_and_records_nothing(desk, api):
    """The answered call is stored; the browser's data of the gadget is cleared and the desktop reloaded during
    the call: the gadget shows Ann with that activity selected and sends no create."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=PHONE)
    api.activity(ann["id"], "email", email="ann@example.com")
    desk.sign_in()
    desk.call(PHONE)
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.locator("#cc-journey .cc-recording")).to_have_count(0)
    stored = [a for a in api.activities(ann["id"]) if a["mediaType"] == "voice"]
    assert len(stored) == 1
    frame = next(frame for frame in desk.page.frames if "/gadgets/ifr" in frame.url)
    frame.evaluate("window.localStorage.clear()")
    sent = []
    desk.page.on("request", lambda r: sent.append((r.method, r.url.split("?")[0])) if "/api/v1/" in r.url else None)

    with desk.page.expect_response(lambda r: r.url.endswith("/api/v1/screen-pop") and r.status == 200) as pop:
        desk.reload()

    assert pop.value.json()["recorded"]["id"] == stored[0]["id"]
    expect(desk.customer_header()).to_have_text("Ann Lee")
    expect(desk.locator("#cc-journey .cc-activity--selected")).to_contain_text("Voice")
    expect(desk.activities()).to_have_count(2)
    assert not [url for method, url in sent if method == "POST" and url.endswith("/api/v1/activities")]
    assert [a["id"] for a in api.activities(ann["id"]) if a["mediaType"] == "voice"] == [stored[0]["id"]]
