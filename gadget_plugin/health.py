"""``/healthz`` (the process answers) and ``/readyz`` (Context Service and Finesse are reachable).

``/healthz`` touches nothing outside the process and is in no bulkhead, so it answers at once under any load.
``/readyz`` calls out through the same proxy-free sessions as every other call, within its time budget.
"""

from collections.abc import Mapping
from typing import Any, TypedDict

import requests
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from . import budget
from .backend import get_backend
from .cs_client import ContextServiceClient
from .errors import GadgetError

bp = Blueprint("health", __name__)


class Reach(TypedDict):
    """One reachability check: did it answer, and what was seen."""

    ok: bool
    detail: str


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """The process is up."""
    return jsonify({"status": "ok"})


@bp.route("/readyz")
def readyz() -> ResponseReturnValue:
    """200 when Context Service and at least one configured Finesse answer (agents of a primary/secondary
    pair are served while one node is down); 503 otherwise. Every check is listed."""
    checks = reachability()
    finesse_up = any(check["ok"] for name, check in checks.items() if name.startswith("finesse "))
    ready = checks["contextService"]["ok"] and finesse_up
    return jsonify({"ready": ready, "checks": checks}), 200 if ready else 503


def reachability(config: Mapping[str, Any] | None = None) -> dict[str, Reach]:
    """``{name: {ok, detail}}`` for Context Service and each Finesse server (no credentials sent)."""
    config = config or current_app.config
    backend = get_backend()
    checks = {"contextService": context_service_reachable(backend.cs)}
    for url in config["FINESSE_URLS"]:
        checks[f"finesse {url}"] = finesse_reachable(
            backend.agents.session, url, config["FINESSE_TIMEOUT_SECONDS"], config["VERIFY_TLS"]
        )
    return checks


def context_service_reachable(client: ContextServiceClient) -> Reach:
    """Ping Context Service."""
    try:
        client.ping()
    except GadgetError as exc:
        return {"ok": False, "detail": exc.message}
    return {"ok": True, "detail": "ping answered"}


def finesse_reachable(session: requests.Session, url: str, timeout: float, verify_tls: bool = True) -> Reach:
    """Finesse answers ``GET /finesse/api/SystemInfo`` with anything but a 5xx (``session``: the proxy-free one
    agents are verified with; the timeout is capped by what is left of the request's budget)."""
    try:
        response = session.get(
            f"{url}/finesse/api/SystemInfo", timeout=budget.capped(timeout), verify=verify_tls, allow_redirects=False
        )
    except requests.RequestException as exc:
        return {"ok": False, "detail": f"cannot connect ({type(exc).__name__})"}
    if response.status_code >= 500:
        return {"ok": False, "detail": f"HTTP {response.status_code}"}
    return {"ok": True, "detail": f"HTTP {response.status_code}"}
