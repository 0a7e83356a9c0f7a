"""The gadget spec and its files: served with public URLs filled in, ETags, long caching of hashed names, gzip."""

import pathlib
import re

import requests
from lxml import etree

from gadget_plugin import gadget_spec


def _spec(gadget):
    response = requests.get(gadget.url + "/gadget.xml", timeout=10)
    assert response.status_code == 200
    return response, etree.fromstring(response.content, etree.XMLParser(strip_cdata=False))


def test_served_spec_has_the_required_features_locales_and_prefs(gadget):
    """pubsub-2, setprefs, settitle, dynamic-height, loadingindicator; en/hr/sr bundles; the three prefs."""
    _, root = _spec(gadget)
    features = {r.get("feature") for r in root.find("ModulePrefs").findall("Require")}
    assert {"pubsub-2", "setprefs", "settitle", "dynamic-height", "loadingindicator"} <= features
    langs = {loc.get("lang"): loc.get("messages") for loc in root.find("ModulePrefs").findall("Locale")}
    assert {langs[lang] for lang in ("en", "hr", "sr")} == {"messages/en.xml", "messages/hr.xml", "messages/sr.xml"}
    prefs = {p.get("name"): p.get("default_value") for p in root.findall("UserPref")}
    assert prefs["proxyUrl"] == gadget.url and prefs["transport"] == "direct" and prefs["recentCustomers"] == "[]"


def test_served_spec_loads_finesse_scripts_from_finesse_and_own_files_by_hashed_name(gadget, finesse):
    """jQuery/finesse.js from the configured Finesse; the gadget's JS/CSS under content-hashed names."""
    _, root = _spec(gadget)
    content = root.find("Content").text
    assert f'src="{finesse.url}/desktop/assets/js/finesse.js"' in content
    assert f'src="{finesse.url}/desktop/assets/js/jquery.min.js"' in content
    assert re.search(r'src="js/scripts\.[0-9a-f]{10}\.js"', content)
    assert re.search(r'href="css/gadget\.[0-9a-f]{10}\.css"', content)


def test_hashed_asset_is_cached_for_a_year_and_plain_name_revalidates(gadget):
    """The name the spec uses is immutable for a year; the plain name is no-cache; both have an ETag."""
    _, root = _spec(gadget)
    hashed = re.search(r'href="(css/gadget\.[0-9a-f]{10}\.css)"', root.find("Content").text).group(1)
    long_lived = requests.get(f"{gadget.url}/{hashed}", timeout=10)
    plain = requests.get(f"{gadget.url}/css/gadget.css", timeout=10)
    assert long_lived.status_code == 200 and long_lived.content == plain.content
    assert long_lived.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Cache-Control"] == "no-cache"
    assert long_lived.headers["Content-Type"] == "text/css; charset=utf-8"
    assert plain.headers["ETag"]


def test_served_spec_loads_the_gadgets_own_scripts_as_one_file_in_the_sources_order(gadget):
    """One script tag instead of thirty: each file of the source spec's run, as it is, after a comment naming it,
    in that order; the hashed name is immutable, the plain js/scripts.js revalidates."""
    _, root = _spec(gadget)
    content = root.find("Content").text
    own = re.findall(r'<script[^>]*src="(?!http|/)([^"]+)"', content)
    assert len(own) == 1 and re.fullmatch(r"js/scripts\.[0-9a-f]{10}\.js", own[0])
    bundle = requests.get(f"{gadget.url}/{own[0]}", timeout=10)
    assert bundle.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert bundle.headers["Content-Type"] == "text/javascript; charset=utf-8"
    source = gadget_spec.parse(pathlib.Path(gadget.app.config["GADGET_SPEC"]).read_bytes()).find("Content").text
    names = re.findall(r'<script type="text/javascript" src="(js/[^"]+)"', source)
    assert len(names) >= 20 and re.findall(r"^/\* ---- (\S+) ---- \*/$", bundle.text, re.MULTILINE) == names
    for name in names:
        assert (gadget_spec.ASSET_DIR / name).read_text(encoding="utf-8") in bundle.text
    assert requests.get(f"{gadget.url}/js/scripts.js", timeout=10).headers["Cache-Control"] == "no-cache"


def test_unchanged_file_answers_304_to_its_etag(gadget):
    """If-None-Match with the current ETag: 304 Not Modified, no body."""
    first = requests.get(f"{gadget.url}/gadget.xml", timeout=10)
    again = requests.get(f"{gadget.url}/gadget.xml", headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""


def test_text_files_are_gzipped_when_the_client_accepts_it(gadget):
    """Accept-Encoding gzip: Content-Encoding gzip, Vary: Accept-Encoding."""
    response = requests.get(f"{gadget.url}/js/store.js", headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert b"CC.store" in response.content


def test_message_bundles_are_served_next_to_the_spec(gadget):
    """messages/hr.xml is an OpenSocial messagebundle."""
    response = requests.get(f"{gadget.url}/messages/hr.xml", timeout=10)
    assert response.status_code == 200
    assert etree.fromstring(response.content).tag == "messagebundle"


def test_files_outside_the_gadget_folder_are_not_served(gadget):
    """Path traversal and unknown files: 404 NOT_FOUND."""
    for path in ("/../config.py", "/%2e%2e/config.py", "/js/nothing.js"):
        response = requests.get(gadget.url + path, timeout=10)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"


def test_health_and_readiness(gadget):
    """/healthz answers; /readyz checks Context Service and Finesse."""
    assert requests.get(gadget.url + "/healthz", timeout=10).json() == {"status": "ok"}
    ready = requests.get(gadget.url + "/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert ready.json()["checks"]["contextService"]["ok"] is True


def test_readiness_names_an_unreachable_finesse_and_fails_only_when_none_answers(gadget):
    """One of two Finesse nodes down: still ready, the check names it; the only one down: 503."""
    urls = gadget.app.config["FINESSE_URLS"]
    try:
        gadget.app.config["FINESSE_URLS"] = [*urls, "http://127.0.0.1:9"]
        one_down = requests.get(gadget.url + "/readyz", timeout=30)
        gadget.app.config["FINESSE_URLS"] = ["http://127.0.0.1:9"]
        all_down = requests.get(gadget.url + "/readyz", timeout=30)
    finally:
        gadget.app.config["FINESSE_URLS"] = urls
    assert one_down.status_code == 200
    assert one_down.json()["checks"]["finesse http://127.0.0.1:9"]["ok"] is False
    assert all_down.status_code == 503 and all_down.json()["ready"] is False


def test_spec_url_can_choose_the_make_request_transport(gadget):
    """/gadget.xml?transport=makeRequest serves the spec with that default; other values are refused."""
    response = requests.get(gadget.url + "/gadget.xml", params={"transport": "makeRequest"}, timeout=10)
    prefs = {p.get("name"): p.get("default_value") for p in etree.fromstring(response.content).findall("UserPref")}
    assert prefs["transport"] == "makeRequest"
    refused = requests.get(gadget.url + "/gadget.xml", params={"transport": "pigeon"}, timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["field"] == "transport"
