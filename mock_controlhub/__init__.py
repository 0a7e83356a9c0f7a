"""Mock Webex Control Hub + Context Service: a Flask app built by ``create_app``."""
from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from mock_core.web import protect_pages, redact_access_log

from .config import load_config
from .errors import ContextServiceError, MethodNotAllowed, NotFound
from .state import ControlHubBackend

EXTENSION = "mock_controlhub"


def create_app(overrides=None, backend=None):
    """Build the app; ``overrides`` patch settings (tests pass ``{"DATABASE": ":memory:"}``)."""
    app = Flask(__name__)
    config = load_config(overrides)
    app.config.update(config)
    app.extensions[EXTENSION] = backend or ControlHubBackend(config)
    register_blueprints(app)
    register_error_handlers(app)
    register_tracking_id(app)
    protect_pages(app)
    redact_access_log()
    return app


def get_backend(app=None):
    """The app's ControlHubBackend (``current_app`` when no app is given)."""
    from flask import current_app

    return (app or current_app).extensions[EXTENSION]


def register_blueprints(app):
    """One blueprint per concern."""
    from . import context_api, control, dictionary_api, identity_api
    from . import pages, pages_fields, pages_fieldsets, pages_services, registration

    app.register_blueprint(control.bp)
    app.register_blueprint(context_api.bp)
    app.register_blueprint(dictionary_api.bp)
    app.register_blueprint(identity_api.bp)
    for page_blueprint in (pages.bp, pages_services.bp, pages_fields.bp, pages_fieldsets.bp, registration.bp):
        app.register_blueprint(page_blueprint)


def register_error_handlers(app):
    """Every error, expected or not, as the one JSON shape (HTML pages render their own errors)."""

    @app.errorhandler(ContextServiceError)
    def handle_context_error(exc):
        return jsonify(exc.to_dict()), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc):
        if exc.code == 404:
            err = NotFound(f"No route for {request.method} {request.path}.")
        elif exc.code == 405:
            err = MethodNotAllowed(f"{request.method} is not allowed on {request.path}.")
        else:
            err = ContextServiceError(exc.description or exc.name)
            err.status = exc.code
            err.type = exc.name.upper().replace(" ", "_")
        return jsonify(err.to_dict()), err.status


def register_tracking_id(app):
    """Every response carries a ``trackingid`` header, as Context Service's do."""
    import uuid

    @app.after_request
    def add_tracking_id(response):
        response.headers.setdefault("trackingid", request.headers.get("trackingid") or f"MOCK_{uuid.uuid4()}")
        return response
