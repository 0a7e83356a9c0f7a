"""Wire errors of the mock Context Service / Control Hub: one class per error, one JSON shape.

Every error renders as ``{"error": {"type": <TYPE>, "message": <text>, ...details}}`` with its HTTP status,
for example ``{"error": {"type": "CONFLICT", "message": "...", "current": {...}}}``; ``to_response`` and
``from_http`` are what the server passes to ``mock_core.errors.register_error_handlers``.
"""

from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException


class ContextServiceError(Exception):
    """Base of every wire error; subclasses fix ``status`` and ``type``."""

    status = 400
    type = "BAD_REQUEST"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        """The JSON body sent on the wire."""
        return {"error": {"type": self.type, "message": self.message, **self.details}}


class BadRequest(ContextServiceError):
    """Malformed request: bad JSON, unknown parameter value, wrong method use."""


class ControlRefused(ContextServiceError):
    """A control-API call without the ``X-Mock-Control: 1`` header (what a page of another site would send)."""

    status = 403
    type = "FORBIDDEN"


class ValidationFailed(ContextServiceError):
    """A property or data element breaks a rule; ``field`` names it."""

    type = "VALIDATION_ERROR"


class NotFound(ContextServiceError):
    """Unknown object, field, fieldset or route."""

    status = 404
    type = "NOT_FOUND"


class MethodNotAllowed(ContextServiceError):
    """The route exists but not for this method."""

    status = 405
    type = "METHOD_NOT_ALLOWED"


class Conflict(ContextServiceError):
    """Stale ``lastUpdated`` on update, or a duplicate id; ``current`` carries the stored object."""

    status = 409
    type = "CONFLICT"


class PayloadTooLarge(ContextServiceError):
    """An object or request body over 256 KB."""

    status = 413
    type = "PAYLOAD_TOO_LARGE"


class InjectedFault(ContextServiceError):
    """An error injected through ``/_mock/faults`` (status set by the test)."""

    status = 503
    type = "SERVICE_UNAVAILABLE"

    def __init__(self, status: int, message: str = "Injected fault") -> None:
        super().__init__(message)
        self.status = status


def to_response(error: ContextServiceError) -> ResponseReturnValue:
    """The error's JSON body with its status."""
    return jsonify(error.to_dict()), error.status


def from_http(exc: HTTPException) -> ContextServiceError:
    """A werkzeug HTTP error as the wire error: unknown route, wrong method, else its status and name."""
    if exc.code == 404:
        return NotFound(f"No route for {request.method} {request.path}.")
    if exc.code == 405:
        return MethodNotAllowed(f"{request.method} is not allowed on {request.path}.")
    error = ContextServiceError(exc.description or exc.name)
    error.status = exc.code or 500
    error.type = exc.name.upper().replace(" ", "_")
    return error
