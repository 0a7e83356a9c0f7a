"""Finesse's library paths and the gadgets shim, served over HTTP by the container blueprint."""
import pathlib

import requests
import xstatic.pkg.jquery


def test_jquery_is_served_from_the_xstatic_package_at_finesses_path(finesse):
    """/desktop/assets/js/jquery.min.js is XStatic-jQuery's file, byte for byte."""
    response = requests.get(finesse.url + "/desktop/assets/js/jquery.min.js", timeout=10)
    assert response.status_code == 200
    assert "javascript" in response.headers["Content-Type"]
    assert response.content == (pathlib.Path(xstatic.pkg.jquery.BASE_DIR) / "jquery.min.js").read_bytes()


def test_finesse_js_and_finesse_min_js_are_the_same_library(finesse):
    """finesse.js and finesse.min.js both serve our finesse.js."""
    full = requests.get(finesse.url + "/desktop/assets/js/finesse.js", timeout=10)
    minified = requests.get(finesse.url + "/desktop/assets/js/finesse.min.js", timeout=10)
    assert full.status_code == minified.status_code == 200
    assert full.content == minified.content
    assert b"finesse.restservices" in full.content


def test_gadgets_shim_is_served_where_rendered_gadgets_load_it(finesse):
    """/gadgets/js/gadgets.js is the shim every /gadgets/ifr page references."""
    response = requests.get(finesse.url + "/gadgets/js/gadgets.js", timeout=10)
    assert response.status_code == 200
    assert b"window.gadgets = {" in response.content
