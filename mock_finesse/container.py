"""The gadget container (Shindig's job in Finesse): gadget rendering, the makeRequest proxy, setprefs storage.

Routes: ``/gadgets/ifr`` (render a gadget spec into its iframe), ``/gadgets/makeRequest`` (the server-side
proxy behind ``gadgets.io.makeRequest``, allow-listed hosts only), ``/gadgets/prefs`` (``setprefs``),
``/gadgets/js/gadgets.js`` (the ``gadgets.*`` shim) and Finesse's library paths ``/desktop/assets/js/``.
"""

import json
import pathlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import requests
import xstatic.pkg.jquery
from flask import Blueprint, Response, current_app, render_template, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from . import gadgetspec, outbound
from .assets import file_in, file_route
from .auth import current_agent_or_basic
from .errors import InvalidInput, ParameterMissing
from .models import get_backend
from .records import AgentProfile

bp = Blueprint("container", __name__)

STATIC_DIR = pathlib.Path(__file__).parent / "static"
SHINDIG_CRUFT = "throw 1; < don't be evil' >"
PROXY_METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD")
# Hop-by-hop and connection headers a proxy must not forward (RFC 9110 §7.6.1), plus ones requests sets itself.
UNFORWARDED_HEADERS = {
    "host",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "cookie",
    "accept-encoding",
}


def gadget_iframe_url(spec_url: str, mid: int, profile: AgentProfile, locale: str) -> str:
    """The ``/gadgets/ifr`` URL of a layout gadget for the agent ``profile``, Finesse prefs as ``up_*`` parameters.

    Called while rendering the desktop page; relative spec URLs (``/3rdpartygadget/files/…``) resolve against
    this server. Values the agent saved with ``setprefs`` are added like Shindig's container does.
    """
    spec_url = urljoin(request.host_url, spec_url)
    lang, _, country = locale.partition("_")
    # Finesse's own prefs are never taken from saved ones (a prefs file may hold old ones, authorization too).
    saved = {k: v for k, v in stored_prefs(profile["id"], spec_url).items() if k not in FINESSE_PREF_NAMES}
    prefs = {**saved, **finesse_prefs(profile, locale)}
    query = [("url", spec_url), ("mid", str(mid)), ("lang", lang), ("country", country)]
    query += [(f"up_{name}", str(value)) for name, value in prefs.items()]
    return "/gadgets/ifr?" + urlencode(query)


def finesse_prefs(profile: AgentProfile, locale: str) -> dict[str, str]:
    """The user prefs real Finesse gives every gadget (they become ``finesse.gadget.Config``)."""
    parts = urlsplit(request.host_url)
    port = str(parts.port or (443 if parts.scheme == "https" else 80))
    lang, _, country = locale.partition("_")
    xmpp_domain = current_app.config["XMPP_DOMAIN"]
    # No "authorization": the password would reach access logs and Referer headers. The desktop keeps it in the
    # per-tab session item userFinesseAuth, which finesse.js copies into the pref (reference finesse.md §2.1).
    # No "authToken" either, for the same reason: the desktop keeps the SSO token in userFinesseAuthToken.
    return {
        "host": parts.hostname,
        "hostPort": port,
        "restHost": parts.hostname,
        "scheme": parts.scheme,
        "id": profile["id"],
        "locale": locale,
        "language": lang,
        "country": country,
        "extension": profile["extension"],
        "xmppDomain": xmpp_domain,
        "pubsubDomain": f"pubsub.{xmpp_domain}",
        "teamId": profile["teamId"],
        "teamName": _team_name(profile["teamId"]),
        "localhostFQDN": parts.hostname,
        "localhostPort": port,
        "clientDriftInMillis": "0",
    }


def _team_name(team_id: str) -> str:
    return next((t["name"] for t in current_app.config["TEAMS"] if t["id"] == team_id), "")


