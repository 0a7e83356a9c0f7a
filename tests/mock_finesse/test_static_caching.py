"""HTTP caching of the mock Finesse's static files: the desktop names each of its files by content version, cached
for a year; a plain path is revalidated by its ETag (304), so a new deployment is seen at once; text is gzipped.

Evidence: Finesse caches gadget files and asks for a cache buster after a change ("Gadget Caching",
developer.cisco.com/docs/finesse/gadget-caching); Finesse's web server gzips its resources (reference finesse.md
§1.5); the exact Cache-Control values are inferred.
"""

import gzip
import hashlib
import os
import pathlib
import re

import pytest
import requests

from mock_finesse import assets
from mock_finesse.desktop import DESKTOP_SCRIPTS, STATIC_DIR

from .test_signin import post_signin, signin_form

IMMUTABLE = "public, max-age=31536000, immutable"
# The files the desktop page and a rendered gadget frame load, at the paths gadgets also write themselves.
PLAIN_PATHS = (
    "/desktop/static/desktop.js",
    "/desktop/static/desktop.css",
    "/desktop/assets/js/finesse.js",
    "/desktop/assets/js/jquery.min.js",
    "/gadgets/js/gadgets.js",
    "/gadgets/js/shindig-container:osapi:pubsub-2:loadingindicator.js",
    "/desktop/js/utilities/MessageDisplay.js",
)


def desktop_page(finesse):
    """The signed-in desktop page of agent 1001 (HTML)."""
    session = requests.Session()
    _, csrf = signin_form(session, finesse)
    response = post_signin(session, finesse, csrf)
    assert response.status_code == 302, response.text[:300]
    return session.get(finesse.url + "/desktop/", timeout=10).text


def versioned_urls(page):
    """The ``src``/``href`` URLs of the page's scripts and stylesheet (without the inline ones)."""
    return re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page)


def test_every_script_and_stylesheet_of_the_desktop_page_names_its_content_version(finesse):
    """Each URL carries ``?v=`` with the hash of what it serves, so a changed file gets a new URL."""
    urls = versioned_urls(desktop_page(finesse))
    assert len(urls) >= 5 and any("/desktop/assets/js/finesse" in url for url in urls)
    for url in urls:
        match = re.fullmatch(r"(/[^?]+)\?v=([0-9a-f]{32})", url)
        assert match, f"{url} has no content version"
        body = requests.get(finesse.url + match[1], timeout=10).content
        assert hashlib.sha256(body).hexdigest()[:32] == match[2], url


def test_a_versioned_url_is_cached_for_a_year_as_immutable(finesse):
    """The URL the desktop writes never changes its content: the browser keeps it and never asks again."""
    for url in versioned_urls(desktop_page(finesse)):
        response = requests.get(finesse.url + url, timeout=10)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE, url


@pytest.mark.parametrize("path", PLAIN_PATHS)
def test_a_plain_path_is_revalidated_and_answers_304_to_its_etag(finesse, path):
    """Without the version (or with an old one) the file is ``no-cache``; its ETag gets ``304`` with no body."""
    for query in ("", "?v=0123456789abcdef0123456789abcdef"):
        response = requests.get(finesse.url + path + query, timeout=10)
        assert response.status_code == 200 and response.content
        assert response.headers["Cache-Control"] == "no-cache", path + query
        again = requests.get(
            finesse.url + path + query, headers={"If-None-Match": response.headers["ETag"]}, timeout=10
        )
        assert again.status_code == 304 and again.content == b""


def test_a_third_party_gadget_file_is_revalidated_so_a_new_upload_is_seen(finesse):
    """A file in /3rdpartygadget/files/ answers 304 while unchanged and the new content once replaced."""
    path = finesse.gadget_dir / "hello.js"
    path.write_text("console.log('one');", encoding="utf-8")
    first = requests.get(finesse.url + "/3rdpartygadget/files/hello.js", timeout=10)
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["Content-Type"].startswith("text/javascript")
    etag = {"If-None-Match": first.headers["ETag"]}
    assert requests.get(finesse.url + "/3rdpartygadget/files/hello.js", headers=etag, timeout=10).status_code == 304
    path.write_text("console.log('two, a longer file');", encoding="utf-8")
    changed = requests.get(finesse.url + "/3rdpartygadget/files/hello.js", headers=etag, timeout=10)
    assert changed.status_code == 200 and changed.text == "console.log('two, a longer file');"


