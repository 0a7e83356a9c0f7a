"""Finesse administration → Settings → Context Service Management: register Finesse with Context Service, or
deregister it (Cisco Finesse Administration Guide 12.0(1), "Administration Tools"; UCCX TechNote 213809: "In
Finesse Administration select Register"; UCCX 12.0 Features Guide, "Deregister a Component with Context Service").

Register sends the administrator's browser to Control Hub's ``/v1/authorize`` (sign-in, consent), which returns to
``/cfadmin/contextservice/registered?connectionData=…``; the connection data is written, owner-only, to
``CONTEXT_SERVICE_CONNECTION_FILE``, where a component using Finesse's registration (the demo's gadget server)
reads it. Deregister calls ``/v1/unauthorize`` server to server (the secret never travels through the browser)
and deletes the file. What the page shows beyond the state and these two actions is (inferred).
"""

import json
import os
import pathlib
from urllib.parse import urlencode

import requests
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from mock_core.sessions import csrf_token, require_csrf

from .cfadmin import admin_signed_in

bp = Blueprint("cfadmin_contextservice", __name__, url_prefix="/cfadmin/contextservice")
APP_TYPE = "finesse"
TIMEOUT = 15


@bp.before_request
def require_admin() -> ResponseReturnValue | None:
    """Every page here needs the administration sign-in."""
    if not admin_signed_in():
        return redirect(url_for("cfadmin.admin_home"))
    return None


@bp.route("/", methods=["GET"])
def management() -> ResponseReturnValue:
    """The registration state, with Register or Deregister."""
    return _page(notice=_NOTICES.get(request.args.get("done", "")))


@bp.route("/register", methods=["POST"])
def register() -> ResponseReturnValue:
    """Send the administrator to Control Hub to sign in and accept the registration."""
    require_csrf()
    base = _registration_url()
    if not base:
        return _page(error="Context Service is not configured: set CONTEXT_SERVICE_REGISTRATION_URL.", status=409)
    callback = url_for("cfadmin_contextservice.registered", _external=True)
    return redirect(f"{base}/v1/authorize?" + urlencode({"callbackUrl": callback, "appType": APP_TYPE}))


@bp.route("/registered", methods=["GET"])
def registered() -> ResponseReturnValue:
    """Control Hub's callback: store the connection data, or say why the registration did not complete."""
    data = request.args.get("connectionData", "").strip()
    if not data:
        reason = request.args.get("error") or "Control Hub returned no connection data"
        return _page(error=f"Finesse was not registered: {reason}.", status=400)
    _write_connection_data(data)
    return redirect(url_for("cfadmin_contextservice.management", done="registered"))


@bp.route("/deregister", methods=["POST"])
def deregister() -> ResponseReturnValue:
    """Deregister with the stored connection data (server to server), then delete it."""
    require_csrf()
    data = _connection_data()
    if data is None:
        return _page(error="Finesse is not registered with Context Service.", status=409)
    try:
        answer = requests.get(
            f"{_registration_url()}/v1/unauthorize",
            timeout=TIMEOUT,
            allow_redirects=False,
            params={
                "connectionData": data,
                "callbackUrl": url_for("cfadmin_contextservice.management", _external=True),
            },
        )
    except requests.RequestException as exc:
        return _page(error=f"Control Hub cannot be reached: {exc.__class__.__name__}.", status=502)
    if "deregistered=true" not in answer.headers.get("Location", ""):
        return _page(error=f"Control Hub did not confirm the deregistration (HTTP {answer.status_code}).", status=502)
    _forget_connection_data()
    return redirect(url_for("cfadmin_contextservice.management", done="deregistered"))


_NOTICES = {
    "registered": "Finesse is registered with Context Service.",
    "deregistered": "Finesse is deregistered from Context Service.",
}


def _page(error: str | None = None, notice: str | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "cfadmin/contextservice.html",
        registered=_connection_data() is not None,
        configured=bool(_registration_url() and current_app.config["CONTEXT_SERVICE_CONNECTION_FILE"]),
        error=error,
        notice=notice,
        csrf=csrf_token(),
    ), status


def _registration_url() -> str:
    return current_app.config["CONTEXT_SERVICE_REGISTRATION_URL"].rstrip("/")


def _connection_file() -> pathlib.Path:
    return pathlib.Path(current_app.config["CONTEXT_SERVICE_CONNECTION_FILE"])


def _connection_document() -> dict[str, Any]:
    """The gadget server's connection file as a dict: ``{"connectionData", "machineAccount"?}`` (JSON), or the
    bare base64 string older files hold; ``{}`` when there is none."""
    if not current_app.config["CONTEXT_SERVICE_CONNECTION_FILE"]:
        return {}
    try:
        text = _connection_file().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return {}
    if not text.startswith("{"):
        return {"connectionData": text} if text else {}
    try:
        document = json.loads(text)
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}


def _connection_data() -> str | None:
    return _connection_document().get("connectionData") or None


def _forget_connection_data() -> None:
    """Drop the connection data; the gadget server's machine account, kept in the same file, stays (the org
    still has it, and the next registration uses it again)."""
    rest = {key: value for key, value in _connection_document().items() if key != "connectionData"}
    if rest:
        _write_document(rest)
    else:
        _connection_file().unlink(missing_ok=True)


def _write_connection_data(data: str) -> None:
    """Store new connection data; the gadget server's machine account in the same file is kept."""
    _write_document({**_connection_document(), "connectionData": data})


def _write_document(document: dict[str, Any]) -> None:
    """Replace the file atomically; it is created readable by the owner only."""
    path = _connection_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
        out.write(json.dumps(document) + "\n")
    os.replace(partial, path)
