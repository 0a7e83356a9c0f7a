"""A signed-in desktop with the gadget, left alone, does almost nothing: the time-in-state text once a second and
no animation or polling loop (an agent desktop burning a share of a core while idle is a defect; the figures are
in bench/bench_desktop_cpu.py)."""

import re

from playwright.sync_api import expect

IDLE_SECONDS = 2.0
MAX_LAYOUTS_PER_SECOND = 2  # the header's time in state changes once a second
MAX_SCRIPT_MS_PER_SECOND = 20


def page_counters(cdp):
    """Layouts, style recalculations and script milliseconds of the page and its frames so far (CDP Performance)."""
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return values["LayoutCount"], values["RecalcStyleCount"], values["ScriptDuration"] * 1000


def test_an_idle_desktop_with_the_gadget_lays_out_at_most_twice_a_second_and_animates_nothing(desk):
    """Over two idle seconds: at most 2 layouts and style recalculations a second, little script, no animation in
    the desktop or the gadget, and the time in state still counts up."""
    desk.sign_in()
    page = desk.page
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.wait_for_timeout(500)  # the gadget's first reads are in
    before = page_counters(cdp)
    page.wait_for_timeout(IDLE_SECONDS * 1000)
    after = page_counters(cdp)
    layouts, styles, script_ms = ((a - b) / IDLE_SECONDS for a, b in zip(after, before))
    assert layouts <= MAX_LAYOUTS_PER_SECOND and styles <= MAX_LAYOUTS_PER_SECOND, (layouts, styles)
    assert script_ms <= MAX_SCRIPT_MS_PER_SECOND, script_ms
    for frame in page.frames:
        assert frame.evaluate("document.getAnimations().map(a => a.animationName || 'transition')") == [], frame.url
    expect(page.locator("#voice-state-timer")).to_have_text(re.compile(r"^0:0[2-9]$|^0:[1-5]\d$"))
