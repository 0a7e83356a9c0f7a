"""A gadget that loads Bootstrap 3.2.0 by Finesse's path (/desktop/thirdparty/bootstrap/3.2.0/…) gets
Bootstrap's styles and plugins in Chromium, served by the mock from the npm registry's bootstrap package."""

from playwright.sync_api import expect

from finesse_harness.desktop import set_team_layout


def test_a_gadget_styled_with_finesses_bootstrap_gets_its_styles_and_plugins(desktop, finesse, test_gadget_server):
    """.btn-primary has Bootstrap 3.2.0's blue (#428bca) and padding; data-toggle="collapse" opens #details."""
    spec = f"{test_gadget_server.url}/samples/BootstrapPanel.xml"
    set_team_layout(finesse, "10", {"home": [spec]})
    gadget = desktop("1001").gadget_frame(spec)
    button = gadget.get_by_role("button", name="Details")
    expect(button).to_have_css("background-color", "rgb(66, 139, 202)")
    expect(button).to_have_css("padding", "6px 12px")
    expect(gadget.locator("#details")).to_be_hidden()
    button.click()
    expect(gadget.locator("#details")).to_be_visible()
    expect(gadget.locator("#details")).to_have_class("collapse in")
