"""/desktop/thirdparty/…: the libraries Finesse 12.x serves to gadgets by path (Bootstrap 3.2.0 and 5.3.1, from
the npm registry's bootstrap package unpacked by ./harness setup), and a clear 404 when one is missing."""

import pytest
import requests

from finesse_harness.servers import ServerThread
from mock_finesse import create_app
from mock_finesse.config import DEFAULT_THIRDPARTY_DIR, ConfigError, load_config


@pytest.fixture(scope="module")
def empty_thirdparty(tmp_path_factory):
    """A mock Finesse whose THIRDPARTY_DIR holds nothing (as on a machine without npm)."""
    with ServerThread(create_app({"THIRDPARTY_DIR": str(tmp_path_factory.mktemp("thirdparty"))})) as server:
        yield server


def empty_app_folder(server):
    """The THIRDPARTY_DIR of a server (an absolute path on this machine)."""
    return server.app.config["THIRDPARTY_DIR"]


def get(server, path):
    return requests.get(f"{server.url}{path}", timeout=5)


@pytest.mark.parametrize(
    "path, marker",
    [
        ("bootstrap/3.2.0/css/bootstrap.min.css", "Bootstrap v3.2.0"),
        ("bootstrap/3.2.0/js/bootstrap.min.js", "Bootstrap v3.2.0"),
        ("bootstrap/5.3.1/css/bootstrap.css", "Bootstrap  v5.3.1"),
        ("bootstrap/5.3.1/js/bootstrap.bundle.min.js", "Bootstrap v5.3.1"),
    ],
)
def test_bootstrap_is_served_at_finesses_thirdparty_paths(finesse, path, marker):
    """The files of Bootstrap's dist/ folder, as ./harness setup unpacked them into .thirdparty."""
    assert DEFAULT_THIRDPARTY_DIR.is_dir(), "run ./harness setup: it unpacks Bootstrap into .thirdparty"
    response = get(finesse, f"/desktop/thirdparty/{path}")
    assert response.status_code == 200
    assert marker in response.text[:400]
    assert response.headers["Content-Type"].split(";")[0] == (
        "text/css" if path.endswith(".css") else "text/javascript"
    )


def test_a_library_that_is_not_unpacked_answers_404_naming_the_package_and_the_setup_command_only(
    empty_thirdparty, api_error
):
    """An empty THIRDPARTY_DIR: 404 <ApiErrors> whose message names the package and ./harness setup, and whose
    data names the package; nothing of the server's file system is shown (review finding: the absolute path of
    the folder was in the body)."""
    response = get(empty_thirdparty, "/desktop/thirdparty/bootstrap/3.2.0/css/bootstrap.min.css")
    assert response.status_code == 404
    error_type, message, data = api_error(response)
    assert (error_type, data) == ("Not Found", "bootstrap@3.2.0")
    assert message == (
        "bootstrap@3.2.0 is not installed in this mock Finesse: ./harness setup fetches it (npm pack bootstrap@3.2.0)."
    )
    assert empty_app_folder(empty_thirdparty) not in response.text


def test_a_library_or_version_the_mock_does_not_serve_answers_404_listing_what_it_serves(finesse, api_error):
    response = get(finesse, "/desktop/thirdparty/bootstrap/4.0.0/css/bootstrap.css")
    assert response.status_code == 404
    assert api_error(response) == (
        "Not Found",
        "The mock Finesse serves /desktop/thirdparty/bootstrap/3.2.0/, /desktop/thirdparty/bootstrap/5.3.1/ only.",
        "bootstrap/4.0.0",
    )


def test_a_path_out_of_the_library_folder_is_not_served(finesse):
    """../ cannot leave the library's folder (werkzeug's safe_join)."""
    response = get(finesse, "/desktop/thirdparty/bootstrap/3.2.0/..%2f..%2f..%2fpyproject.toml")
    assert response.status_code == 404


def test_a_thirdparty_dir_that_is_not_a_folder_stops_start_up(tmp_path):
    with pytest.raises(ConfigError, match="THIRDPARTY_DIR must name a folder, got '.*missing'"):
        load_config({"THIRDPARTY_DIR": str(tmp_path / "missing")}, environ={})
