"""Request helpers every blueprint shares: the app's backend and the JSON body of a request."""

from typing import Any

from flask import Flask, current_app, request

from .errors import BadRequest
from .state import ControlHubBackend

EXTENSION = "mock_controlhub"


def get_backend(app: Flask | None = None) -> ControlHubBackend:
    """The app's ControlHubBackend (``current_app`` when no app is given)."""
    backend: ControlHubBackend = (app or current_app).extensions[EXTENSION]
    return backend


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a BadRequest naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body
