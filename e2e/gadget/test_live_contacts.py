"""Live contacts (issue #13 item 3): each open customer shows its live call, chat or email — media icon, state in
the agent's language, a running timer — and the badge follows the dialog's states from finesse.js notifications
(the mock simulator drives them as Finesse would). The gadget's own button is "Close customer"."""

import datetime as dt
import re

import pytest
from lxml import etree
from playwright.sync_api import Error as PlaywrightError, expect

ANN_PHONE = "+385911112222"


def open_item(desk, name):
    """The Open list's entry of a customer."""
    return desk.locator("#cc-management-body li", has_text=name)


def header_badge(desk):
    """The live-contact badge in the current customer's header."""
    return desk.locator("#cc-customer .cc-customer-header .cc-live")


def test_call_badge_follows_active_hold_wrap_up_and_ends_with_the_call(desk, api):
    """Answered → Active with the voice icon and a timer that runs; Hold → On hold; Retrieve → Active;
    the call ends → Wrap-up; wrap-up over (dialog deleted) → no badge."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=ANN_PHONE)
    desk.sign_in()

    dialog_id = desk.call(ANN_PHONE)

    badge = open_item(desk, "Ann Lee").locator(".cc-live")
    expect(badge.locator(".cc-live__state")).to_have_text("Active")
    expect(badge.locator(".cc-icon--voice")).to_have_count(1)
    expect(header_badge(desk).locator(".cc-live__state")).to_have_text("Active")
    expect(badge.locator(".cc-live__timer")).to_have_text(re.compile(r"^0:0[1-9]$"), timeout=3000)
    desk.desktop.dialog_action(dialog_id, "HOLD")
    expect(badge.locator(".cc-live__state")).to_have_text("On hold")
    desk.desktop.dialog_action(dialog_id, "RETRIEVE")
    expect(badge.locator(".cc-live__state")).to_have_text("Active")
    desk.desktop.dialog_action(dialog_id, "DROP")
    expect(badge.locator(".cc-live__state")).to_have_text("Wrap-up")
    expect(header_badge(desk)).to_have_attribute("data-live-state", "WRAP_UP")
    desk.desktop.dialog_action(dialog_id, "END_WRAP_UP")
    expect(open_item(desk, "Ann Lee").locator(".cc-live")).to_have_count(0)
    expect(header_badge(desk)).to_have_count(0)
    expect(desk.customer_header()).to_have_text("Ann Lee")


def test_each_open_customer_shows_its_own_contact_a_call_and_a_chat(desk, api):
    """Ann's call and Lana's chat: each badge sits with its own customer, with its own media icon; ending the
    chat leaves Ann's call badge alone."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=ANN_PHONE)
    api.customer(Context_First_Name="Lana", Context_Last_Name="Perić", Context_Home_Email="lana@example.com")
    desk.sign_in()
    desk.call(ANN_PHONE)
    expect(open_item(desk, "Ann Lee").locator(".cc-live__state")).to_have_text("Active")

    chat_id = desk.chat("Lana Perić", "lana@example.com")

    expect(desk.customer_header()).to_have_text("Lana Perić")
    lana = open_item(desk, "Lana Perić").locator(".cc-live")
    expect(lana.locator(".cc-live__state")).to_have_text("Accepted")
    expect(lana.locator(".cc-icon--chat")).to_have_count(1)
    expect(open_item(desk, "Ann Lee").locator(".cc-icon--voice")).to_have_count(1)
    desk.desktop.dialog_action(chat_id, "START")
    expect(lana.locator(".cc-live__state")).to_have_text("Active")
    desk.desktop.dialog_action(chat_id, "WRAP_UP")
    expect(lana.locator(".cc-live__state")).to_have_text("Wrap-up")
    desk.desktop.dialog_action(chat_id, "CLOSE")
    expect(open_item(desk, "Lana Perić").locator(".cc-live")).to_have_count(0)
    expect(open_item(desk, "Ann Lee").locator(".cc-live__state")).to_have_text("Active")


