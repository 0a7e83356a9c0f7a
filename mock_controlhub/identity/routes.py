"""Identity side of the mock cloud: token endpoint, GetBearerToken, machine accounts, Context Service user
authorization, service discovery, admin authorization status."""

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from ..errors import BadRequest, NotFound
from ..state import ControlHubBackend
from ..web import get_backend, json_body
from . import machines, models as identity
from .exceptions import UnsupportedGrantType

bp = Blueprint("identity_api", __name__)

SAML2_BEARER = "urn:ietf:params:oauth:grant-type:saml2-bearer"
# password: the mock's stand-in for the admin's browser sign-in (Control Hub tooling and tests only).
GRANT_TYPES = (SAML2_BEARER, "refresh_token", "password")
# Discovery names the services a client looks up; the mock serves all of them from one base URL.
DISCOVERED_SERVICES = ("context", "dictionary", "management", "ccfs", "idbroker")


def form_value(name: str) -> str:
    """A required form parameter of the token request, or a BadRequest naming it."""
    value = request.form.get(name, "").strip()
    if not value:
        raise BadRequest(f"{name} is required.", field=name)
    return value


def client_credentials() -> tuple[str, str]:
    """``(client id, secret)`` from HTTP Basic (as Cisco's clients send them [CSU]) or the form."""
    auth = request.authorization
    if auth is not None and auth.type == "basic":
        return auth.username or "", auth.password or ""
    return form_value("client_id"), form_value("client_secret")


def admin_backend() -> ControlHubBackend:
    """The backend, after checking the request carries an org admin's token."""
    backend = get_backend()
    identity.check_token(backend, request.headers.get("Authorization"), identity.SCOPE_ADMIN)
    return backend


@bp.route("/idb/oauth2/v1/access_token", methods=["POST"])
def access_token() -> ResponseReturnValue:
    """OAuth2 token endpoint: SAML2-bearer and refresh grants for machine accounts; ``password`` for the
    mock's admin. ``client_credentials`` is refused: Webex does not offer it for Context Service."""
    grant_type = form_value("grant_type")
    backend = get_backend()
    if grant_type == SAML2_BEARER:
        token = machines.saml2_bearer_grant(
            backend, *client_credentials(), form_value("assertion"), request.form.get("scope")
        )
    elif grant_type == "refresh_token":
        token = machines.refresh_grant(backend, *client_credentials(), form_value("refresh_token"))
    elif grant_type == "password":
        token = identity.issue_admin_token(backend, form_value("username"), form_value("password"))
    else:
        raise UnsupportedGrantType(
            f"grant_type {grant_type!r} is not supported; use {', '.join(GRANT_TYPES)} "
            "(machine accounts: GetBearerToken, then the SAML2-bearer grant).",
            field="grant_type",
        )
    response = jsonify(token)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/idb/token/<org_id>/v2/actions/GetBearerToken/invoke", methods=["POST"])
def get_bearer_token(org_id: str) -> ResponseReturnValue:
    """A machine account's name and password → ``{"BearerToken"}`` [CSU lib/machine-account.js]."""
    response = jsonify(machines.get_bearer_token(get_backend(), org_id, json_body()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/organization/<org_id>/v1/Machines", methods=["POST"])
def create_machine_account(org_id: str) -> ResponseReturnValue:
    """Create a machine account ``{name, password, machineType}`` (org admin)."""
    return jsonify(machines.create_machine_account(admin_backend(), org_id, json_body())), 201


@bp.route("/organization/<org_id>/v1/Machines/<machine_id>", methods=["GET"])
def get_machine_account(org_id: str, machine_id: str) -> ResponseReturnValue:
    """One machine account (org admin)."""
    return jsonify(machines.get_machine_account(admin_backend(), org_id, machine_id))


@bp.route("/organization/<org_id>/v1/Machines/<machine_id>", methods=["DELETE"])
def delete_machine_account(org_id: str, machine_id: str) -> ResponseReturnValue:
    """Delete a machine account (org admin)."""
    machines.delete_machine_account(admin_backend(), org_id, machine_id)
    return "", 204


@bp.route("/v1/user/authorize", methods=["POST"])
def authorize_user() -> ResponseReturnValue:
    """Authorize a machine account for Context Service: ``{orgId, userId, type: "machine", workgroup}``."""
    return jsonify(machines.authorize_for_context_service(admin_backend(), json_body()))


@bp.route("/discovery/apps/v1", methods=["GET"])
def discovery() -> ResponseReturnValue:
    """Where each Context Service service lives: here, for all of them."""
    location = request.host_url.rstrip("/")
    return jsonify([{"service": name, "endpoints": [{"location": location}]} for name in DISCOVERED_SERVICES])


@bp.route("/AdminAuthorizationStatus/<org_id>", methods=["GET"])
def admin_authorization_status(org_id: str) -> ResponseReturnValue:
    """200 ``Authorized`` for an entitled org's admin; 403 when the caller is not authorized."""
    backend = admin_backend()
    if org_id != identity.get_org(backend)["id"]:
        raise NotFound(f"Unknown organization {org_id}.", field="orgId")
    return jsonify({"orgId": org_id, "status": "Authorized"})
