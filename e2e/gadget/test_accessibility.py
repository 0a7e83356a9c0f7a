"""axe-core finds no serious or critical violation in the gadget's main screens."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect


def serious(results):
    """The serious and critical axe violations, one line each."""
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# axe-core reads stylesheets with XHR; the gadget's CSS comes from the gadget server's origin without CORS.
@pytest.mark.allow_console_errors(r"/css/gadget\.[0-9a-f]+\.css")
def test_gadget_has_no_serious_or_critical_axe_violations(desk, api):
    """The journey, activity details and the open customer form pass axe-core at serious/critical level."""
    ann = api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    api.activity(ann["id"], "chat", email="ann@example.com")
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    desk.customer_header().click()
    frame = desk.page.frame(url=lambda url: "/gadgets/ifr" in url)

    assert serious(Axe().run(frame)) == []


@pytest.mark.allow_console_errors(r"/css/gadget\.[0-9a-f]+\.css")
@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 600, "height": 900}])
def test_each_layout_with_a_live_contact_badge_has_no_serious_or_critical_axe_violations(desk, api, page, viewport):
    """Three columns (1280 px) and one column (600 px), with the header's and the Open list's live-call badges."""
    ann = api.customer(
        Context_First_Name="Ann",
        Context_Last_Name="Lee",
        Context_Mobile_Phone="+385911112222",
        Context_Home_Email="ann@example.com",
    )
    api.activity(ann["id"], "chat", email="ann@example.com")
    page.set_viewport_size(viewport)
    desk.sign_in()
    desk.call("+385911112222")
    expect(desk.locator("#cc-customer .cc-live")).to_be_visible()
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    frame = desk.page.frame(url=lambda url: "/gadgets/ifr" in url)

    assert serious(Axe().run(frame)) == []