@pytest.mark.parametrize("locale, close", [("sr_RS", "Zatvori kupca"), ("hr_HR", "Zatvori klijenta")])
def test_email_badge_and_close_customer_in_serbian_and_croatian(desk, api, locale, close):
    """The opened email's state is "Prihvaćeno" and the gadget's button names the customer ("Zatvori kupca",
    "Zatvori klijenta"), unlike the desktop's "Zatvori" that ends the email."""
    api.customer(Context_First_Name="Petar", Context_Last_Name="Jović", Context_Home_Email="petar@example.com")
    desk.sign_in(locale)

    desk.email("petar@example.com", "Račun")

    badge = open_item(desk, "Petar Jović").locator(".cc-live")
    expect(badge.locator(".cc-live__state")).to_have_text("Prihvaćeno")
    expect(badge.locator(".cc-icon--email")).to_have_count(1)
    expect(desk.locator("[data-action=close-customer]")).to_have_text(close)


def test_unknown_caller_not_created_yet_shows_the_live_call(desk):
    """A caller the gadget does not know: the new customer (not created yet) carries the call's badge."""
    desk.sign_in()

    desk.call("+385919998888")

    expect(desk.customer_header()).to_have_text("+385919998888")
    expect(header_badge(desk).locator(".cc-live__state")).to_have_text("Active")
    expect(desk.button("Close customer")).to_be_visible()


def test_call_ringing_for_an_open_customer_shows_ringing_then_active(desk, api):
    """Ann is open; her number rings (ALERTING): her badge says Ringing; the agent answers: Active."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone="+385 91 111 2222")
    desk.sign_in()
    desk.open_customer("Lee")

    dialog = desk.desktop.offer_call(ANN_PHONE)

    badge = open_item(desk, "Ann Lee").locator(".cc-live")
    expect(badge.locator(".cc-live__state")).to_have_text("Ringing")
    expect(badge).to_have_attribute("data-live-state", "ALERTING")
    desk.desktop.dialog_action(dialog["id"], "ANSWER")
    expect(badge.locator(".cc-live__state")).to_have_text("Active")
    expect(desk.activities()).to_have_count(1)


def active_since_ms(desk, dialog_id):
    """The agent's own participant's stateChangeTime in the dialog, as Finesse's REST API gives it (ms since the
    epoch): what the badge's timer must count from."""
    dialog = etree.fromstring(desk.desktop.rest("GET", f"/Dialog/{dialog_id}").content)
    mine = next(p for p in dialog.iter("Participant") if p.findtext("mediaAddress") == desk.desktop.extension)
    return int(dt.datetime.fromisoformat(mine.findtext("stateChangeTime")).timestamp() * 1000)


def pause_clock(page):
    """Pause the desktop's clock a moment ahead of its own time; the time it stopped at (ms since the epoch)."""
    for attempt in range(1, 6):
        at = page.evaluate("Date.now()") + 500 * attempt
        try:
            page.clock.pause_at(dt.datetime.fromtimestamp(at / 1000, dt.UTC))  # a number would be seconds
            return at
        except PlaywrightError:  # the clock passed `at` meanwhile (a loaded machine): again, further ahead
            continue
    raise AssertionError("the desktop's clock could not be paused")


def timer_text(milliseconds):
    """The badge's ``m:ss`` for a time in the call under an hour."""
    seconds = milliseconds // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def test_badge_timer_keeps_counting_across_a_reload(desk, api, page):
    """The timer counts from the state's stateChangeTime Finesse sends, so a reload mid-call does not reset it.
    The desktop's clock is Playwright's (every frame of the context), paused once the call is active: however
    long the machine took to get there, the timer shows the desktop's time since stateChangeTime, 3 s more after
    3 s of the desktop's time, and at least that at once after a reload (a restarted timer would show 0:00)."""
    api.customer(Context_First_Name="Ann", Context_Last_Name="Lee", Context_Mobile_Phone=ANN_PHONE)
    page.clock.install()
    desk.sign_in()
    dialog_id = desk.call(ANN_PHONE)
    timer = header_badge(desk).locator(".cc-live__timer")
    expect(header_badge(desk).locator(".cc-live__state")).to_have_text("Active")
    since = active_since_ms(desk, dialog_id)
    paused = pause_clock(page)

    page.clock.run_for(3000)  # the timer's last tick falls 2-3 s after the pause
    ticked = {timer_text(paused + 2000 - since), timer_text(paused + 3000 - since)}
    expect(timer).to_have_text(re.compile("^(" + "|".join(sorted(ticked)) + ")$"))

    desk.reload()

    expect(timer).to_be_visible()
    shown = timer.text_content()  # read at once: a timer restarted at 0:00 would reach 0:03 within a wait
    minutes, seconds = shown.split(":")
    assert int(minutes) * 60 + int(seconds) >= (paused + 3000 - since) // 1000, shown
