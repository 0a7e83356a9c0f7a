"""The gadget's hr and sr bundles: complete, translated, and in Cisco's own terms (shared/seeds/README.md).

Cisco's Croatian help calls the customer "klijent" ("Kontekst klijenta", "Put klijenta"), its Serbian help
"kupac" ("Kontekst kupca", "Okno za upravljanje kupcima"); one term per concept across the gadget, the
customer form (the dictionary's field labels) and the desktop.
"""

import json
import pathlib
import re
import xml.etree.ElementTree as ET

import pytest

from mock_finesse.messages import MESSAGES

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUNDLES = ROOT / "gadget_plugin" / "static" / "gadget" / "messages"
DICTIONARY = ROOT / "mock_controlhub" / "dictionary" / "base_dictionary.json"
PLACEHOLDER = re.compile(r"\{\w+\}")
WORD = re.compile(r"[^\W\d_]+")
# Words a Croatian or Serbian text may share with the English one: brand names, key names, true cognates.
SAME_IN_ENGLISH = {"Cisco", "Finesse", "Context", "Service", "Enter", "Tab", "ID", "Chat", "Video", "Web"}
# Cisco's name of the gadget per language, and the words for the customer it must not be mixed with.
TERMS = {"hr": ("Kontekst klijenta", ("korisni", "kupac", "kupc")), "sr": ("Kontekst kupca", ("korisni", "klijent"))}
DESKTOP_LOCALES = {"hr": "hr_HR", "sr": "sr_RS"}
DICTIONARY_LOCALES = {"hr": "hr_HR", "sr": "sr_Latn_RS"}


def bundle(language):
    """``{key: text}`` of a message bundle."""
    return {msg.get("name"): msg.text or "" for msg in ET.parse(BUNDLES / f"{language}.xml").getroot()}


def dictionary_labels(locale):
    """The field labels of the base dictionary in ``locale`` (what the customer form shows)."""
    fields = json.loads(DICTIONARY.read_text(encoding="utf-8"))["fields"]
    return {field["id"]: field["translations"][locale] for field in fields if locale in field.get("translations", {})}


@pytest.mark.parametrize("language", ["hr", "sr"])
def test_every_english_key_is_in_the_bundle_and_no_other(language):
    """hr and sr hold exactly the keys of en: none missing, none left over."""
    english, translated = bundle("en"), bundle(language)
    assert sorted(set(english) - set(translated)) == []
    assert sorted(set(translated) - set(english)) == []


@pytest.mark.parametrize("language", ["hr", "sr"])
def test_no_text_is_left_in_english(language):
    """A text equal to the English one is allowed only when all its words are brand names or true cognates."""
    english, translated = bundle("en"), bundle(language)
    left = {
        key: text
        for key, text in translated.items()
        if key in english
        and text == english[key]
        and not set(WORD.findall(PLACEHOLDER.sub("", text))) <= SAME_IN_ENGLISH
    }
    assert left == {}


@pytest.mark.parametrize("language", ["hr", "sr"])
def test_every_text_keeps_the_placeholders_of_the_english_one(language):
    """{who}, {when}, {count}… survive translation, so no value goes missing on screen."""
    english, translated = bundle("en"), bundle(language)
    wrong = {
        key: text
        for key, text in translated.items()
        if key in english and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(english[key]))
    }
    assert wrong == {}


@pytest.mark.parametrize("language", ["hr", "sr"])
def test_the_customer_is_called_by_ciscos_term_in_gadget_form_and_desktop(language):
    """hr "klijent", sr "kupac": in the gadget bundle, the dictionary labels of the form and the desktop's texts."""
    title, others = TERMS[language]
    texts = {
        **{f"gadget {k}": v for k, v in bundle(language).items()},
        **{f"form {k}": v for k, v in dictionary_labels(DICTIONARY_LOCALES[language]).items()},
        **{f"desktop {k}": v for k, v in MESSAGES[DESKTOP_LOCALES[language]].items()},
    }
    mixed = {key: text for key, text in texts.items() if any(other in text.lower() for other in others)}
    assert mixed == {}
    assert bundle(language)["gadget.title"] == title


@pytest.mark.parametrize("language, voice", [("hr", "Poziv"), ("sr", "Poziv")])
def test_voice_is_a_call_not_a_calque(language, voice):
    """Voice is "Poziv" (Cisco's "poziv"), not the calque "Glas"."""
    assert bundle(language)["media.voice"] == voice


@pytest.mark.parametrize("language", ["hr", "sr"])
def test_the_caution_naming_a_colleague_does_not_assume_their_gender(language):
    """ "{who} je ovo promijenio" is masculine-only; the text names the colleague without a gendered verb."""
    text = bundle(language)["caution.byWho"]
    assert "{who}" in text
    # Singular l-participles carry the gender: promijenio / promijenila, promenio / promenila.
    assert re.findall(r"\b\w+(?:io|eo|ao|ila|ela|ala)\b", text) == []