# The prefs the container gives every gadget: setprefs cannot change them (authorization is Finesse's too).
FINESSE_PREF_NAMES = frozenset(
    (
        "host",
        "hostPort",
        "restHost",
        "scheme",
        "id",
        "authorization",
        "authToken",
        "locale",
        "language",
        "country",
        "extension",
        "xmppDomain",
        "pubsubDomain",
        "teamId",
        "teamName",
        "localhostFQDN",
        "localhostPort",
        "clientDriftInMillis",
    )
)


def stored_prefs(agent_id: str, spec_url: str) -> dict[str, Any]:
    """What ``agent_id`` saved with ``setprefs`` for the gadget at ``spec_url``."""
    backend = get_backend()
    with backend.lock:
        return backend.gadget_prefs.of(agent_id, spec_url)


def store_pref(agent_id: str, spec_url: str, name: str, value: str) -> None:
    """Persist one ``setprefs`` value in the backend (and ``PREFS_FILE``; cleared by ``reset()``)."""
    backend = get_backend()
    with backend.lock:
        backend.gadget_prefs.set(agent_id, spec_url, name, value)


@bp.get("/gadgets/ifr")
def render_gadget() -> ResponseReturnValue:
    """Render a gadget spec into the HTML of its iframe; problems become a visible error page."""
    spec_url = request.args.get("url", "").strip()
    try:
        if not spec_url:
            raise gadgetspec.SpecError("The gadget URL is missing", "the url parameter of /gadgets/ifr is empty")
        return render_template("gadgets/frame.html", **_frame_context(spec_url))
    except gadgetspec.SpecError as exc:
        page = render_template("gadgets/error.html", title=exc.title, detail=exc.detail, spec_url=spec_url)
        return page, exc.status


def _frame_context(spec_url: str) -> dict[str, Any]:
    fetch = gadgetspec.Fetcher(current_app.config["GADGET_FETCH_TIMEOUT"], _gadget_source_allowed)
    spec = gadgetspec.parse_spec(spec_url, fetch(spec_url))
    args = request.args
    lang, country, mid = args.get("lang", "en"), args.get("country", ""), args.get("mid", "0")
    view = args.get("view", gadgetspec.DEFAULT_VIEW)
    prefs = {**spec.user_prefs, **{k[3:]: v for k, v in args.items() if k.startswith("up_")}}
    messages = gadgetspec.load_messages(spec, lang, country, fetch)
    content = gadgetspec.select_content(spec, view)
    body, base_url = gadgetspec.content_body(spec, content, fetch)
    body = gadgetspec.substitute(body, messages, prefs, mid)
    body = gadgetspec.strip_doctype(gadgetspec.resolve_urls(body, base_url))
    gadget = {
        "mid": mid,
        "specUrl": spec_url,
        "title": gadgetspec.substitute(spec.title, messages, prefs, mid),
        "lang": lang,
        "country": country,
        "view": view,
        "prefs": prefs,
        "messages": messages,
        "features": spec.required + spec.optional,
        "featureParams": spec.feature_params,
    }
    # The body is the gadget author's own HTML (the spec's <Content>), rendered as-is like Shindig does;
    # user-controlled pref values inside it were HTML-escaped by substitute().
    return {"gadget": gadget, "content": Markup(body)}


@bp.route("/gadgets/makeRequest", methods=["GET", "POST"])
def make_request() -> Response:
    """Shindig's proxy: forward one request to an allow-listed host; answer in Shindig's JSON envelope."""
    form = request.values
    url = form.get("url", "").strip()
    if not url:
        raise ParameterMissing("url is required: the address to fetch", "url")
    method = form.get("httpMethod", "GET").upper()
    if method not in PROXY_METHODS:
        raise InvalidInput(f"httpMethod must be one of {', '.join(PROXY_METHODS)}, got {method!r}", "httpMethod")
    headers = {k: v for k, v in parse_qsl(form.get("headers", "")) if k.lower() not in UNFORWARDED_HEADERS}
    body = form.get("postData") if method in ("POST", "PUT") else None
    response = _forward(method, url, headers, body)
    result = {"rc": response.status_code, "body": response.text}
    if form.get("getFullHeaders", "").lower() == "true":
        result["headers"] = {name.lower(): [value] for name, value in response.headers.items()}
    return current_app.response_class(SHINDIG_CRUFT + json.dumps({url: result}), mimetype="application/json")


