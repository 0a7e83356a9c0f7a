"""Finesse's library paths and the gadgets shim, served over HTTP by the container blueprint."""

import pathlib

import pytest
import requests
import xstatic.pkg.jquery

from mock_finesse.config import ConfigError, load_config


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


def test_message_display_utility_is_served_where_12_6_gadgets_load_it(finesse):
    """/desktop/js/utilities/MessageDisplay.js (TaskManagement 12.6.2 sample's path) is our MessageDisplay."""
    response = requests.get(finesse.url + "/desktop/js/utilities/MessageDisplay.js", timeout=10)
    assert response.status_code == 200 and "javascript" in response.headers["Content-Type"]
    assert b"finesse.utilities.MessageDisplay = {" in response.content


def test_desktop_loads_the_gadgets_container_api_from_shindigs_path(finesse):
    """The desktop's gadgets.* (hub broker) is at the path Finesse's desktop loads Shindig's container from."""
    response = requests.get(
        finesse.url + "/gadgets/js/shindig-container:osapi:pubsub-2:loadingindicator.js", timeout=10
    )
    assert response.status_code == 200 and b"gadgets.Hub = {" in response.content


def test_finesse_js_setting_serves_that_file_at_both_library_paths(finesse, tmp_path):
    """FINESSE_JS names another finesse.js: finesse.js and finesse.min.js serve it; ours again when unset."""
    library = tmp_path / "finesse-10.5.1.js"
    library.write_text("/* someone else's finesse.js */", encoding="utf-8")
    finesse.app.config["FINESSE_JS"] = str(library)
    try:
        for path in ("finesse.js", "finesse.min.js"):
            response = requests.get(f"{finesse.url}/desktop/assets/js/{path}", timeout=10)
            assert response.status_code == 200 and response.text == "/* someone else's finesse.js */"
    finally:
        finesse.app.config["FINESSE_JS"] = ""
    assert b"finesse.restservices" in requests.get(finesse.url + "/desktop/assets/js/finesse.js", timeout=10).content


def test_a_finesse_js_setting_naming_no_file_stops_start_up(tmp_path):
    """FINESSE_JS pointing nowhere is a ConfigError naming the setting."""
    with pytest.raises(ConfigError, match="FINESSE_JS must name a readable finesse.js file"):
        load_config({"FINESSE_JS": str(tmp_path / "missing.js")}, environ={})
