"""How every server of the project answers errors: its own error class, werkzeug's HTTP errors and unexpected
exceptions all leave in the server's one wire shape.

``register_error_handlers(app, base, render, from_http)`` installs the three handlers; each server passes
``render`` (its error as its JSON or XML answer, with its status) and ``from_http`` (a werkzeug HTTPException
as its own error: 404 and 405 with its route messages, the rest by status). What is the same everywhere lives
here: an unexpected exception is logged once, with an error id the answer names, and answered as a werkzeug
500 through ``from_http``; the headers werkzeug's error carries (``Allow`` on a 405) stay on the answer.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, make_response, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

E = TypeVar("E", bound=Exception)

UNEXPECTED_MESSAGE = "Unexpected error (id {error_id}); the server log has the details."


def register_error_handlers(
    app: Flask,
    base: type[E],
    render: Callable[[E], ResponseReturnValue],
    from_http: Callable[[HTTPException], E],
) -> None:
    """Answer ``base`` errors with ``render``, werkzeug's HTTP errors and unexpected exceptions with
    ``render(from_http(...))``."""

    @app.errorhandler(base)
    def handle_own_error(exc: E) -> Response:
        """The server's own error in its wire shape."""
        return make_response(render(exc))

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> Response:
        """Routing, method and body-size errors in the same shape, with werkzeug's headers."""
        return http_error_response(exc, render, from_http)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        """A bug: logged once with an id, answered as a 500 naming the id."""
        error_id = uuid.uuid4().hex[:12]
        app.logger.exception("unexpected error", extra={"errorId": error_id, "path": request.path})
        failure = InternalServerError(UNEXPECTED_MESSAGE.format(error_id=error_id), original_exception=exc)
        return http_error_response(failure, render, from_http)


def http_error_response(
    exc: HTTPException,
    render: Callable[[E], ResponseReturnValue],
    from_http: Callable[[HTTPException], E],
) -> Response:
    """``exc`` rendered as the server's error, keeping the headers werkzeug sends with it (``Allow`` on a 405,
    ``WWW-Authenticate`` on a 401) except its HTML ``Content-Type``."""
    response = make_response(render(from_http(exc)))
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers.setdefault(name, value)
    return response
