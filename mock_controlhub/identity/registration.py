"""Component registration with Context Service (``/v1/authorize``, ``/v1/unauthorize``), as on ccfs.

``GET /v1/authorize?callbackUrl=…&appType=…`` → admin sign-in → consent page → Accept registers the component
and redirects to ``callbackUrl?connectionData=<base64 JSON>``; Decline redirects with ``error=access_denied``.
``GET /v1/unauthorize?callbackUrl=…&connectionData=…`` deregisters the component whose credentials the
connection data holds (holding them is the proof of ownership) and redirects with ``deregistered=true``.
"""

import base64
import binascii
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as BaseResponse

from ..errors import BadRequest, ContextServiceError
from ..pages.routes import Page, backend, render_error_page, signed_in_admin, verify_csrf
from ..shapes import Wire
from . import models as identity
from .exceptions import NotEntitled, Unauthorized

bp = Blueprint("registration", __name__, url_prefix="/v1")

CALLBACK_MAX_LENGTH = 2048
APP_TYPE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@bp.errorhandler(ContextServiceError)
def render_registration_error(exc: ContextServiceError) -> Page:
    """Registration runs in the admin's browser: errors are pages, not JSON."""
    return render_error_page(exc.message, exc.status, exc.type)


@bp.route("/authorize", methods=["GET"])
def authorize() -> ResponseReturnValue:
    """The consent page naming the component and the org (after admin sign-in)."""
    callback_url, app_type = _registration_params(request.args)
    if not signed_in_admin():
        return _sign_in_first(callback_url, app_type)
    return render_template(
        "controlhub/consent.html",
        callback_url=callback_url,
        app_type=app_type,
        component=urlsplit(callback_url).hostname,
    )


@bp.route("/authorize", methods=["POST"])
def decide() -> ResponseReturnValue:
    """Accept: register and hand the connection data to the callback; Decline: ``error=access_denied``."""
    callback_url, app_type = _registration_params(request.form)
    if not signed_in_admin():
        return _sign_in_first(callback_url, app_type)
    csrf_refusal = verify_csrf()
    if csrf_refusal:
        return csrf_refusal
    if request.form.get("decision") != "accept":
        return redirect(with_query(callback_url, error="access_denied"))
    if not identity.get_org(backend())["entitled"]:
        raise NotEntitled(
            "Your organization is not entitled to Context Service. "
            "Turn it on under Services > Hybrid Context > Settings, then register again."
        )
    component = urlsplit(callback_url).hostname or ""  # validate_callback_url saw a host name
    reg = identity.register_component(backend(), component, app_type, callback_url)
    return redirect(
        with_query(callback_url, connectionData=encode_connection_data(identity.connection_data(backend(), reg)))
    )


@bp.route("/unauthorize", methods=["GET"])
def unauthorize() -> ResponseReturnValue:
    """Deregister the component identified by ``connectionData`` and return to ``callbackUrl``."""
    callback_url = validate_callback_url(request.args.get("callbackUrl"))
    credentials = decode_connection_data(request.args.get("connectionData"))["credentials"]
    reg = identity.find_registration_by_client(backend(), credentials["clientId"])
    if reg is None or not secrets.compare_digest(credentials["clientSecret"], reg["client_secret"]):
        raise Unauthorized(
            "connectionData: the credentials do not belong to any registered component.", field="connectionData"
        )
    identity.deregister(backend(), reg["id"])
    return redirect(with_query(callback_url, deregistered="true"))


def _sign_in_first(callback_url: str, app_type: str) -> BaseResponse:
    """To the admin sign-in, then back to the consent page of this registration."""
    consent = url_for("registration.authorize", callbackUrl=callback_url, appType=app_type)
    return redirect(url_for("pages.signin", next=consent))


def _registration_params(values: Mapping[str, str]) -> tuple[str, str]:
    """``(callbackUrl, appType)`` of the request, each checked."""
    return validate_callback_url(values.get("callbackUrl")), validate_app_type(values.get("appType"))


def validate_callback_url(url: str | None) -> str:
    """``url`` when it is an absolute http(s) URL of at most 2,048 characters; else BadRequest naming it."""
    if not url:
        raise BadRequest("callbackUrl is required: the absolute http(s) URL to return to.", field="callbackUrl")
    if len(url) > CALLBACK_MAX_LENGTH:
        raise BadRequest(
            f"callbackUrl must be at most {CALLBACK_MAX_LENGTH} characters.",
            field="callbackUrl",
            limit=CALLBACK_MAX_LENGTH,
        )
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        hostname = None
    if hostname is None or parts.scheme not in ("http", "https"):
        raise BadRequest(f"callbackUrl must be an absolute http or https URL, got {url!r}.", field="callbackUrl")
    return url


def validate_app_type(app_type: str | None) -> str:
    """``app_type`` when it is 1–64 letters, digits, ``_ . -``; else BadRequest naming it."""
    if not app_type or not APP_TYPE_PATTERN.match(app_type):
        raise BadRequest(
            "appType is required: 1 to 64 letters, digits, '_', '.' or '-' (for example 'custom').",
            field="appType",
            limit=64,
        )
    return app_type


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query string (existing parameters kept, fragment kept)."""
    parts = urlsplit(url)
    query = urlencode(parse_qsl(parts.query, keep_blank_values=True) + list(params.items()))
    return urlunsplit(parts._replace(query=query))


def encode_connection_data(data: Wire) -> str:
    """The ``connectionData`` string: base64 of the compact JSON."""
    return base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_connection_data(text: str | None) -> dict[str, Any]:
    """Parse ``connectionData``; BadRequest naming it unless it holds ``credentials.clientId/clientSecret``."""
    if not text:
        raise BadRequest("connectionData is required: the string the registration returned.", field="connectionData")
    try:
        # A '+' sent without URL-encoding arrives as a space; put it back rather than refuse the data.
        data = json.loads(base64.b64decode(text.replace(" ", "+").encode(), validate=True))
        credentials = data["credentials"]
        if not all(isinstance(credentials.get(key), str) for key in ("clientId", "clientSecret")):
            raise KeyError("clientId")
    except (binascii.Error, ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        raise BadRequest(
            "connectionData must be the base64 JSON returned by registration, with "
            "credentials.clientId and credentials.clientSecret.",
            field="connectionData",
        ) from None
    return data
