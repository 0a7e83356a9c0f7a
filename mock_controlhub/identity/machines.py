"""Machine accounts and the token flow Cisco's Context Service connectors use (reference §2.9 [CSU]).

1. An org admin creates a machine account (``POST /organization/{orgId}/v1/Machines``) and authorizes it for
   Context Service (``POST /v1/user/authorize``).
2. ``GetBearerToken`` trades the machine account's name and password for a bearer assertion.
3. The SAML2-bearer grant trades the assertion, with the connection data's client id and secret, for an access
   token (and a refresh token) with the requested Context Service scopes.
4. The refresh grant renews the access token. ``client_credentials`` is not offered (Webex does not for
   Context Service).
"""

import hashlib
import re
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from ..clock import format_rfc3339
from ..errors import BadRequest, Conflict, NotFound, ValidationFailed
from ..shapes import Store, Wire
from . import models
from .exceptions import Forbidden, Unauthorized

NAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
WORKGROUPS = ("lab", "production")
PBKDF2_ROUNDS = 10_000  # a mock: enough to keep passwords unreadable, cheap enough for test runs
GRANTABLE_SCOPES = (models.SCOPE_READ, models.SCOPE_WRITE, *models.KMS_SCOPES)


def _hash(password: str, salt: str) -> str:
    """The PBKDF2 hash (hex) of ``password`` with the hex ``salt``."""
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), PBKDF2_ROUNDS).hex()


def _public(row: Mapping[str, Any], org_id: str) -> Wire:
    """A machine account as the identity API answers it (never the password); the shape is inferred."""
    return {
        "id": row["id"],
        "name": row["name"],
        "machineType": row["machine_type"],
        "orgId": org_id,
        "workgroups": row["workgroups"].split(),
        "created": row["created"],
    }


def _check_org(backend: Store, org_id: object) -> None:
    """NotFound unless ``org_id`` is the mock's org."""
    if org_id != models.get_org(backend)["id"]:
        raise NotFound(f"Unknown organization {org_id}.", field="orgId")


def create_machine_account(backend: Store, org_id: str, body: Mapping[str, Any]) -> Wire:
    """Create a machine account from ``{name, password, machineType}``; returns it (201 on the wire)."""
    _check_org(backend, org_id)
    name, password = body.get("name"), body.get("password")
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValidationFailed("name must be 1 to 64 letters, digits, '.', '_' or '-'.", field="name", limit=64)
    if not isinstance(password, str) or not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.",
            field="password",
            limit=MIN_PASSWORD_LENGTH,
        )
    salt = secrets.token_hex(16)
    row = {
        "id": str(uuid.uuid4()),
        "name": name,
        "machine_type": str(body.get("machineType") or "bot"),
        "password_salt": salt,
        "password_hash": _hash(password, salt),
        "workgroups": "",
        "created": format_rfc3339(backend.clock.now()),
    }
    with backend.lock:
        if backend.db.execute("SELECT 1 FROM machine_account WHERE name = ?", (name,)).fetchone():
            raise Conflict(f"A machine account named {name} already exists.", field="name")
        backend.db.execute(
            "INSERT INTO machine_account VALUES (:id, :name, :machine_type, :password_salt, "
            ":password_hash, :workgroups, :created)",
            row,
        )
    return _public(row, org_id)


def get_machine_account(backend: Store, org_id: str, machine_id: str) -> Wire:
    """One machine account; NotFound when unknown."""
    _check_org(backend, org_id)
    row = backend.db.execute("SELECT * FROM machine_account WHERE id = ?", (machine_id,)).fetchone()
    if row is None:
        raise NotFound(f"No machine account {machine_id}.", field="id")
    return _public(row, org_id)


def delete_machine_account(backend: Store, org_id: str, machine_id: str) -> None:
    """Delete a machine account; its tokens stop working."""
    get_machine_account(backend, org_id, machine_id)
    with backend.lock:
        backend.db.execute("DELETE FROM machine_account WHERE id = ?", (machine_id,))
        backend.db.execute(
            "DELETE FROM token WHERE subject = ? AND kind IN ('bearer', 'access', 'refresh')", (machine_id,)
        )


