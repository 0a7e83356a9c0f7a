"""Errors of the gadget API: one class per error code, one JSON shape.

Every error renders as ``{"error": {"code": <CODE>, "message": <text>, ...details}}`` with its HTTP status;
details are ``field`` and ``limit`` for validation errors and ``current`` (the stored object) on conflicts.
``error_response`` and ``error_from_http`` are what the server passes to
``mock_core.errors.register_error_handlers``.
"""

from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException


class GadgetError(Exception):
    """Base of every API error; subclasses fix ``status`` and ``code``."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = {key: value for key, value in details.items() if value is not None}

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The JSON body sent to the gadget."""
        return {"error": {"code": self.code, "message": self.message, **self.details}}


class BadRequest(GadgetError):
    """Malformed request: not JSON, not an object, unknown route parameter value."""


class ValidationFailed(GadgetError):
    """A value breaks a rule; ``field`` names it and ``limit`` gives the limit where there is one."""

    code = "VALIDATION_FAILED"


class Unauthorized(GadgetError):
    """Missing or wrong Finesse credentials."""

    status = 401
    code = "UNAUTHORIZED"


class OriginNotAllowed(GadgetError):
    """A browser call from an origin that is not a configured Finesse server."""

    status = 403
    code = "ORIGIN_NOT_ALLOWED"


class NotEntitled(GadgetError):
    """The organisation is not entitled to Context Service."""

    status = 403
    code = "NOT_ENTITLED"


class NotRegistered(GadgetError):
    """Finesse is not (or no longer) registered with Context Service."""

    status = 403
    code = "NOT_REGISTERED"


class NotFound(GadgetError):
    """Unknown customer, request, activity, move or route."""

    status = 404
    code = "NOT_FOUND"


class MethodNotAllowed(GadgetError):
    """The route exists but not for this method."""

    status = 405
    code = "METHOD_NOT_ALLOWED"


class Conflict(GadgetError):
    """Stale ``lastUpdated``: someone else changed the object; ``current`` carries it."""

    status = 409
    code = "CONFLICT"


class RequestClosed(GadgetError):
    """A closed request cannot be changed, nor can activities move to or from it."""

    status = 409
    code = "REQUEST_CLOSED"


class PayloadTooLarge(GadgetError):
    """The request body is over the configured limit."""

    status = 413
    code = "PAYLOAD_TOO_LARGE"


class UpstreamError(GadgetError):
    """Context Service answered with an error the proxy cannot map to anything more precise."""

    status = 502
    code = "UPSTREAM_ERROR"


class UpstreamUnavailable(GadgetError):
    """Context Service (or Finesse) cannot be reached or answers 5xx."""

    status = 503
    code = "UPSTREAM_UNAVAILABLE"


class Overloaded(GadgetError):
    """The proxy's pool for this kind of work is full; the answer carries ``Retry-After``."""

    status = 503
    code = "OVERLOADED"


class UpstreamTimeout(GadgetError):
    """Context Service did not answer in time."""

    status = 504
    code = "UPSTREAM_TIMEOUT"


class InternalError(GadgetError):
    """An unexpected failure; the message carries an error id to find it in the log."""

    status = 500
    code = "INTERNAL_ERROR"


def error_response(error: GadgetError) -> ResponseReturnValue:
    """An API error as its JSON shape and status."""
    return jsonify(error.to_dict()), error.status


def error_from_http(exc: HTTPException) -> GadgetError:
    """Routing, body-size and unexpected (500) errors as API errors; the rest keep their status."""
    if exc.code == 404:
        return NotFound(f"No route for {request.method} {request.path}.")
    if exc.code == 405:
        return MethodNotAllowed(f"{request.method} is not allowed on {request.path}.")
    if exc.code == 413:
        limit = current_app.config["MAX_BODY_BYTES"]
        return PayloadTooLarge(f"The request body must be at most {limit} bytes.", field="body", limit=limit)
    if exc.code == 500:
        return InternalError(exc.description or exc.name)
    error = GadgetError(exc.description or exc.name)
    error.status = exc.code or 500
    return error
