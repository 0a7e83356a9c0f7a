"""The agent desktop: sign-in (ID, password, extension, language), ``/desktop/``, sign-out, gadget files.

The desktop page renders the team's layout (tabs, one iframe per gadget through the container's
``gadget_iframe_url``) and defines ``window.finesseDesktop`` as the contract in docs/architecture.md says.
``/3rdpartygadget/files/`` serves ``GADGET_FILES_DIR`` like Finesse's 3rdpartygadget web application.
"""

import base64
import pathlib

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from mock_core.sessions import csrf_token, require_csrf

from .agentstate import change_agent_state, sign_out
from .assets import file_in, file_route, script_bundle_route
from .auth import DESKTOP, authenticate, issue_token, signed_in_agent
from .defaults import LOCALES
from .container import finesse_prefs, gadget_iframe_url
from .errors import FinesseError, Unauthorized
from .messages import messages_for
from .models import Agent, get_backend
from .records import JsonObject
from .xmpp import desktop_config as xmpp_config

bp = Blueprint("desktop", __name__)
STATIC_DIR = pathlib.Path(__file__).parent / "static" / "desktop"
# The desktop's own scripts, in the order they run, served as one (none uses the finesse.js loaded before them).
DESKTOP_SCRIPTS = (
    "xml.js",
    "xmpp.js",
    "container.js",
    "channels.js",
    "tiles.js",
    "popovers.js",
    "desktop.js",
    "simulator.js",
)


def picked_locale() -> str | None:
    """The language picked on the sign-in page (or kept in the session), or None when nobody picked one."""
    locale = request.values.get("locale") or session.get("locale")
    return locale if locale in LOCALES else None


@bp.route("/desktop/signin", methods=["GET"])
def signin_form() -> ResponseReturnValue:
    """Finesse's sign-in page."""
    if signed_in_agent() is not None:
        return redirect(url_for("desktop.desktop_page"))
    return _signin_page({})


def _signin_page(
    form: dict[str, str], error: str | None = None, field: str | None = None, status: int = 200
) -> tuple[str, int]:
    locale = picked_locale()
    page = render_template(
        "desktop/signin.html",
        form=form,
        error=error,
        error_field=field,
        locale=locale or "en_US",
        picked=locale is not None,
        locales=LOCALES,
        t=messages_for(locale or "en_US"),
        csrf=csrf_token(),
    )
    return page, status


@bp.route("/desktop/signin", methods=["POST"])
def signin() -> ResponseReturnValue:
    """Check ID, password and extension; LOGIN puts the agent in NOT_READY; the session cookie is set."""
    require_csrf()
    form = {k: request.form.get(k, "").strip() for k in ("username", "extension")}
    t = messages_for(picked_locale() or "en_US")
    if not form["username"]:
        return _signin_page(form, t["error_id_required"], "username", 400)
    if not request.form.get("password"):
        return _signin_page(form, t["error_password_required"], "password", 400)
    if not form["extension"]:
        return _signin_page(form, t["error_extension_required"], "extension", 400)
    backend = get_backend()
    try:
        agent = authenticate(backend, form["username"], request.form["password"])
    except Unauthorized:
        return _signin_page(form, t["error_credentials"], "password", 401)
    try:
        change_agent_state(backend, agent, "LOGIN", extension=form["extension"])
    except FinesseError:
        return _signin_page(form, t["error_extension"].format(extension=form["extension"]), "extension", 400)
    agent.locale = picked_locale() or agent.profile["locale"]
    backend.sign_ins.begin(DESKTOP, agent_id=agent.id, locale=agent.locale)
    return redirect(url_for("desktop.desktop_page"))


@bp.route("/desktop/container/")
@bp.route("/desktop/")
def desktop_page() -> ResponseReturnValue:
    """The agent desktop: header, call control, tabs and gadgets of the team's layout, simulator panel."""
    agent = signed_in_agent()
    if agent is None:
        get_backend().sign_ins.end(DESKTOP, "agent_id")
        return redirect(url_for("desktop.signin_form"))
    backend = get_backend()
    layout = backend.layouts.for_team(agent.profile["teamId"]).for_roles(agent.profile["roles"])
    frames = {
        g.mid: gadget_iframe_url(g.url, g.mid, agent.profile, agent.locale)
        for g in layout.page + [g for tab in layout.tabs for column in tab.columns for g in column]
        if not g.built_in
    }
    return render_template(
        "desktop/desktop.html",
        agent=agent,
        team=backend.teams[agent.profile["teamId"]],
        layout=layout,
        frames=frames,
        t=messages_for(agent.locale),
        csrf=csrf_token(),
        desktop=_desktop_config(agent),
        reason_codes=backend.reason_codes_of("NOT_READY"),
        mrds=list(backend.mrds.values()),
    )


def _desktop_config(agent: Agent) -> JsonObject:
    """``window.finesseDesktop`` (the contract with container.js and gadgets)."""
    profile = agent.profile
    team = get_backend().teams[profile["teamId"]]
    credentials = f"{profile['id']}:{profile['password']}".encode()
    return {
        "agent": {
            "id": agent.id,
            "firstName": profile["firstName"],
            "lastName": profile["lastName"],
            "extension": profile["extension"],
            "teamId": team["id"],
            "teamName": team["name"],
            "locale": agent.locale,
        },
        "authorization": base64.b64encode(credentials).decode(),
        "notificationsUrl": url_for("notifications.stream"),
        "xmpp": xmpp_config(current_app),
        "messages": messages_for(agent.locale),
        # finesse.container.Config (inferred: the gadget Config's fields, credentials aside)
        "config": finesse_prefs(profile, agent.locale),
        # With SSO on, an access token for this page (the per-tab session item userFinesseAuthToken; inferred).
        "authToken": issue_token(get_backend(), agent)[0] if current_app.config["SSO_ENABLED"] else "",
    }


@bp.route("/desktop/signout", methods=["POST"])
def signout() -> ResponseReturnValue:
    """Sign out (NOT_READY, then LOGOUT) and end the session; refused while on a call."""
    require_csrf()
    agent = signed_in_agent()
    if agent is not None:
        try:
            sign_out(get_backend(), agent)
        except FinesseError:
            flash(messages_for(agent.locale)["error_signout_on_call"])
            return redirect(url_for("desktop.desktop_page"))
    get_backend().sign_ins.end(DESKTOP, "agent_id")
    return redirect(url_for("desktop.signin_form"))


@file_route(bp, "/desktop/static/<path:filename>")
def desktop_static(filename: str) -> pathlib.Path:
    """The desktop's own scripts and styles (desktop.js, desktop.css, container.js)."""
    return file_in(STATIC_DIR, filename)


script_bundle_route(bp, "/desktop/static/desktop.bundle.js", "desktop_scripts", STATIC_DIR, DESKTOP_SCRIPTS)


@file_route(bp, "/favicon.ico")
def favicon() -> pathlib.Path:
    """The site icon browsers ask for (an SVG, served as one under this name)."""
    return STATIC_DIR / "favicon.svg"


@file_route(bp, "/3rdpartygadget/files/<path:filename>")
def gadget_file(filename: str) -> pathlib.Path:
    """A file dropped into ``GADGET_FILES_DIR`` (Finesse's 3rdpartygadget web application)."""
    return file_in(current_app.config["GADGET_FILES_DIR"], filename)
