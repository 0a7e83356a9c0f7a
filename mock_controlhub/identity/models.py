"""The org, its entitlement, registered components and bearer tokens (the Webex identity side)."""

import datetime as dt
import secrets
import uuid
from typing import Any, TypedDict

from ..clock import format_rfc3339
from ..shapes import Store, Wire
from .exceptions import Forbidden, NotEntitled, NotRegistered, Unauthorized

SCOPE_READ = "contact-center-context:pod_read"
SCOPE_WRITE = "contact-center-context:pod_write"
SCOPE_ADMIN = "contact-center-context:admin"
# The KMS scopes Cisco's clients ask for with the Context Service ones (reference §2.9 [CSU]).
KMS_SCOPES = ("webex-squared:kms_read", "webex-squared:kms_bind", "webex-squared:kms_write", "spark:kms")
MACHINE_SCOPES = f"{SCOPE_READ} {SCOPE_WRITE}"
TOKEN_COLUMNS = ("token", "kind", "subject", "registration_id", "scopes", "expires_at")
# A token with its component's state and last seen, and the org's entitlement (the mock has one org).
TOKEN_CHECK = (
    "SELECT t.*, r.state AS registration_state, r.last_seen, (SELECT entitled FROM org LIMIT 1) AS entitled "
    "FROM token t LEFT JOIN registration r ON r.id = t.registration_id WHERE t.token = ?"
)
LAST_SEEN_EVERY = dt.timedelta(seconds=60)
ADMIN_SCOPES = f"{SCOPE_READ} {SCOPE_WRITE} {SCOPE_ADMIN}"


class Org(TypedDict):
    """The mock's one organization."""

    id: str
    name: str
    entitled: bool


def seed_org(backend: Store) -> None:
    """Create the single org of the mock from the configuration (entitled)."""
    cfg = backend.config
    backend.db.execute(
        "INSERT OR IGNORE INTO org (id, name, entitled) VALUES (?, ?, 1)", (cfg["ORG_ID"], cfg["ORG_NAME"])
    )


def get_org(backend: Store) -> Org:
    """The org as a dict: ``id``, ``name``, ``entitled``."""
    row = backend.db.execute("SELECT id, name, entitled FROM org").fetchone()
    return {"id": row["id"], "name": row["name"], "entitled": bool(row["entitled"])}


def set_entitlement(backend: Store, entitled: bool) -> None:
    """Turn the ``contact-center-context`` entitlement on or off."""
    with backend.lock:
        backend.db.execute("UPDATE org SET entitled = ?", (1 if entitled else 0,))


def register_component(backend: Store, name: str, app_type: str, callback_url: str) -> dict[str, Any]:
    """Register a component; returns the registration row with fresh prod and lab credentials."""
    now = format_rfc3339(backend.clock.now())
    reg = {
        "id": str(uuid.uuid4()),
        "name": name,
        "app_type": app_type,
        "callback_url": callback_url,
        "state": "REGISTERED",
        "client_id": "C" + secrets.token_hex(16),
        "client_secret": secrets.token_urlsafe(32),
        "lab_client_id": "C" + secrets.token_hex(16),
        "lab_client_secret": secrets.token_urlsafe(32),
        "created": now,
        "last_seen": now,
    }
    with backend.lock:
        backend.db.execute(
            "INSERT INTO registration VALUES (:id, :name, :app_type, :callback_url, :state, :client_id, "
            ":client_secret, :lab_client_id, :lab_client_secret, :created, :last_seen)",
            reg,
        )
    return reg


def connection_data(backend: Store, reg: dict[str, Any]) -> Wire:
    """The ``connectionData`` JSON for a registration: prod and lab credentials with the org id."""
    org_id = get_org(backend)["id"]
    return {
        "credentials": {"clientId": reg["client_id"], "clientSecret": reg["client_secret"], "orgId": org_id},
        "credentialsLabMode": {
            "clientId": reg["lab_client_id"],
            "clientSecret": reg["lab_client_secret"],
            "orgId": org_id,
        },
    }


def list_registrations(backend: Store) -> list[dict[str, Any]]:
    """Every registered component, newest first."""
    rows = backend.db.execute("SELECT * FROM registration ORDER BY created DESC").fetchall()
    return [dict(r) for r in rows]


def find_registration_by_client(backend: Store, client_id: str) -> dict[str, Any] | None:
    """The registration owning ``client_id`` (prod or lab), or None."""
    row = backend.db.execute(
        "SELECT * FROM registration WHERE client_id = ? OR lab_client_id = ?", (client_id, client_id)
    ).fetchone()
    return dict(row) if row else None


