"""README screenshots of the Customer Context gadget in the mock Finesse desktop: ``python -m e2e.screenshots``.

Starts the three servers on free 127.0.0.1 ports (``finesse_harness.harness.start_harness``),
seeds a few customers through the gadget's proxy API, signs agents in with headless Chromium and drives the
main screens as an agent would (simulator calls, clicks). Writes PNGs to ``docs/screenshots/`` (``--out`` to change).
"""

import argparse
import logging
import pathlib
import sys
import tempfile

from playwright.sync_api import expect, sync_playwright

from finesse_harness.browser import launch_chromium
from finesse_harness.desktop import Desktop, set_team_layout
from finesse_harness.harness import start_harness

ROOT = pathlib.Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1280, "height": 900}


def seed(api):
    """Ana (phone +385 91 234 5678) with a titled request, tagged and commented activities; two Kos customers
    (``api``: the proxy API as an agent)."""
    ana = api.post(
        "/customers",
        json={
            "fields": {
                "Context_First_Name": "Ana",
                "Context_Last_Name": "Horvat",
                "Context_Mobile_Phone": "+385912345678",
                "Context_Home_Email": "ana.horvat@example.com",
                "Context_City": "Zagreb",
            }
        },
    ).json()
    email = api.post(
        "/activities",
        json={
            "customerId": ana["id"],
            "mediaType": "email",
            "dialogId": "demo-1",
            "source": {"name": "Ana Horvat", "email": "ana.horvat@example.com"},
        },
    ).json()
    request = next(r for r in api.get(f"/customers/{ana['id']}/journey").json()["requests"])
    api.put(
        f"/requests/{request['id']}",
        json={
            "lastUpdated": request["lastUpdated"],
            "fields": {
                "Context_Title": "Router keeps disconnecting",
                "Context_Description": "Since Monday; see https://support.example.com/kb/4711 for the known issue.",
            },
        },
    )
    api.put(f"/activities/{email['id']}", json={"lastUpdated": email["lastUpdated"], "tags": ["router", "priority"]})
    api.post(f"/activities/{email['id']}/comments", json={"text": "Sent the reset guide."})
    for first, phone in (("Ivo", "+38512345678"), ("Mia", "+38512345678")):
        api.post(
            "/customers",
            json={"fields": {"Context_First_Name": first, "Context_Last_Name": "Kos", "Context_Home_Phone": phone}},
        )


def shoot(page, path, whole_page=False):
    """Screenshot of the gadget's iframe (or the whole desktop); returns the path."""
    target = page if whole_page else page.locator("iframe.gadget-frame")
    target.screenshot(path=str(path))
    return path


def control_hub_fields(page, hub, out_dir):
    """The admin's Control Hub Fields tab with a field's side panel open; returns the PNG's path."""
    config = hub.app.config
    page.goto(hub.url + "/services/context/fields?field=Context_Mobile_Phone")
    page.get_by_label("Email address").fill(config["ADMIN_EMAIL"])
    page.get_by_label("Password").fill(config["ADMIN_PASSWORD"])
    page.get_by_role("button", name="Sign In").click()
    page.locator("#fields-table").wait_for()
    return shoot(page, out_dir / "07-controlhub-fields.png", whole_page=True)


def run(out_dir):
    """Drive the screens and write the PNGs; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as instance_dir, start_harness(instance_dir) as harness:
        hub, finesse, gadget = harness.controlhub, harness.finesse, harness.gadget
        seed(harness.agent_api("1001"))
        set_team_layout(finesse, "10", {"manageCustomer": [gadget.url + "/gadget.xml"]})
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport=VIEWPORT)
            desktop = Desktop(page, finesse, "1001").sign_in()
            frame = desktop.gadget_frame(gadget.url + "/gadget.xml")
            expect(frame.locator("#cc-app")).to_be_visible()

            call = desktop.offer_call("+385912345678")
            desktop.dialog_action(call["id"], "ANSWER")
            expect(frame.locator("#cc-details h3")).to_have_text("Activity details")
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(out_dir / "00-desktop-call.png"), full_page=True)
            written.append(out_dir / "00-desktop-call.png")
            frame.locator(".cc-tag-input").fill("callback")
            frame.locator(".cc-tag-input").press("Enter")
            expect(frame.locator(".cc-tag__text", has_text="callback")).to_be_visible()
            written.append(shoot(page, out_dir / "01-call-journey-activity.png"))

            frame.locator(".cc-request__title").nth(0).click()
            written.append(shoot(page, out_dir / "02-request-details.png"))

            frame.locator(".cc-activity__move").first.click()
            expect(frame.get_by_role("dialog")).to_be_visible()
            written.append(shoot(page, out_dir / "03-move-activity.png", whole_page=True))
            frame.get_by_role("dialog").get_by_role("button", name="Cancel").click()

            desktop.dialog_action(call["id"], "DROP")
            desktop.dialog_action(call["id"], "END_WRAP_UP")
            second = desktop.offer_call("+38512345678")
            desktop.dialog_action(second["id"], "ANSWER")
            expect(frame.locator(".cc-pick")).to_have_count(2)
            written.append(shoot(page, out_dir / "04-several-matches.png"))
            frame.locator("[data-action=pick-none]").click()
            expect(frame.locator("#cc-customer-form")).to_be_visible()
            written.append(shoot(page, out_dir / "05-new-customer-form.png"))

            croatian = browser.new_page(viewport=VIEWPORT)
            desk_hr = Desktop(croatian, finesse, "1002").sign_in("hr_HR")
            frame_hr = desk_hr.gadget_frame(gadget.url + "/gadget.xml")
            frame_hr.get_by_role("tab", name="Traži").click()
            frame_hr.get_by_label("Pretraži klijente").fill("Horvat")
            frame_hr.get_by_label("Pretraži klijente").press("Enter")
            frame_hr.locator(".cc-customer-item", has_text="Ana Horvat").click()
            expect(frame_hr.locator("#cc-journey .cc-activity").first).to_be_visible()
            written.append(shoot(croatian, out_dir / "06-croatian.png"))
            written.append(control_hub_fields(browser.new_page(viewport=VIEWPORT), hub, out_dir))
            browser.close()
    return written


def main(argv=None):
    """Write the screenshots and list them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    for path in run(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
