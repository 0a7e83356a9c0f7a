"""Mock Cisco Finesse: sign-in, desktop, layouts, REST/XML API, notifications and simulator (``create_app``)."""

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from mock_core.errors import register_error_handlers
from mock_core.web import protect_pages, redact_access_log

from . import (
    assets,
    cfadmin,
    container,
    contextservice_admin,
    control,
    desktop,
    notifications,
    rest,
    thirdparty,
    xmlshapes,
    xmpp,
)
from .config import load_config
from .errors import FinesseError, MethodNotAllowed, NotFound
from .models import EXTENSION, FinesseBackend, get_backend

__all__ = ["create_app", "get_backend"]
MAX_REQUEST_BYTES = 1024 * 1024  # any request body; the REST API allows 64 KB, layouts 256 KB
# The desktop frames its gadgets (/gadgets/ifr, which may frame files of /3rdpartygadget/): same origin only.
FRAMEABLE_PATHS = ("/gadgets/", "/3rdpartygadget/")


def create_app(overrides: Mapping[str, Any] | None = None, backend: FinesseBackend | None = None) -> Flask:
    """Build the app; ``overrides`` patch settings (tests pass e.g. ``{"SSO_ENABLED": True}``)."""
    app = Flask(__name__)
    config = load_config(overrides)
    app.config.update(config)
    # Cookies ignore ports: a distinct name keeps the desktop session apart from the other mocks on 127.0.0.1.
    app.config.update(
        SESSION_COOKIE_NAME="finesse_desktop_session",
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
    )
    app.extensions[EXTENSION] = backend or FinesseBackend(config)
    xmpp.attach(app, app.extensions[EXTENSION])
    register_blueprints(app)
    app.jinja_env.globals["asset_url"] = assets.asset_url  # versioned URLs of the static files (cached a year)
    # Every error, expected or not, as Finesse's <ApiErrors> (HTML pages render their own form errors).
    register_error_handlers(app, FinesseError, error_response, error_from_http)
    protect_pages(app, FRAMEABLE_PATHS)
    redact_access_log()
    return app


def register_blueprints(app: Flask) -> None:
    """One blueprint per concern."""
    app.register_blueprint(rest.bp)
    app.register_blueprint(control.bp)
    app.register_blueprint(container.bp)
    app.register_blueprint(desktop.bp)
    app.register_blueprint(thirdparty.bp)
    app.register_blueprint(notifications.bp)
    app.register_blueprint(cfadmin.bp)
    app.register_blueprint(contextservice_admin.bp)
    app.register_blueprint(xmpp.bp)
    app.register_blueprint(xmpp.control_bp)


def error_response(error: FinesseError) -> Response:
    """A FinesseError as ``<ApiErrors>`` XML with its status."""
    body = xmlshapes.to_xml(xmlshapes.api_errors(error.error_type, error.message, error.data))
    return Response(body, status=error.status, mimetype=xmlshapes.XML_MIMETYPE)


def error_from_http(exc: HTTPException) -> FinesseError:
    """A werkzeug HTTP error as a FinesseError: unknown resource, wrong method, else its status and name."""
    if exc.code == 404:
        return NotFound(f"No resource at {request.method} {request.path}.", data=request.path)
    if exc.code == 405:
        return MethodNotAllowed(f"{request.method} is not allowed on {request.path}.", data=request.method)
    error = FinesseError(exc.description or exc.name)
    error.status = exc.code or 500
    error.error_type = exc.name
    return error
