"""Who is asking: the agent from credentials (HTTP Basic ``id:password``, an SSO bearer token, the desktop
session). The desktop and ``/cfadmin/`` sessions are ``mock_core.sessions`` sign-ins (rotated at sign-in, ended
server-side at sign-out), and their forms carry its CSRF token.
"""

import base64
import binascii
import datetime as dt
import secrets

from flask import request

from .clock import now
from .errors import Unauthorized
from .models import Agent, FinesseBackend, get_backend

DESKTOP = "desktop"  # the sign-in realms of the session cookie
ADMIN = "admin"


def authenticate(backend: FinesseBackend, agent_id: str, password: str) -> Agent:
    """The agent when the password matches; Unauthorized (naming nobody's password) otherwise."""
    agent = backend.agents.get(str(agent_id))
    if agent is None or not secrets.compare_digest(agent.profile["password"].encode(), password.encode()):
        raise Unauthorized("Invalid user ID or password.", data=str(agent_id))
    return agent


def issue_token(backend: FinesseBackend, agent: Agent) -> tuple[str, int]:
    """An SSO access token for the agent, valid for ``SSO_TOKEN_TTL_SECONDS``; (token, seconds)."""
    ttl = backend.config["SSO_TOKEN_TTL_SECONDS"]
    token = secrets.token_urlsafe(32)
    with backend.lock:
        backend.sso_tokens[token] = (agent.id, now() + dt.timedelta(seconds=ttl))
    return token, ttl


def agent_for_token(backend: FinesseBackend, token: str) -> Agent:
    """The agent an unexpired SSO token was issued to; Unauthorized otherwise."""
    with backend.lock:
        issued = backend.sso_tokens.get(token)
    if issued is None or issued[1] <= now():
        raise Unauthorized("The SSO access token is invalid or expired.")
    return backend.agents[issued[0]]


def agent_from_authorization(header: str | None) -> Agent:
    """The agent named by an ``Authorization`` header (Basic, or Bearer with SSO on); Unauthorized otherwise."""
    backend = get_backend()
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() == "basic" and value:
        try:
            agent_id, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Unauthorized("The Basic credentials are not base64 of id:password.") from None
        return authenticate(backend, agent_id, password)
    if scheme.lower() == "bearer" and value and backend.config["SSO_ENABLED"]:
        return agent_for_token(backend, value)
    raise Unauthorized(
        "Send Authorization: Basic base64(id:password)"
        + (" or Bearer <SSO token>." if backend.config["SSO_ENABLED"] else ".")
    )


def caller() -> Agent:
    """The authenticated agent making this request."""
    return agent_from_authorization(request.headers.get("Authorization"))


def session_agent() -> Agent | None:
    """The agent of a live desktop session (signed in and not signed out since), else None."""
    backend = get_backend()
    return backend.agents.get(backend.sign_ins.get(DESKTOP, "agent_id") or "")


def signed_in_agent() -> Agent | None:
    """The agent of the desktop session when they are still signed in to Finesse, else None."""
    agent = session_agent()
    if agent is None or not agent.signed_in:
        return None
    return agent


def current_agent_or_basic() -> Agent:
    """The session's agent, or the one named by a Basic/Bearer ``Authorization`` header; 401 otherwise."""
    agent = session_agent()
    if agent is not None:
        return agent
    if request.headers.get("Authorization"):
        return agent_from_authorization(request.headers["Authorization"])
    raise Unauthorized("Sign in to the desktop, or send Authorization: Basic base64(id:password).")
