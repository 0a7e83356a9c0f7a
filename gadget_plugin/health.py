"""``/healthz`` (the process answers) and ``/readyz`` (Context Service and Finesse are reachable)."""
import requests
from flask import Blueprint, current_app, jsonify

from .errors import GadgetError

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """The process is up."""
    return jsonify({"status": "ok"})


@bp.route("/readyz")
def readyz():
    """200 when Context Service and at least one configured Finesse answer (agents of a primary/secondary
    pair are served while one node is down); 503 otherwise. Every check is listed."""
    checks = reachability()
    finesse_up = any(check["ok"] for name, check in checks.items() if name.startswith("finesse "))
    ready = checks["contextService"]["ok"] and finesse_up
    return jsonify({"ready": ready, "checks": checks}), 200 if ready else 503


def reachability(config=None):
    """``{name: {ok, detail}}`` for Context Service and each Finesse server (no credentials sent)."""
    from . import get_backend

    config = config or current_app.config
    checks = {"contextService": context_service_reachable(get_backend().cs)}
    for url in config["FINESSE_URLS"]:
        checks[f"finesse {url}"] = finesse_reachable(url, config["FINESSE_TIMEOUT_SECONDS"], config["VERIFY_TLS"])
    return checks


def context_service_reachable(client):
    """Ping Context Service."""
    try:
        client.ping()
    except GadgetError as exc:
        return {"ok": False, "detail": exc.message}
    return {"ok": True, "detail": "ping answered"}


def finesse_reachable(url, timeout, verify_tls=True):
    """Finesse answers ``GET /finesse/api/SystemInfo`` with anything but a 5xx."""
    try:
        response = requests.get(f"{url}/finesse/api/SystemInfo", timeout=timeout, verify=verify_tls,
                                allow_redirects=False)
    except requests.RequestException as exc:
        return {"ok": False, "detail": f"cannot connect ({type(exc).__name__})"}
    if response.status_code >= 500:
        return {"ok": False, "detail": f"HTTP {response.status_code}"}
    return {"ok": True, "detail": f"HTTP {response.status_code}"}