def authorize_for_context_service(backend: Store, body: Mapping[str, Any]) -> Wire:
    """``{orgId, userId, type: "machine", workgroup}``: let the machine account use Context Service."""
    _check_org(backend, body.get("orgId"))
    if body.get("type") != "machine":
        raise ValidationFailed("type must be machine.", field="type")
    workgroup = body.get("workgroup", "lab")
    if workgroup not in WORKGROUPS:
        raise ValidationFailed(
            f"workgroup must be one of {', '.join(WORKGROUPS)}, got {workgroup!r}.", field="workgroup"
        )
    user_id = body.get("userId")
    if not isinstance(user_id, str) or not user_id:
        raise ValidationFailed("userId must be the machine account's id.", field="userId")
    account = get_machine_account(backend, body["orgId"], user_id)
    workgroups = sorted({*account["workgroups"], workgroup})
    with backend.lock:
        backend.db.execute(
            "UPDATE machine_account SET workgroups = ? WHERE id = ?", (" ".join(workgroups), account["id"])
        )
    return {"orgId": body["orgId"], "userId": account["id"], "type": "machine", "workgroups": workgroups}


def get_bearer_token(backend: Store, org_id: str, body: Mapping[str, Any]) -> Wire:
    """``GetBearerToken``: ``{name, password}`` of a machine account → ``{"BearerToken", "expires_in"}``."""
    _check_org(backend, org_id)
    row = backend.db.execute("SELECT * FROM machine_account WHERE name = ?", (str(body.get("name") or ""),)).fetchone()
    password = body.get("password")
    if (
        row is None
        or not isinstance(password, str)
        or not secrets.compare_digest(_hash(password, row["password_salt"]), row["password_hash"])
    ):
        raise Unauthorized("Invalid machine account name or password.")
    token, ttl = models.store_token(backend, "bearer", row["id"], "", ttl=backend.config["BEARER_TTL_SECONDS"])
    return {"BearerToken": token, "expires_in": ttl}


def saml2_bearer_grant(backend: Store, client_id: str, client_secret: str, assertion: str, scope: str | None) -> Wire:
    """Access + refresh token for the machine account behind ``assertion``, as the registered client."""
    reg = models.authenticated_client(backend, client_id, client_secret)
    bearer = models.find_token(backend, assertion, "bearer")
    if bearer is None:
        raise Unauthorized("The assertion is not a valid bearer token: call GetBearerToken again.", field="assertion")
    return _token_answer(backend, _authorized_machine(backend, bearer["subject"]), reg, _granted(scope))


def refresh_grant(backend: Store, client_id: str, client_secret: str, refresh_token: str) -> Wire:
    """A new access token for a live refresh token of the same client."""
    reg = models.authenticated_client(backend, client_id, client_secret)
    row = models.find_token(backend, refresh_token, "refresh")
    if row is None or row["registration_id"] != reg["id"]:
        raise Unauthorized("The refresh token is invalid or expired: authenticate again.", field="refresh_token")
    machine = _authorized_machine(backend, row["subject"])
    access, ttl = models.store_token(backend, "access", machine["id"], row["scopes"], reg["id"])
    expires_in = int(row["expires_at"] - backend.clock.now().timestamp())
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ttl,
        "refresh_token": refresh_token,
        "refresh_token_expires_in": expires_in,
        "scope": row["scopes"],
    }


def _authorized_machine(backend: Store, machine_id: str) -> dict[str, Any]:
    """The machine account's row, when it exists and is authorized for Context Service."""
    row = backend.db.execute("SELECT * FROM machine_account WHERE id = ?", (machine_id,)).fetchone()
    if row is None:
        raise Unauthorized("The machine account no longer exists.")
    if not row["workgroups"]:
        raise Forbidden(
            f"Machine account {row['name']} is not authorized for Context Service (POST /v1/user/authorize)."
        )
    return dict(row)


def _granted(scope: str | None) -> str:
    """The requested scopes this service grants (unknown ones are left out); CS scopes when none is asked."""
    if scope is None or not str(scope).strip():
        return models.MACHINE_SCOPES
    granted = [name for name in str(scope).split() if name in GRANTABLE_SCOPES]
    if not granted:
        raise BadRequest(f"scope: none of {scope!r} can be granted; ask for {models.MACHINE_SCOPES}.", field="scope")
    return " ".join(granted)


def _token_answer(backend: Store, machine: Mapping[str, Any], reg: Mapping[str, Any], scopes: str) -> Wire:
    """A new access and refresh token of the machine account for the registered client."""
    access, ttl = models.store_token(backend, "access", machine["id"], scopes, reg["id"])
    refresh, refresh_ttl = models.store_token(
        backend, "refresh", machine["id"], scopes, reg["id"], ttl=backend.config["REFRESH_TTL_SECONDS"]
    )
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ttl,
        "refresh_token": refresh,
        "refresh_token_expires_in": refresh_ttl,
        "scope": scopes,
    }
