"""Serves the gadget: ``/gadget.xml`` (rendered from the single source) and its JS/CSS/message bundles.

Every answer has an ETag and honours ``If-None-Match``; content-hashed names (``js/app.<hash>.js``, what the
served spec refers to) get a year's immutable max-age, plain names ``no-cache``; text is gzipped on request.
"""

import gzip
import hashlib
import mimetypes
import pathlib
import threading
from collections.abc import Callable, Hashable

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from . import gadget_spec
from .errors import NotFound, ValidationFailed

bp = Blueprint("gadget_files", __name__)

LONG_MAX_AGE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = ("text/", "application/javascript", "application/xml", "application/json", "image/svg+xml")
MIN_GZIP_BYTES = 512
FAVICON = pathlib.Path(__file__).parent / "static" / "site" / "favicon.svg"
_cache: dict[Hashable, bytes] = {}  # rendered specs, asset files and their gzipped forms, by what made them
_cache_lock = threading.Lock()


@bp.route("/gadget.xml")
def gadget_xml() -> ResponseReturnValue:
    """The spec with this server's configured public URL as ``proxyUrl`` and hashed asset names.

    ``?transport=makeRequest`` (in a team's layout: ``<gadget>…/gadget.xml?transport=makeRequest</gadget>``)
    makes that the gadget's default transport, for teams whose browsers cannot reach this server directly.
    """
    config = current_app.config
    source = pathlib.Path(config["GADGET_SPEC"])
    proxy_url = config["PUBLIC_URL"]  # configuration only: a Host header must never choose it (cache poisoning)
    transport = request.args.get("transport")
    if transport not in (None, *gadget_spec.TRANSPORTS):
        raise ValidationFailed(f"transport must be {' or '.join(gadget_spec.TRANSPORTS)}.", field="transport")
    key = ("spec", proxy_url, transport, source.stat().st_mtime_ns, _assets_version())
    body = _cached(
        key,
        lambda: gadget_spec.render(
            source.read_text(), proxy_url, transport=transport, finesse_url=config["FINESSE_URLS"][0]
        ),
    )
    return _respond(body, "application/xml; charset=utf-8", REVALIDATE)


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site icon a browser asks for when it opens gadget.xml (an SVG; not part of the gadget bundle)."""
    return _respond(FAVICON.read_bytes(), "image/svg+xml", REVALIDATE)


@bp.route("/<path:asset>")
def asset_file(asset: str) -> ResponseReturnValue:
    """One file of ``static/gadget`` by plain or content-hashed name."""
    name, wanted_hash = gadget_spec.unhashed_name(asset)
    path = (gadget_spec.ASSET_DIR / name).resolve()
    if gadget_spec.ASSET_DIR not in path.parents or not path.is_file():
        raise NotFound(f"No gadget file {asset}.")
    data = _cached(("file", str(path), path.stat().st_mtime_ns), path.read_bytes)
    immutable = wanted_hash is not None and wanted_hash == gadget_spec.content_hash(data)
    return _respond(data, _content_type(path), LONG_MAX_AGE if immutable else REVALIDATE)


def _assets_version() -> int:
    """Changes whenever any asset file changes, so the rendered spec is rebuilt with the new hashes."""
    return max((p.stat().st_mtime_ns for p in gadget_spec.ASSET_DIR.rglob("*") if p.is_file()), default=0)


def _cached(key: Hashable, build: Callable[[], bytes]) -> bytes:
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    value = build()
    with _cache_lock:
        _cache[key] = value
    return value


def _content_type(path: pathlib.Path) -> str:
    if path.suffix == ".js":
        return "application/javascript; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("xml") else guessed


def _respond(data: bytes, content_type: str, cache_control: str) -> ResponseReturnValue:
    """A conditional, optionally gzipped answer with a strong ETag per encoding."""
    etag = hashlib.sha256(data).hexdigest()[:32]
    use_gzip = (
        len(data) >= MIN_GZIP_BYTES
        and content_type.startswith(COMPRESSIBLE)
        and "gzip" in request.headers.get("Accept-Encoding", "")
    )
    if use_gzip:
        etag += "-gz"
        data = _cached(("gz", etag), lambda: gzip.compress(data, mtime=0))
    response = Response(data, content_type=content_type)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    response.vary.add("Accept-Encoding")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)
