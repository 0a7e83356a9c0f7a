"""Customer data is always text: script and HTML payloads in every field stay inert."""

from playwright.sync_api import expect

PAYLOAD = '<img src=x onerror="window.top.__xss=1">'
SCRIPT = "<script>window.top.__xss=1</script>"


def test_html_and_script_payloads_in_customer_request_activity_and_comment_are_shown_as_text(desk, api):
    """Name, title, tag and comment payloads render literally; no element is created, nothing runs."""
    ann = api.customer(
        Context_First_Name=PAYLOAD, Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222", Context_City=SCRIPT
    )
    activity = api.activity(ann["id"], phone="+385911112222", name=PAYLOAD)
    request = api.journey(ann["id"])["requests"][0]
    api.call(
        "PUT",
        f"/requests/{request['id']}",
        {"fields": {"Context_Title": SCRIPT}, "lastUpdated": request["lastUpdated"]},
    )
    api.call("PUT", f"/activities/{activity['id']}", {"tags": [PAYLOAD[:50]], "lastUpdated": activity["lastUpdated"]})
    api.call("POST", f"/activities/{activity['id']}/comments", {"text": PAYLOAD + " " + SCRIPT})
    desk.sign_in()
    dialogs = []
    desk.page.on("dialog", lambda d: dialogs.append(d.message))

    desk.open_customer("Lee")
    desk.locator(".cc-activity__open").first.click()
    desk.locator(".cc-activity__open").first.hover()
    desk.customer_header().click()

    expect(desk.customer_header()).to_have_text(PAYLOAD + " Lee")
    expect(desk.locator(".cc-request__title").first).to_have_text(SCRIPT)
    expect(desk.locator(".cc-tag__text")).to_have_text([PAYLOAD[:50]])
    expect(desk.locator(".cc-comment__text")).to_have_text(PAYLOAD + " " + SCRIPT)
    expect(desk.locator("#cc-root img, #cc-root script")).to_have_count(0)
    assert desk.page.evaluate("window.__xss") is None
    assert dialogs == []