def _forward(method: str, url: str, headers: Mapping[str, str], body: str | None) -> requests.Response:
    """Send the request to an allow-listed host, following redirects only to allow-listed hosts."""
    return outbound.send(
        method,
        url,
        _make_request_allowed,
        "the makeRequest allow-list (MAKEREQUEST_ALLOWLIST)",
        current_app.config["GADGET_FETCH_TIMEOUT"],
        headers,
        body,
    )


def _make_request_allowed(target: outbound.Target) -> bool:
    """makeRequest reaches this Finesse and the hosts on MAKEREQUEST_ALLOWLIST."""
    return target.origin in current_app.config["MAKEREQUEST_ALLOWLIST"] or outbound.is_this_server(target)


def _gadget_source_allowed(target: outbound.Target) -> bool:
    """Gadget specs and their files come from this Finesse, the hosts of the gadgets in the desktop layouts,
    and GADGET_SOURCE_ALLOWLIST (Finesse's Gadget Source Allowed List); no other host is fetched."""
    if target.origin in current_app.config["GADGET_SOURCE_ALLOWLIST"] or outbound.is_this_server(target):
        return True
    layout_origins = set()
    for url in get_backend().layouts.gadget_urls():
        try:
            layout_origins.add(outbound.parse_target(url).origin)
        except InvalidInput:
            continue  # relative (this server: allowed above) or not fetchable anyway
    return target.origin in layout_origins


@bp.post("/gadgets/prefs")
def save_pref() -> ResponseReturnValue:
    """``setprefs``: persist one user pref for the signed-in agent and the gadget spec URL."""
    form = request.form
    agent_id = current_agent_or_basic().id
    spec_url, name = form.get("url", "").strip(), form.get("name", "").strip()
    if not spec_url:
        raise ParameterMissing("url is required: the gadget spec URL the pref belongs to", "url")
    if not name:
        raise ParameterMissing("name is required: the user pref to set", "name")
    value = form.get("value", "")
    limit = current_app.config["GADGET_PREF_MAX_CHARS"]
    if len(value) > limit:
        raise InvalidInput(f"value of pref {name!r} is {len(value)} characters; the limit is {limit}", "value")
    if name not in FINESSE_PREF_NAMES:  # Finesse's own are accepted and not kept (inferred)
        store_pref(agent_id, spec_url, name, value)
    return "", 204


@file_route(bp, "/gadgets/js/gadgets.js")
def gadgets_shim() -> pathlib.Path:
    """The ``gadgets.*`` shim every rendered gadget loads."""
    return STATIC_DIR / "gadgets" / "gadgets.js"


@file_route(bp, "/desktop/assets/js/finesse.js", "/desktop/assets/js/finesse.min.js")
def finesse_js() -> pathlib.Path:
    """finesse.js at Finesse's paths: the FINESSE_JS file when set (e.g. Cisco's own), else ours."""
    configured = current_app.config["FINESSE_JS"]
    return pathlib.Path(configured) if configured else STATIC_DIR / "finesse" / "finesse.js"


@file_route(bp, "/desktop/js/utilities/<name>.js")
def desktop_utility(name: str) -> pathlib.Path:
    """Our implementations of the utilities Finesse serves to gadgets by path (MessageDisplay.js)."""
    return file_in(STATIC_DIR / "desktop" / "utilities", f"{name}.js")


@file_route(bp, "/gadgets/js/shindig-container:osapi:pubsub-2:loadingindicator.js")
def shindig_container_js() -> pathlib.Path:
    """The desktop page's gadgets container API (Shindig's in Finesse): gadgets.Hub and the hub broker."""
    return STATIC_DIR / "desktop" / "shindig-container.js"


@file_route(bp, "/desktop/assets/js/jquery.min.js")
def jquery_js() -> pathlib.Path:
    """jQuery from the XStatic-jQuery package, at Finesse's path."""
    return pathlib.Path(xstatic.pkg.jquery.BASE_DIR) / "jquery.min.js"
