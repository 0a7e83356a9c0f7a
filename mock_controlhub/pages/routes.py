"""Control Hub pages: admin sign-in and sign-out, plus the helpers every page blueprint shares.

Pages render their own errors as HTML (the app's generic handler answers JSON); every POST form carries the
per-session CSRF token; admin-only blueprints call ``require_admin`` before each request.
"""

import secrets
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as BaseResponse

from mock_core.sessions import csrf_matches, csrf_token

from ..clock import parse_rfc3339
from ..errors import ContextServiceError
from ..shapes import Wire
from ..state import ControlHubBackend
from ..identity.models import get_org
from ..web import get_backend

bp = Blueprint("pages", __name__)

REALM = "admin"
SESSION_ADMIN = "admin_email"
CSRF_FIELD = "csrf_token"
# An HTML page and its status (what ``render_error_page`` answers).
Page = tuple[str, int]


def backend() -> ControlHubBackend:
    """The app's ControlHubBackend."""
    return get_backend()


def verify_csrf() -> Page | None:
    """Before-request hook: refuse a POST whose form token does not match the session's (new at every sign-in)."""
    if request.method != "POST":
        return None
    if not csrf_matches(request.form.get(CSRF_FIELD, "")):
        return render_error_page(
            "The form has expired or did not come from this site (csrf_token). Reload the page and try again.",
            400,
            "CSRF_FAILED",
        )
    return None


def signed_in_admin() -> str | None:
    """The signed-in admin's email while their session is live (not signed out since), or None."""
    email: str | None = backend().sign_ins.get(REALM, SESSION_ADMIN)
    return email


def require_admin() -> BaseResponse | None:
    """Before-request hook: send anyone not signed in to the sign-in page, then back here."""
    if not signed_in_admin():
        return redirect(url_for("pages.signin", next=request.full_path.rstrip("?")))
    return None


def admin_blueprint(name: str, import_name: str, url_prefix: str | None = None) -> Blueprint:
    """A page blueprint whose every request needs a signed-in admin and whose POSTs need the CSRF token."""
    page_bp = Blueprint(name, import_name, url_prefix=url_prefix)
    page_bp.before_request(require_admin)
    page_bp.before_request(verify_csrf)
    return page_bp


def render_error_page(message: str, status: int, error_type: str = "BAD_REQUEST") -> Page:
    """An HTML error page (status ``status``) showing ``message``; ``error_type`` is the wire error's type."""
    return render_template("controlhub/error.html", message=message, status=status, error_type=error_type), status


def not_editable_page(item: Wire | None, kind: str, item_id: str) -> Page | None:
    """The error page for a dictionary item the admin cannot edit (unknown, or a read-only Cisco base one);
    None when it is a custom item."""
    if item is None:
        return render_error_page(f"{kind.capitalize()} {item_id} does not exist.", 404, "NOT_FOUND")
    if item["publiclyAccessible"]:
        return render_error_page(f"Cisco base {kind} {item_id} is read-only.", 403, "READ_ONLY")
    return None


def form_errors(
    exc: ContextServiceError, inputs: Collection[str], aliases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """``{input-name-or-'form': message}`` for a wire error, to show next to the offending form input.

    ``aliases`` maps the wire property the error names to its input where they differ; a property of no
    input in ``inputs`` (``translations.hr_HR`` → ``translations``) shows above the form.
    """
    prop = exc.details.get("field") or "form"
    prop = (aliases or {}).get(prop, prop)
    if prop not in inputs:
        prop = prop.split(".")[0] if prop.split(".")[0] in inputs else "form"
    return {prop: exc.message}


def sorted_table(
    rows: Iterable[Wire], columns: Mapping[str, Callable[[Wire], Any]], default: str, endpoint: str
) -> tuple[list[Wire], Wire]:
    """``(rows, table)``: ``rows`` sorted by the ``sort``/``order`` query parameters over ``columns``
    (name → key function; unknown names fall back to ``default``, ascending); ``table`` describes the sort,
    the list page's ``endpoint`` and its other parameters for the templates' sortable headers."""
    requested = request.args.get("sort", default)
    sort = requested if requested in columns else default
    order = "desc" if request.args.get("order") == "desc" else "asc"
    rows = sorted(rows, key=lambda row: _sort_key(columns[sort](row)), reverse=order == "desc")
    keep = {name: request.args[name] for name in ("filter", "field", "fieldset") if request.args.get(name)}
    return rows, {"sort": sort, "order": order, "args": keep, "endpoint": endpoint}


def _sort_key(value: Any) -> Any:
    """Texts sort case-insensitively, other values as they are."""
    return value.casefold() if isinstance(value, str) else value


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else the Services page (no open redirects)."""
    # Browsers read "/\host" as "//host": a backslash anywhere disqualifies the target.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("services.services")


def abort_unless_found(item: Wire | None) -> Wire:
    """404 (JSON, like every unknown route) when a looked-up page item is missing."""
    if item is None:
        abort(404)
    return item


@bp.app_template_filter("controlhub_date")
def format_date(value: str | None) -> str:
    """An RFC 3339 timestamp as Control Hub shows dates (``Nov 23, 2026 18:40``); empty stays empty."""
    if not value:
        return ""
    try:
        moment = parse_rfc3339(value)
    except ValueError:
        return value
    return moment.strftime("%b %d, %Y %H:%M")


@bp.app_context_processor
def page_globals() -> dict[str, Any]:
    """Values every Control Hub template uses: the CSRF token, the admin and the org."""
    return {"csrf_token": csrf_token, "admin_email": signed_in_admin(), "org": get_org(backend())}


def _credentials_match(email: str, password: str) -> bool:
    """True for the configured admin's email (any case) and password."""
    config = current_app.config
    return email.strip().lower() == config["ADMIN_EMAIL"].lower() and secrets.compare_digest(
        password, config["ADMIN_PASSWORD"]
    )


@bp.route("/")
def home() -> ResponseReturnValue:
    """Control Hub's landing page is Services."""
    return redirect(url_for("services.services"))


@bp.route("/favicon.ico")
def favicon() -> Response:
    """The site icon browsers ask for (an SVG, which they accept under this name)."""
    folder = current_app.static_folder or abort(404)  # the app always has one
    return send_from_directory(folder, "controlhub/favicon.svg", mimetype="image/svg+xml")


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    """Admin sign-in form; on success go to ``next`` (a path on this site) or Services."""
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET" and signed_in_admin():
        return redirect(next_url)
    if request.method == "GET":
        return render_template("controlhub/signin.html", next_url=next_url, errors={}, email="")
    csrf_refusal = verify_csrf()
    if csrf_refusal:
        return csrf_refusal
    email = request.form.get("email", "")
    password = request.form.get("password", "")
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = "Email is required."
    if not password:
        errors["password"] = "Password is required."
    if not errors and not _credentials_match(email, password):
        errors["form"] = "Incorrect email or password. Use the Control Hub administrator's sign-in."
    if errors:
        return render_template("controlhub/signin.html", next_url=next_url, errors=errors, email=email), 401
    backend().sign_ins.begin(REALM, **{SESSION_ADMIN: current_app.config["ADMIN_EMAIL"]})
    return redirect(next_url)


@bp.route("/signout", methods=["POST"])
def signout() -> ResponseReturnValue:
    """End the admin session (server-side: a copy of the old cookie no longer signs anyone in)."""
    csrf_refusal = verify_csrf()
    if csrf_refusal:
        return csrf_refusal
    backend().sign_ins.end(REALM, SESSION_ADMIN)
    return redirect(url_for("pages.signin"))
