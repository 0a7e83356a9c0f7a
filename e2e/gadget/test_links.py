"""Links in details are clickable, open in a new tab without an opener, also when read-only; only
http/https/mailto/tel become links."""

from playwright.sync_api import expect

FIVE_DAYS = 5 * 24 * 3600 + 60


def test_link_in_closed_request_opens_in_new_tab_and_javascript_is_not_a_link(desk, api, gadget):
    """A closed (read-only) request's description link opens a new tab; javascript: stays plain text."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee")
    api.activity(ann["id"], phone="+385911112222")
    request = api.journey(ann["id"])["requests"][0]
    target = gadget.url + "/healthz"
    api.call(
        "PUT",
        f"/requests/{request['id']}",
        {
            "lastUpdated": request["lastUpdated"],
            "fields": {"Context_Description": f"See {target} and javascript:alert(1) or mailto:help@example.com"},
        },
    )
    desk.cloud("POST", "/clock", {"advanceSeconds": FIVE_DAYS})
    desk.sign_in()
    desk.open_customer("Ann")
    desk.locator(".cc-request__title").first.click()

    links = desk.locator("#cc-details a")
    expect(links).to_have_count(2)
    expect(links.first).to_have_attribute("target", "_blank")
    expect(links.first).to_have_attribute("rel", "noopener noreferrer")
    expect(links.nth(1)).to_have_attribute("href", "mailto:help@example.com")
    with desk.page.context.expect_page() as new_tab:
        links.first.click()
    new_tab.value.wait_for_load_state()
    assert new_tab.value.url == target
    assert new_tab.value.evaluate("window.opener") is None
