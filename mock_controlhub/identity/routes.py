"""Identity side of the mock cloud: OAuth2 token endpoint, service discovery, admin authorization status."""
from flask import Blueprint, jsonify, request

from ..errors import BadRequest, NotFound
from ..web import get_backend
from . import models as identity

bp = Blueprint("identity_api", __name__)

GRANT_TYPES = ("client_credentials", "password")
# Discovery names the services a client looks up; the mock serves all of them from one base URL.
DISCOVERED_SERVICES = ("context", "dictionary", "management", "ccfs", "idbroker")


def form_value(name):
    """A required form parameter of the token request, or a BadRequest naming it."""
    value = request.form.get(name, "").strip()
    if not value:
        raise BadRequest(f"{name} is required.", field=name)
    return value


@bp.route("/idb/oauth2/v1/access_token", methods=["POST"])
def access_token():
    """OAuth2 token: ``client_credentials`` for registered components, ``password`` for the org admin."""
    grant_type = form_value("grant_type")
    backend = get_backend()
    if grant_type == "client_credentials":
        token = identity.issue_machine_token(backend, form_value("client_id"), form_value("client_secret"))
    elif grant_type == "password":
        token = identity.issue_admin_token(backend, form_value("username"), form_value("password"))
    else:
        raise BadRequest(f"grant_type {grant_type!r} is not supported; use {' or '.join(GRANT_TYPES)}.",
                         field="grant_type")
    response = jsonify(token)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/discovery/apps/v1", methods=["GET"])
def discovery():
    """Where each Context Service service lives: here, for all of them."""
    location = request.host_url.rstrip("/")
    return jsonify([{"service": name, "endpoints": [{"location": location}]} for name in DISCOVERED_SERVICES])


@bp.route("/AdminAuthorizationStatus/<org_id>", methods=["GET"])
def admin_authorization_status(org_id):
    """200 ``Authorized`` for an entitled org's admin; 403 when the caller is not authorized."""
    backend = get_backend()
    identity.check_token(backend, request.headers.get("Authorization"), identity.SCOPE_ADMIN)
    if org_id != identity.get_org(backend)["id"]:
        raise NotFound(f"Unknown organization {org_id}.", field="orgId")
    return jsonify({"orgId": org_id, "status": "Authorized"})
