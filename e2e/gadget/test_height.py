"""The gadget asks the desktop for the height it needs (gadgets.window.adjustHeight) whenever its size changes."""

from playwright.sync_api import expect


HEIGHT = "document.querySelector('iframe.gadget-frame').getBoundingClientRect().height"


def frame_height(desk):
    """The gadget iframe's height in the desktop, in CSS pixels."""
    return desk.page.evaluate(HEIGHT)


def test_gadget_frame_grows_with_the_journey_and_shrinks_after_close(desk, api):
    """A popped customer with activity details makes the frame taller; closing the customer makes it short again."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385911112222")
    desk.sign_in()
    empty = frame_height(desk)

    desk.call("+385911112222")
    expect(desk.locator("#cc-details h3")).to_have_text("Activity details")
    desk.page.wait_for_function(f"h => {HEIGHT} > h + 300", arg=empty)
    tall = frame_height(desk)

    desk.button("Close customer").click()
    expect(desk.customer_header()).to_have_count(0)
    # Short again: only the management pane is left (showing Search, where the focus goes when no one is open).
    desk.page.wait_for_function(f"h => {HEIGHT} < h - 300", arg=tall)
