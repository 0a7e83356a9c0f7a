"""The gadget server's file caches: bounded however often the files change, a changed file seen at once, an
unchanged folder not read again, and a spec's odd script URLs (a ``?v=`` cache buster, a ``../`` path) neither
a 500 nor a way out of the gadget folder."""

import os
import pathlib
import re
import shutil

import pytest
import requests

from gadget_plugin import gadget_files, gadget_spec
from mock_core import static_files

BUNDLE_TAG = re.compile(r'src="(js/scripts\.[0-9a-f]{10}\.js)"')


@pytest.fixture()
def own_folder(gadget, tmp_path, monkeypatch):
    """A copy of the gadget folder and of gadget.xml that the running server serves instead of its own."""
    folder = tmp_path / "gadget"
    shutil.copytree(gadget_spec.ASSET_DIR, folder)
    spec = tmp_path / "gadget.xml"
    shutil.copyfile(gadget.app.config["GADGET_SPEC"], spec)
    monkeypatch.setattr(gadget_spec, "ASSET_DIR", folder.resolve())
    monkeypatch.setitem(gadget.app.config, "GADGET_SPEC", str(spec))
    return folder


def rewrite(path, text):
    """Write ``text`` to ``path`` with a modification time of its own (an edit the same nanosecond is not one)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def served_spec(gadget):
    """The served gadget.xml as text (it must answer 200)."""
    response = requests.get(gadget.url + "/gadget.xml", timeout=10)
    assert response.status_code == 200, response.text[:500]
    return response.text


def served_bundle(gadget, spec_text):
    """The scripts bundle the served spec names (it must answer 200)."""
    response = requests.get(f"{gadget.url}/{BUNDLE_TAG.search(spec_text)[1]}", timeout=10)
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_many_versions_of_a_file_stay_within_the_cache_bound_and_the_newest_is_served(gadget, own_folder):
    """Every version of a file goes through the one bounded cache of file contents, which never holds more than
    its bound, and each request gets the version on disk (an edit or a deployment never grows the memory)."""
    path = own_folder / "js" / "versions.js"
    before = static_files._read.cache_info()
    versions = static_files.CACHED_FILES + 20
    for number in range(versions):
        rewrite(path, f"/* version {number} */")
        assert requests.get(gadget.url + "/js/versions.js", timeout=10).text == f"/* version {number} */"
    after = static_files._read.cache_info()
    assert after.misses - before.misses >= versions, "the file versions were not read through the bounded cache"
    assert after.currsize <= after.maxsize == static_files.CACHED_FILES


def test_many_versions_of_the_spec_stay_within_the_cache_bound_and_the_newest_is_served(gadget, own_folder):
    """A spec edited again and again: the rendered specs and bundles kept are bounded, the newest is served."""
    spec = pathlib.Path(gadget.app.config["GADGET_SPEC"])
    source = spec.read_text(encoding="utf-8")
    for number in range(gadget_files.CACHED_SPECS + 5):
        rewrite(spec, source.replace("__MSG_gadget.title__", f"Version {number}"))
        text = served_spec(gadget)
        assert f'title="Version {number}"' in text and "CC.store" in served_bundle(gadget, text)
    for cached in (gadget_files.rendered_spec, gadget_files.scripts_bundle):
        info = cached.cache_info()
        assert info.currsize <= info.maxsize == gadget_files.CACHED_SPECS, cached.__name__


def count_work(monkeypatch):
    """A list that gets one entry per folder listing, file read or content hash from now on."""
    work = []

    def counting(owner, name):
        original = getattr(owner, name)

        def counted(*args, **kwargs):
            work.append((name, str(args[0])[:80]))
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    for name in ("rglob", "iterdir", "glob", "read_bytes", "read_text"):
        counting(pathlib.Path, name)
    counting(gadget_spec, "content_hash")
    return work


def test_an_edited_file_is_seen_at_once_and_an_unchanged_folder_is_not_read_again(gadget, own_folder, monkeypatch):
    """The spec and its bundle name an edited script's new version on the next request (no restart); while
    nothing changes, serving them again lists no folder and reads or hashes no file."""
    first = served_spec(gadget)
    served_bundle(gadget, first)
    work = count_work(monkeypatch)
    assert served_spec(gadget) == first
    served_bundle(gadget, first)
    assert work == [], "an unchanged spec, bundle or folder was listed, read or hashed again"
    rewrite(own_folder / "js" / "store.js", "/* the edited store */")
    second = served_spec(gadget)
    assert BUNDLE_TAG.search(second)[1] != BUNDLE_TAG.search(first)[1]
    assert "/* the edited store */" in served_bundle(gadget, second)


def test_a_script_with_a_version_query_is_served_bundled_not_a_500(gadget, own_folder):
    """``src="js/store.js?v=2"`` (the cache buster Cisco's docs suggest) names js/store.js: the served spec
    answers 200 and its bundle carries that file, in its place in the run."""
    spec = pathlib.Path(gadget.app.config["GADGET_SPEC"])
    rewrite(spec, spec.read_text(encoding="utf-8").replace('src="js/store.js"', 'src="js/store.js?v=2"'))
    bundle = served_bundle(gadget, served_spec(gadget))
    names = re.findall(r"^/\* ---- (\S+) ---- \*/$", bundle, re.MULTILINE)
    assert "js/store.js" in names and names.index("js/store.js") == names.index("js/drafts.js") + 1
    assert (own_folder / "js" / "store.js").read_text(encoding="utf-8") in bundle


def test_a_script_outside_the_gadget_folder_is_never_read_nor_served(gadget, own_folder, tmp_path):
    """``src="../secret.js"``: the served spec answers 200 without bundling or hashing that file, no answer
    carries a byte of it, and the spec check names the URL and the rule."""
    (tmp_path / "secret.js").write_text("/* SECRET outside the folder */", encoding="utf-8")
    spec = pathlib.Path(gadget.app.config["GADGET_SPEC"])
    source = spec.read_text(encoding="utf-8").replace(
        '<script type="text/javascript" src="js/store.js"></script>\n',
        '<script type="text/javascript" src="js/store.js"></script>\n'
        '<script type="text/javascript" src="../secret.js"></script>\n',
    )
    rewrite(spec, source)
    text = served_spec(gadget)
    assert 'src="../secret.js"' in text and "SECRET" not in text
    urls = re.findall(r'(?:src|href)="((?:js|css)/[^"]+)"', text) + ["js/scripts.js", "secret.js", "../secret.js"]
    for url in urls:
        response = requests.get(f"{gadget.url}/{url}", timeout=10)
        assert response.status_code in (200, 404) and "SECRET" not in response.text, url
    problems = gadget_spec.problems(gadget_spec.parse(source), own_folder)
    assert any("../secret.js" in problem and "outside" in problem for problem in problems), problems
