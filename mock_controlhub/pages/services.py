"""Control Hub pages: Services, and the Hybrid Context Resources and Settings tabs."""

from collections.abc import Iterable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..identity import models as identity
from .routes import abort_unless_found, admin_blueprint, backend

bp = admin_blueprint("services", __name__, url_prefix="/services")


@bp.route("")
def services() -> ResponseReturnValue:
    """The Services page with the Hybrid Context card."""
    registrations = identity.list_registrations(backend())
    registered = sum(1 for reg in registrations if reg["state"] == "REGISTERED")
    return render_template("controlhub/services.html", registered=registered)


@bp.route("/context")
def context_home() -> ResponseReturnValue:
    """The Hybrid Context card opens on its Resources tab."""
    return redirect(url_for("services.resources"))


@bp.route("/context/resources")
def resources() -> ResponseReturnValue:
    """Registered components: name, type, state, last seen; side panel and deregister confirmation."""
    registrations = identity.list_registrations(backend())
    selected = _find(registrations, request.args.get("resource"))
    confirm = selected is not None and request.args.get("confirm") == "deregister"
    return render_template(
        "controlhub/resources.html",
        active_tab="resources",
        registrations=registrations,
        selected=selected,
        confirm=confirm,
    )


@bp.route("/context/resources/<registration_id>/deregister", methods=["POST"])
def deregister(registration_id: str) -> ResponseReturnValue:
    """Deregister a component (after the confirmation dialog)."""
    reg = abort_unless_found(_find(identity.list_registrations(backend()), registration_id))
    identity.deregister(backend(), reg["id"])
    flash(f"{reg['name']} is deregistered from Context Service.")
    return redirect(url_for("services.resources", resource=reg["id"]))


@bp.route("/context/settings")
def settings() -> ResponseReturnValue:
    """The org's Context Service entitlement."""
    return render_template("controlhub/settings.html", active_tab="settings")


@bp.route("/context/settings", methods=["POST"])
def save_settings() -> ResponseReturnValue:
    """Turn the ``contact-center-context`` entitlement on or off."""
    entitled = request.form.get("entitled") == "on"
    identity.set_entitlement(backend(), entitled)
    flash("Context Service is now " + ("enabled" if entitled else "disabled") + " for your organization.")
    return redirect(url_for("services.settings"))


def _find(registrations: Iterable[dict[str, Any]], registration_id: str | None) -> dict[str, Any] | None:
    """The registration with ``registration_id`` among ``registrations``, or None."""
    return next((reg for reg in registrations if reg["id"] == registration_id), None)
