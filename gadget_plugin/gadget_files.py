"""Serves the gadget: ``/gadget.xml`` (rendered from the single source) and its JS/CSS/message bundles.

Every answer has an ETag and honours ``If-None-Match``; content-hashed names (``js/app.<hash>.js``, what the
served spec refers to) get a year's immutable max-age, plain names ``no-cache``; text is gzipped on request.
The served spec loads the gadget's own scripts as one file, ``js/scripts.<hash>.js`` (``gadget_spec.
SCRIPTS_BUNDLE``: the files of the spec's run of script tags, in order), one request instead of thirty.
"""

import pathlib
import threading
from collections.abc import Callable, Hashable

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from mock_core.static_files import IMMUTABLE, REVALIDATE, content_type_of, respond

from . import gadget_spec
from .errors import NotFound, ValidationFailed

bp = Blueprint("gadget_files", __name__)

FAVICON = pathlib.Path(__file__).parent / "static" / "site" / "favicon.svg"
_cache: dict[Hashable, bytes] = {}  # rendered specs and asset files, by what made them
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
    return respond(body, "application/xml; charset=utf-8", REVALIDATE)


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site icon a browser asks for when it opens gadget.xml (an SVG; not part of the gadget bundle)."""
    return respond(FAVICON.read_bytes(), "image/svg+xml", REVALIDATE)


@bp.route("/<path:asset>")
def asset_file(asset: str) -> ResponseReturnValue:
    """One file of ``static/gadget`` by plain or content-hashed name."""
    name, wanted_hash = gadget_spec.unhashed_name(asset)
    if name == gadget_spec.SCRIPTS_BUNDLE:
        data = _scripts_bundle()
        immutable = wanted_hash is not None and wanted_hash == gadget_spec.content_hash(data)
        return respond(data, "text/javascript; charset=utf-8", IMMUTABLE if immutable else REVALIDATE)
    path = (gadget_spec.ASSET_DIR / name).resolve()
    if gadget_spec.ASSET_DIR not in path.parents or not path.is_file():
        raise NotFound(f"No gadget file {asset}.")
    data = _cached(("file", str(path), path.stat().st_mtime_ns), path.read_bytes)
    immutable = wanted_hash is not None and wanted_hash == gadget_spec.content_hash(data)
    return respond(data, content_type_of(path), IMMUTABLE if immutable else REVALIDATE)


def _scripts_bundle() -> bytes:
    """The gadget's own scripts as one file, as the served spec names it (built again when a file changes)."""
    source = pathlib.Path(current_app.config["GADGET_SPEC"])
    key = ("scripts", str(source), source.stat().st_mtime_ns, _assets_version())

    def build() -> bytes:
        content = gadget_spec.parse(source.read_bytes()).find("Content")
        return gadget_spec.scripts_bundle(gadget_spec.own_scripts(content.text if content is not None else ""))

    return _cached(key, build)


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
