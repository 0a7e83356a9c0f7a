"""The gadget follows the agent's Finesse language: Croatian and Serbian (Latin) texts, labels and dates."""

import re

import pytest
from playwright.sync_api import expect


NUMERIC_DATE = r"^\d{1,2}\. \d{1,2}\. \d{4}\. \d{2}:\d{2}$"


@pytest.mark.parametrize(
    "locale, texts, date",
    [
        ("hr_HR", ["Otvoreni", "Nedavni", "Traži", "Novi klijent", "Put klijenta"], NUMERIC_DATE),
        ("sr_RS", ["Otvori", "Nedavno", "Pretraži", "Novi kupac", "Putovanje kupca"], NUMERIC_DATE),
    ],
)
def test_gadget_texts_labels_and_dates_follow_the_agent_locale(desk, api, locale, texts, date):
    """Tabs, buttons, headings, dictionary labels and dates are in the agent's language, with Cisco's terms
    (hr "klijent", sr "kupac"); dates in the numbers Croatian and Serbian write them with."""
    ann = api.customer(Context_First_Name="Ana", Context_Last_Name="Kralj", Context_Mobile_Phone="+38591555666")
    api.activity(ann["id"], phone="+38591555666")
    desk.sign_in(locale)
    desk.call("+38591555666")

    gadget_text = desk.locator("#cc-app")
    for text in texts:
        expect(gadget_text).to_contain_text(text)
    expect(desk.locator(".cc-activity__time").first).to_have_text(re.compile(date))
    desk.customer_header().click()
    expect(desk.locator("#cc-customer-form")).to_contain_text("Ime")
    expect(desk.frame.locator("html")).to_have_attribute("lang", re.compile("^(hr-HR|sr-Latn-RS)$"))


def test_every_context_service_media_type_has_its_own_label_and_icon(desk, api):
    """Activities of every Context Service media type show a label in the agent's language and their own icon."""
    customer = api.customer(Context_First_Name="Mia", Context_Last_Name="Babić", Context_Mobile_Phone="+38591777888")
    labels = {"social": "Društvene mreže", "web": "Web", "video": "Video", "mobile": "Mobilno", "event": "Događaj"}
    for media_type in labels:
        api.activity(customer["id"], media_type=media_type)
    desk.sign_in("hr_HR")
    desk.call("+38591777888")

    media = desk.locator(".cc-activity__media")
    expect(media).to_have_count(len(labels) + 1)
    for media_type, label in labels.items():
        expect(media.filter(has_text=label)).to_have_count(1)
        expect(desk.locator(f".cc-icon--{media_type}")).to_have_count(1)