def test_text_files_are_gzipped_for_a_browser_that_accepts_it_with_an_etag_of_their_own(finesse):
    """finesse.js gzipped on request (``Content-Encoding: gzip``, ``Vary: Accept-Encoding``), its own ETag."""
    url = finesse.url + "/desktop/assets/js/finesse.js"
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    raw = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True).raw
    assert raw.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in raw.headers["Vary"]
    assert gzip.decompress(raw.read()) == plain.content
    assert raw.headers["ETag"] != plain.headers["ETag"]


def test_a_missing_static_file_is_finesses_404_and_no_path_leads_out_of_the_folder(finesse):
    """Unknown names and ``..`` answer 404 as an ``<ApiErrors>`` document."""
    for path in ("/desktop/static/nothing.js", "/desktop/static/..%2F..%2Fconfig.py", "/3rdpartygadget/files/../x"):
        response = requests.get(finesse.url + path, timeout=10)
        assert response.status_code == 404, path
        assert b"<ApiErrors>" in response.content


def test_the_desktops_own_scripts_come_as_one_file_in_their_order_each_named(finesse):
    """One request for xml.js … simulator.js: each file as it is, after a comment naming it, in the order they run."""
    own_scripts = [u for u in versioned_urls(desktop_page(finesse)) if re.match(r"/desktop/static/[^?]+\.js", u)]
    assert len(own_scripts) == 1 and own_scripts[0].startswith("/desktop/static/desktop.bundle.js?v=")
    text = requests.get(finesse.url + own_scripts[0], timeout=10).text
    names = re.findall(r"^/\* ---- (\S+) ---- \*/$", text, re.MULTILINE)
    assert names == list(DESKTOP_SCRIPTS) and names[-2:] == ["desktop.js", "simulator.js"]
    for name in names:
        assert (STATIC_DIR / name).read_text(encoding="utf-8") in text


def test_a_changed_finesse_js_setting_changes_the_version_the_desktop_writes(finesse, tmp_path):
    """FINESSE_JS pointed at another library: the desktop page names the new version (no stale cache)."""
    before = [u for u in versioned_urls(desktop_page(finesse)) if "/desktop/assets/js/finesse" in u]
    library = tmp_path / "finesse.js"
    library.write_text("/* another finesse.js */", encoding="utf-8")
    finesse.app.config["FINESSE_JS"] = str(library)
    try:
        after = [u for u in versioned_urls(desktop_page(finesse)) if "/desktop/assets/js/finesse" in u]
        assert after != before
        assert requests.get(finesse.url + after[0], timeout=10).text == "/* another finesse.js */"
    finally:
        finesse.app.config["FINESSE_JS"] = ""


def test_an_edited_file_gets_a_new_version_at_once_and_an_unchanged_one_is_not_hashed_again(
    finesse, tmp_path, monkeypatch
):
    """The versions the desktop page writes follow its files (an edit is named on the next render, no restart),
    but rendering it again while nothing changed reads and hashes none of them (the eight scripts included)."""
    library = tmp_path / "finesse.js"
    library.write_text("/* finesse.js, first */", encoding="utf-8")
    monkeypatch.setitem(finesse.app.config, "FINESSE_JS", str(library))
    first = desktop_page(finesse)
    work = []
    original_read, original_hash = pathlib.Path.read_bytes, assets.content_version
    monkeypatch.setattr(pathlib.Path, "read_bytes", lambda path: work.append(str(path)) or original_read(path))
    monkeypatch.setattr(assets, "content_version", lambda data: work.append(len(data)) or original_hash(data))
    assert versioned_urls(desktop_page(finesse)) == versioned_urls(first)
    assert work == [], "an unchanged file was read or hashed again to render the desktop"
    stamp = library.stat().st_mtime_ns + 1_000_000
    library.write_text("/* finesse.js, edited */", encoding="utf-8")
    os.utime(library, ns=(stamp, stamp))
    edited = [u for u in versioned_urls(desktop_page(finesse)) if "/desktop/assets/js/finesse" in u]
    assert edited != [u for u in versioned_urls(first) if "/desktop/assets/js/finesse" in u]
    assert requests.get(finesse.url + edited[0], timeout=10).text == "/* finesse.js, edited */"
