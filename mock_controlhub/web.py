"""Request helpers every blueprint shares: the app's backend and the JSON body of a request."""

from flask import current_app, request

from .errors import BadRequest

EXTENSION = "mock_controlhub"


def get_backend(app=None):
    """The app's ControlHubBackend (``current_app`` when no app is given)."""
    return (app or current_app).extensions[EXTENSION]


def json_body():
    """The request's JSON object, or a BadRequest naming the problem."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object.")
    return body
