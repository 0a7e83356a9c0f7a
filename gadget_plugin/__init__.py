"""The Customer Context gadget server: gadget.xml + JS/CSS, and the proxy to Context Service (``create_app``)."""

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from . import bulkheads
from .backend import GadgetBackend
from .config import ConfigError, load_config
from .errors import GadgetError, InternalError, MethodNotAllowed, NotFound, PayloadTooLarge

EXTENSION = "gadget_plugin"
log = logging.getLogger(__name__)


def create_app(
    overrides: Mapping[str, Any] | None = None,
    backend: GadgetBackend | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> Flask:
    """Build the app; ``overrides`` patch settings, ``defaults`` the defaults. Bad or missing settings raise
    ConfigError naming them."""
    from . import logs

    config = load_config(overrides, defaults=defaults)
    app = Flask(__name__, static_folder=None)
    app.config.update(config)
    # One byte more than the limit: a chunked body is read up to there to tell "too large" (json_input).
    app.config["MAX_CONTENT_LENGTH"] = config["MAX_BODY_BYTES"] + 1
    logs.configure(config["LOG_LEVEL"])
    app.extensions[EXTENSION] = backend or GadgetBackend(config)
    if config["ENV"] == "production" and not get_backend(app).connection_data():
        raise ConfigError(
            "CUSTOMER_CONTEXT_CONNECTION_DATA must be set in production "
            "(or run 'customer-context register' to store it in the instance folder)"
        )
    register_blueprints(app)
    register_error_handlers(app)
    logs.register_access_log(app)  # first, so refused requests are logged with their request id too
    bulkheads.register(app, get_backend(app).pools)
    from .security import register_security_headers

    register_security_headers(app)
    return app


def get_backend(app: Flask | None = None) -> GadgetBackend:
    """The app's GadgetBackend (``current_app`` when no app is given)."""
    backend: GadgetBackend = (app or current_app).extensions[EXTENSION]
    return backend


def register_blueprints(app: Flask) -> None:
    """One blueprint per concern."""
    from . import gadget_files, health
    from .api import activities, customers, meta, moves, requests_api

    for module in (health, gadget_files, meta, customers, requests_api, activities, moves):
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    """Every error as the one JSON shape; unexpected ones get an error id that is in the log."""

    @app.errorhandler(GadgetError)
    def handle_gadget_error(exc: GadgetError) -> ResponseReturnValue:
        """An API error as its JSON shape and status."""
        return jsonify(exc.to_dict()), exc.status

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> ResponseReturnValue:
        """Routing and body-size errors in the same shape."""
        err: GadgetError
        if exc.code == 404:
            err = NotFound(f"No route for {request.method} {request.path}.")
        elif exc.code == 405:
            err = MethodNotAllowed(f"{request.method} is not allowed on {request.path}.")
        elif exc.code == 413:
            limit = current_app.config["MAX_BODY_BYTES"]
            err = PayloadTooLarge(f"The request body must be at most {limit} bytes.", field="body", limit=limit)
        else:
            err = GadgetError(exc.description or exc.name)
            err.status = exc.code or 500
        return jsonify(err.to_dict()), err.status

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> ResponseReturnValue:
        """A bug: log it with an id, answer INTERNAL_ERROR naming the id."""
        error_id = uuid.uuid4().hex[:12]
        log.exception("unexpected error", extra={"errorId": error_id, "path": request.path})
        err = InternalError(f"Unexpected error (id {error_id}); the server log has the details.")
        return jsonify(err.to_dict()), err.status
