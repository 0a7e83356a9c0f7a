"""The Customer Context gadget server: gadget.xml + JS/CSS, and the proxy to Context Service (``create_app``)."""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from mock_core.errors import register_error_handlers

from . import bulkheads, gadget_files, health, logs
from .api import activities as activities_api
from .api import customers as customers_api
from .api import meta as meta_api
from .api import moves as moves_api
from .api import requests_api
from .backend import EXTENSION, GadgetBackend, get_backend
from .config import ConfigError, load_config
from .errors import GadgetError, error_from_http, error_response
from .security import register_security_headers

__all__ = ["create_app", "get_backend"]


def create_app(
    overrides: Mapping[str, Any] | None = None,
    backend: GadgetBackend | None = None,
    defaults: Mapping[str, Any] | None = None,
) -> Flask:
    """Build the app; ``overrides`` patch settings, ``defaults`` the defaults. Bad or missing settings raise
    ConfigError naming them."""
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
    # Every error as the one JSON shape; unexpected ones get an error id that is in the log.
    register_error_handlers(app, GadgetError, error_response, error_from_http)
    logs.register_access_log(app)  # first, so refused requests are logged with their request id too
    bulkheads.register(app, get_backend(app).pools)
    register_security_headers(app)
    return app


def register_blueprints(app: Flask) -> None:
    """One blueprint per concern."""
    # The route modules are named like the flows they serve (activities, customers, moves): imported under
    # their own names they would rebind gadget_plugin.activities & co., hence the ``_api`` names.
    for module in (health, gadget_files, meta_api, customers_api, requests_api, activities_api, moves_api):
        app.register_blueprint(module.bp)
