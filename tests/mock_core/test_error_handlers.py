"""The three servers answer every error in their own wire shape through ``mock_core.errors`` (issue #16 item 4):
their own error class, werkzeug's routing errors and an unexpected exception, over real HTTP.

The shapes are the ones each server documents: Context Service's ``{"error": {"type", "message", ...}}``
(docs/mock-controlhub.md), the gadget API's ``{"error": {"code", "message", ...}}`` (docs/gadget-plugin.md)
and Finesse's ``<ApiErrors>`` [reference/finesse.md, Finesse REST API "API Errors"]. A 405 carries ``Allow``
(RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field in a 405 response").
"""

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from flask import Flask, abort
from lxml import etree

import gadget_plugin
import gadget_plugin.errors
import mock_controlhub
import mock_controlhub.errors
import mock_finesse
import mock_finesse.errors
from finesse_harness.servers import ServerThread

UNEXPECTED = re.compile(r"^Unexpected error \(id ([0-9a-f]{12})\); the server log has the details\.$")


def context_service_error(response: requests.Response) -> dict[str, Any]:
    """The ``error`` object of a mock Context Service answer, its key renamed to the common ``kind``."""
    error = dict(response.json()["error"])
    error["kind"] = error.pop("type")
    return error


def gadget_error(response: requests.Response) -> dict[str, Any]:
    """The ``error`` object of a gadget API answer, its ``code`` renamed to the common ``kind``."""
    error = dict(response.json()["error"])
    error["kind"] = error.pop("code")
    return error


def finesse_error(response: requests.Response) -> dict[str, Any]:
    """An ``<ApiErrors>`` answer as ``{kind, message, data}``."""
    root = etree.fromstring(response.content)
    assert root.tag == "ApiErrors", response.text
    (error,) = root.findall("ApiError")
    return {
        "kind": error.findtext("ErrorType"),
        "message": error.findtext("ErrorMessage"),
        "data": error.findtext("ErrorData"),
    }


@dataclass
class Server:
    """One server under test: its app factory, how to read its error, and what it answers."""

    build: Callable[[Any], Flask]
    read_error: Callable[[requests.Response], dict[str, Any]]
    content_type: str
    own_error: Callable[[], Exception]
    expected: dict[str, dict[str, Any]]


def _controlhub(tmp_path: Any) -> Flask:
    return mock_controlhub.create_app({"INSTANCE_PATH": str(tmp_path)})


def _finesse(tmp_path: Any) -> Flask:
    return mock_finesse.create_app({"LAYOUTS_DIR": "", "INSTANCE_PATH": str(tmp_path)})


def _gadget(tmp_path: Any) -> Flask:
    return gadget_plugin.create_app(
        {
            "FINESSE_URLS": ["http://127.0.0.1:9"],
            "CONTEXT_SERVICE_URL": "http://127.0.0.1:9",
            "INSTANCE_PATH": str(tmp_path),
            "LOG_LEVEL": "ERROR",
        }
    )


def _controlhub_own_error() -> Exception:
    return mock_controlhub.errors.ValidationFailed("Tags are at most 50 characters.", field="tags", limit=50)


def _finesse_own_error() -> Exception:
    return mock_finesse.errors.InvalidInput("Reason code must be a number.", data="reasonCodeId")


def _gadget_own_error() -> Exception:
    return gadget_plugin.errors.ValidationFailed("Tags are at most 50 characters.", field="tags", limit=50)


