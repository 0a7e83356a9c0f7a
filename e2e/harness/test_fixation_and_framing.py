"""Attacks from a page on another port of the same host (issue #10): session fixation on /cfadmin/, and
framing the admin and desktop pages (click-jacking)."""

import re

import pytest
import requests
from playwright.sync_api import expect

from finesse_harness.desktop import layout_xml

COOKIE = "finesse_desktop_session"
PLANT = """<!doctype html><title>Free wallpapers</title>
<script>document.cookie = "%s=%s; path=/";</script><p id="planted">ok</p>"""
STRIKE = """<!doctype html><title>Free wallpapers</title>
<form id="f" method="post" action="%s/cfadmin/layouts">
  <input name="csrf" value="%s"><input name="team" value="10"><input name="action" value="save">
  <textarea name="xml">%s</textarea>
</form><script>document.getElementById("f").submit();</script>"""
FRAMES = """<!doctype html><title>Win a prize</title>
<iframe id="hub" src="%s/services"></iframe><iframe id="admin" src="%s/cfadmin/"></iframe>
<iframe id="desk" src="%s/desktop/signin"></iframe>"""


@pytest.mark.allow_console_errors("Failed to load resource|400")
def test_a_session_planted_before_cfadmin_sign_in_cannot_save_a_layout(page, finesse, other_site):
    """Another site plants a session cookie it knows the CSRF token of, the administrator signs in, the site
    posts a team layout loading its own gadget with that token: refused, because sign-in rotated the token."""
    with requests.Session() as attacker:
        form = attacker.get(finesse.url + "/cfadmin/", timeout=10).text
        known_token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        known_cookie = attacker.cookies.get(COOKIE)
    page.goto(other_site.serve("plant", PLANT % (COOKIE, known_cookie)))
    expect(page.locator("#planted")).to_have_text("ok")

    page.goto(finesse.url + "/cfadmin/")
    page.fill("#admin-username", "admin")
    page.fill("#admin-password", finesse.app.config["ADMIN_PASSWORD"])
    page.locator("#admin-password").press("Enter")
    expect(page).to_have_url(re.compile(r"/cfadmin/layouts"))

    evil = layout_xml({"home": [other_site.url + "/evil.xml"]})
    page.goto(other_site.serve("strike", STRIKE % (finesse.url, known_token, evil)))
    page.wait_for_load_state()
    assert finesse.control("GET", "/state").json()["teamLayouts"] == []


@pytest.mark.allow_console_errors("Refused to display|X-Frame-Options|frame-ancestors")
def test_admin_and_desktop_pages_cannot_be_framed_by_another_site(page, controlhub, finesse, other_site):
    """Control Hub, /cfadmin/ and the desktop sign-in inside another site's iframes render nothing."""
    page.goto(other_site.serve("frames", FRAMES % (controlhub.url, finesse.url, finesse.url)))
    page.wait_for_load_state("load")
    for frame_id in ("hub", "admin", "desk"):
        frame = page.frame_locator(f"#{frame_id}")
        expect(frame.locator("form")).to_have_count(0)
    framed = [f.url for f in page.frames if f is not page.main_frame]
    assert len(framed) == 3 and not any(url.startswith("http://") for url in framed), framed
