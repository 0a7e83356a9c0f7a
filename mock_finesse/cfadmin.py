"""The administration pages (``/cfadmin/``): sign in, then view, validate and save the default or a team's layout."""

import pathlib
import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from mock_core.sessions import csrf_token, require_csrf

from .auth import ADMIN
from .layouts import LayoutError, parse_layout, readable
from .models import get_backend

bp = Blueprint("cfadmin", __name__, url_prefix="/cfadmin")


def admin_signed_in() -> bool:
    """True when this session signed in to the administration pages."""
    return get_backend().sign_ins.get(ADMIN, "admin") == current_app.config["ADMIN_USERNAME"]


@bp.route("/", methods=["GET"])
def admin_home() -> ResponseReturnValue:
    """The administration sign-in, or the layout editor once signed in."""
    if admin_signed_in():
        return redirect(url_for("cfadmin.layout_editor"))
    return _admin_signin_page()


def _admin_signin_page(error: str | None = None, username: str = "", status: int = 200) -> tuple[str, int]:
    return render_template("cfadmin/signin.html", error=error, username=username, csrf=csrf_token()), status


@bp.route("/signin", methods=["POST"])
def admin_signin() -> ResponseReturnValue:
    """Check the administrator's name and password (ADMIN_USERNAME / ADMIN_PASSWORD); a new session on success."""
    require_csrf()
    config = current_app.config
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return _admin_signin_page("Enter the administrator user name and password.", username, 400)
    valid = secrets.compare_digest(username.encode(), config["ADMIN_USERNAME"].encode()) and secrets.compare_digest(
        password.encode(), config["ADMIN_PASSWORD"].encode()
    )
    if not valid:
        return _admin_signin_page("Invalid user name or password.", username, 401)
    get_backend().sign_ins.begin(ADMIN, admin=username)
    return redirect(url_for("cfadmin.layout_editor"))


@bp.route("/signout", methods=["POST"])
def admin_signout() -> ResponseReturnValue:
    """End the administration session (server-side: a copy of the old cookie no longer signs anyone in)."""
    require_csrf()
    get_backend().sign_ins.end(ADMIN, "admin")
    return redirect(url_for("cfadmin.admin_home"))


def _target_team(value: str) -> str:
    """``default`` or a configured team id (404 otherwise)."""
    if value in ("", "default"):
        return "default"
    if value not in get_backend().teams:
        abort(404, f"Team {value} does not exist.")
    return value


@bp.route("/layouts", methods=["GET"])
def layout_editor() -> ResponseReturnValue:
    """The Desktop Layout page: the chosen layout's XML in an editor."""
    if not admin_signed_in():
        return redirect(url_for("cfadmin.admin_home"))
    team = _target_team(request.args.get("team", "default"))
    store = get_backend().layouts
    layout = store.default if team == "default" else store.for_team(team)
    return _editor_page(team, readable(layout.xml))


def _editor_page(
    team: str, xml_text: str, error: LayoutError | None = None, notice: str | None = None, status: int = 200
) -> tuple[str, int]:
    backend = get_backend()
    own = team != "default" and backend.layouts.has_team_layout(team)
    return render_template(
        "cfadmin/layouts.html",
        teams=list(backend.teams.values()),
        team=team,
        xml=xml_text,
        error=error,
        notice=notice,
        own_layout=own,
        csrf=csrf_token(),
        gadget_files=gadget_spec_files(current_app.config["GADGET_FILES_DIR"]),
    ), status


def gadget_spec_files(folder: str, limit: int = 200) -> list[str]:
    """Layout URLs (``/3rdpartygadget/files/…``) of the ``.xml`` files dropped into the gadget folder, sorted."""
    root = pathlib.Path(folder)
    if not root.is_dir():
        return []
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.xml") if p.is_file())
    return ["/3rdpartygadget/files/" + path for path in found[:limit]]


@bp.route("/layouts", methods=["POST"])
def layout_action() -> ResponseReturnValue:
    """Validate, save or (for a team) go back to the default layout."""
    if not admin_signed_in():
        return redirect(url_for("cfadmin.admin_home"))
    require_csrf()
    team = _target_team(request.form.get("team", "default"))
    action = request.form.get("action", "validate")
    store = get_backend().layouts
    xml_text = request.form.get("xml", "")
    if action == "revert" and team != "default":
        store.remove(team)
        return _editor_page(team, readable(store.default.xml), notice="The team now uses the default layout.")
    try:
        if action == "save":
            store.save(None if team == "default" else team, xml_text)
            notice = "Layout saved. Agents see it after they sign out and in again."
        else:
            parse_layout(xml_text)
            notice = "The layout is valid."
    except LayoutError as exc:
        return _editor_page(team, xml_text, error=exc, status=400)
    return _editor_page(team, xml_text, notice=notice)