def deregister(backend: Store, registration_id: str) -> bool:
    """Mark a component UNREGISTERED; its tokens then get 403 NOT_REGISTERED. False when unknown."""
    with backend.lock:
        cur = backend.db.execute("UPDATE registration SET state = 'UNREGISTERED' WHERE id = ?", (registration_id,))
    return cur.rowcount == 1


def store_token(
    backend: Store, kind: str, subject: str, scopes: str, registration_id: str | None = None, ttl: int | None = None
) -> tuple[str, int]:
    """Store a new opaque token of ``kind`` (bearer, access, refresh, admin); returns ``(token, ttl)``."""
    ttl = int(backend.config["TOKEN_TTL_SECONDS"] if ttl is None else ttl)
    token = secrets.token_urlsafe(32)
    expires_at = backend.clock.now().timestamp() + ttl
    with backend.lock:
        backend.db.execute(
            "INSERT INTO token VALUES (?, ?, ?, ?, ?, ?)", (token, kind, subject, registration_id, scopes, expires_at)
        )
    return token, ttl


def issue_token(backend: Store, kind: str, subject: str, scopes: str, registration_id: str | None = None) -> Wire:
    """Store and return an access token ``{access_token, token_type, expires_in, scope}``."""
    token, ttl = store_token(backend, kind, subject, scopes, registration_id)
    return {"access_token": token, "token_type": "Bearer", "expires_in": ttl, "scope": scopes}


def find_token(backend: Store, token: str | None, kind: str) -> dict[str, Any] | None:
    """The live (unexpired) token row of ``kind``, or None."""
    row = backend.db.execute("SELECT * FROM token WHERE token = ? AND kind = ?", (str(token or ""), kind)).fetchone()
    if row is None or row["expires_at"] <= backend.clock.now().timestamp():
        return None
    return dict(row)


def authenticated_client(backend: Store, client_id: str, client_secret: str) -> dict[str, Any]:
    """The registration owning these client credentials (prod or lab); Unauthorized / NotRegistered."""
    reg = find_registration_by_client(backend, client_id)
    secret = ""
    if reg:
        secret = reg["client_secret"] if reg["client_id"] == client_id else reg["lab_client_secret"]
    if not reg or not secrets.compare_digest(str(client_secret or ""), secret):
        raise Unauthorized("Invalid client credentials.")
    if reg["state"] != "REGISTERED":
        raise NotRegistered(f"Component {reg['name']} is deregistered from Context Service.")
    return reg


def issue_admin_token(backend: Store, email: str, password: str) -> Wire:
    """Password grant for the Control Hub admin; raises Unauthorized."""
    cfg = backend.config
    if email != cfg["ADMIN_EMAIL"] or not secrets.compare_digest(str(password or ""), cfg["ADMIN_PASSWORD"]):
        raise Unauthorized("Invalid admin email or password.")
    return issue_token(backend, "admin", email, ADMIN_SCOPES)


def check_token(backend: Store, authorization: str | None, scope: str) -> dict[str, Any]:
    """Validate an ``Authorization: Bearer`` header for ``scope``; returns the token row.

    401 for a missing, unknown or expired token; 403 for a missing scope, an org without the entitlement
    or a deregistered component. A machine token's use updates its component's "last seen", written at most
    once every ``LAST_SEEN_EVERY`` of the mock clock: token, component and entitlement are read in one query
    and most calls write nothing (every call of the object API comes here).
    """
    if not authorization or not authorization.startswith("Bearer "):
        raise Unauthorized("Missing bearer token: send 'Authorization: Bearer <token>'.")
    row = backend.db.execute(TOKEN_CHECK, (authorization[7:].strip(),)).fetchone()
    if row is None:
        raise Unauthorized("Invalid bearer token.")
    now = backend.clock.now()
    if row["expires_at"] <= now.timestamp():
        raise Unauthorized("Bearer token expired.")
    if scope not in row["scopes"].split():
        raise Forbidden(f"Token lacks the scope {scope}.")
    if not row["entitled"]:
        raise NotEntitled("The organization is not entitled to Context Service (contact-center-context).")
    token = {key: row[key] for key in TOKEN_COLUMNS}
    if row["registration_id"]:
        if row["registration_state"] != "REGISTERED":
            raise NotRegistered("The component is deregistered from Context Service.")
        if (row["last_seen"] or "") <= format_rfc3339(now - LAST_SEEN_EVERY):
            with backend.lock:
                backend.db.execute(
                    "UPDATE registration SET last_seen = ? WHERE id = ?", (format_rfc3339(now), row["registration_id"])
                )
    return token