SERVERS = {
    "controlhub": Server(
        _controlhub,
        context_service_error,
        "application/json",
        _controlhub_own_error,
        {
            "own": {"kind": "VALIDATION_ERROR", "message": "Tags are at most 50 characters.", "field": "tags"},
            "not_found": {"kind": "NOT_FOUND", "message": "No route for GET /_test/missing."},
            "not_allowed": {"kind": "METHOD_NOT_ALLOWED", "message": "DELETE is not allowed on /_test/only-get."},
            "aborted": {"kind": "BAD_REQUEST", "message": "The form expired."},
            "unexpected": {"kind": "INTERNAL_SERVER_ERROR"},
        },
    ),
    "finesse": Server(
        _finesse,
        finesse_error,
        "application/xml",
        _finesse_own_error,
        {
            "own": {"kind": "Invalid Input", "message": "Reason code must be a number.", "data": "reasonCodeId"},
            "not_found": {
                "kind": "Not Found",
                "message": "No resource at GET /_test/missing.",
                "data": "/_test/missing",
            },
            "not_allowed": {
                "kind": "Method Not Allowed",
                "message": "DELETE is not allowed on /_test/only-get.",
                "data": "DELETE",
            },
            "aborted": {"kind": "Bad Request", "message": "The form expired.", "data": ""},
            "unexpected": {"kind": "Internal Server Error", "data": ""},
        },
    ),
    "gadget": Server(
        _gadget,
        gadget_error,
        "application/json",
        _gadget_own_error,
        {
            "own": {"kind": "VALIDATION_FAILED", "message": "Tags are at most 50 characters.", "field": "tags"},
            "not_found": {"kind": "NOT_FOUND", "message": "No route for GET /_test/missing."},
            "not_allowed": {"kind": "METHOD_NOT_ALLOWED", "message": "DELETE is not allowed on /_test/only-get."},
            "aborted": {"kind": "BAD_REQUEST", "message": "The form expired."},
            "unexpected": {"kind": "INTERNAL_ERROR"},
        },
    ),
}


class Records(logging.Handler):
    """Keeps the records of one logger (the gadget's does not propagate to pytest's capture)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record."""
        self.records.append(record)


@dataclass
class Running:
    """A started server with its test routes, and the records its logger wrote."""

    server: Server
    url: str
    log: Records

    def get(self, path: str, method: str = "GET") -> requests.Response:
        """``method path`` over HTTP."""
        return requests.request(method, self.url + path, timeout=10)


@pytest.fixture(params=sorted(SERVERS))
def running(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Running]:
    """Each server with its test routes (one method only, its own error, 404, an abort, a bug) on a free port."""
    server = SERVERS[request.param]
    app = server.build(tmp_path)

    @app.route("/_test/only-get", methods=["GET"])
    def only_get() -> str:
        return "ok"

    @app.route("/_test/own-error")
    def own_error() -> str:
        raise server.own_error()

    @app.route("/_test/missing")
    def missing() -> str:
        abort(404)  # what routing raises for an unknown path (the gadget's own paths need credentials)

    @app.route("/_test/aborted")
    def aborted() -> str:
        abort(400, "The form expired.")

    @app.route("/_test/bug")
    def bug() -> str:
        raise RuntimeError("a bug in a view")

    log = Records()
    app.logger.addHandler(log)
    try:
        with ServerThread(app) as thread:
            yield Running(server, thread.url, log)
    finally:
        app.logger.removeHandler(log)


def _assert_error(running: Running, response: requests.Response, status: int, case: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith(running.server.content_type), response.headers
    error = running.server.read_error(response)
    expected = running.server.expected[case]
    assert {key: error.get(key) for key in expected} == expected, error
    return error


def test_the_servers_own_error_keeps_its_wire_shape_and_status(running: Running) -> None:
    """A validation error raised by a view: status 400 and the server's own shape with its details."""
    _assert_error(running, running.get("/_test/own-error"), 400, "own")


def test_a_404_is_in_the_servers_shape_naming_the_path(running: Running) -> None:
    """Werkzeug's 404: the server's shape naming method and path (not werkzeug's HTML page)."""
    _assert_error(running, running.get("/_test/missing"), 404, "not_found")


def test_a_wrong_method_is_a_405_in_the_servers_shape_with_allow(running: Running) -> None:
    """A route without this method: 405 in the server's shape, and the Allow header werkzeug computed."""
    response = running.get("/_test/only-get", method="DELETE")
    _assert_error(running, response, 405, "not_allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD", "OPTIONS"}


def test_an_aborted_request_keeps_its_status_and_description(running: Running) -> None:
    """``abort(400, description)``: 400 in the server's shape with the description as the message."""
    _assert_error(running, running.get("/_test/aborted"), 400, "aborted")


def test_an_unexpected_exception_is_a_500_naming_an_id_logged_once(running: Running) -> None:
    """A bug in a view: 500 in the server's shape, the message names an error id, and the log holds the
    traceback once, under that id."""
    error = _assert_error(running, running.get("/_test/bug"), 500, "unexpected")
    match = UNEXPECTED.match(error["message"])
    assert match, error
    with_traceback = [record for record in running.log.records if record.exc_info]
    assert len(with_traceback) == 1, with_traceback
    assert getattr(with_traceback[0], "errorId", None) == match.group(1)
    exc_info = with_traceback[0].exc_info
    assert exc_info and "a bug in a view" in str(exc_info[1])
