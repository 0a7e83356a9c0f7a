"""Mock Webex Control Hub + Context Service: a Flask app built by ``create_app``.

Shaped like a moto service family: one sub-package per service, each with its routes, models and
exceptions — ``contextservice`` (objects and search), ``dictionary`` (fields, fieldsets, org limits),
``identity`` (org, tokens, registration), ``pages`` (Control Hub's Hybrid Context pages) and ``control``
(the ``/_mock`` control API). All state lives in one ``ControlHubBackend`` (state.py) with ``reset()``.
"""

import uuid

from typing import Any

from flask import Flask, Response, request

from mock_core.errors import register_error_handlers
from mock_core.web import protect_pages, redact_access_log

from .config import load_config
from .contextservice import routes as context_routes
from .control import routes as control_routes
from .dictionary import routes as dictionary_routes
from . import errors
from .errors import ContextServiceError
from .identity import registration, routes as identity_routes
from .pages import fields as field_pages, fieldsets as fieldset_pages, routes as pages, services as service_pages
from .state import ControlHubBackend
from .web import EXTENSION, answered_after_latency, get_backend

__all__ = ["create_app", "get_backend"]


def create_app(overrides: dict[str, Any] | None = None, backend: ControlHubBackend | None = None) -> Flask:
    """Build the app; ``overrides`` patch settings (tests pass ``{"DATABASE": ":memory:"}``)."""
    app = Flask(__name__)
    config = load_config(overrides)
    app.config.update(config)
    app.extensions[EXTENSION] = backend or ControlHubBackend(config)
    register_blueprints(app)
    register_error_handlers(app, ContextServiceError, errors.to_response, errors.from_http)
    register_tracking_id(app)
    protect_pages(app)
    redact_access_log()
    app.wsgi_app = answered_after_latency(app.wsgi_app)  # type: ignore[method-assign,assignment]
    return app


def register_blueprints(app: Flask) -> None:
    """One blueprint per concern."""
    app.register_blueprint(control_routes.bp)
    app.register_blueprint(context_routes.bp)
    app.register_blueprint(dictionary_routes.bp)
    app.register_blueprint(identity_routes.bp)
    for page_blueprint in (pages.bp, service_pages.bp, field_pages.bp, fieldset_pages.bp, registration.bp):
        app.register_blueprint(page_blueprint)


def register_tracking_id(app: Flask) -> None:
    """Every response carries a ``trackingid`` header, as Context Service's do."""

    @app.after_request
    def add_tracking_id(response: Response) -> Response:
        response.headers.setdefault("trackingid", request.headers.get("trackingid") or f"MOCK_{uuid.uuid4()}")
        return response
