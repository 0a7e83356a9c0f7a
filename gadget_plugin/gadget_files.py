"""Serves the gadget: ``/gadget.xml`` (rendered from the single source) and its JS/CSS/message bundles.

Every answer has an ETag and honours ``If-None-Match``; content-hashed names (``js/app.<hash>.js``, what the
served spec refers to) get a year's immutable max-age, plain names ``no-cache``; text is gzipped on request.
The served spec loads the gadget's own scripts as one file, ``js/scripts.<hash>.js`` (``gadget_spec.
SCRIPTS_BUNDLE``: the files of the spec's run of script tags, in order), one request instead of thirty.
Files, rendered specs and bundles stay in bounded caches under the stamps (path, modification time, size) of
what made them: an edit is seen on the next request, and an unchanged spec costs one ``stat`` per file it names.
"""

import functools
import pathlib

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue

from mock_core.static_files import IMMUTABLE, REVALIDATE, Stamp, content_type_of, file_stamp, read_file, respond

from . import gadget_spec
from .errors import NotFound, ValidationFailed

bp = Blueprint("gadget_files", __name__)

FAVICON = pathlib.Path(__file__).parent / "static" / "site" / "favicon.svg"
CACHED_SPECS = 16  # rendered specs and scripts bundles kept in memory (a spec's or a file's edit makes a new one)
# What a served spec is made of: the source's stamp, the gadget folder, the stamps of the files the spec names.
SpecStamps = tuple[Stamp, pathlib.Path, tuple[Stamp, ...]]
MISSING = -1  # the modification time and size in the stamp of a file the spec names that does not exist


@bp.route("/gadget.xml")
def gadget_xml() -> ResponseReturnValue:
    """The spec with this server's configured public URL as ``proxyUrl`` and hashed asset names.

    ``?transport=makeRequest`` (in a team's layout: ``<gadget>…/gadget.xml?transport=makeRequest</gadget>``)
    makes that the gadget's default transport, for teams whose browsers cannot reach this server directly.
    """
    config = current_app.config
    proxy_url = config["PUBLIC_URL"]  # configuration only: a Host header must never choose it (cache poisoning)
    transport = request.args.get("transport")
    if transport not in (None, *gadget_spec.TRANSPORTS):
        raise ValidationFailed(f"transport must be {' or '.join(gadget_spec.TRANSPORTS)}.", field="transport")
    body = rendered_spec(spec_stamps(), proxy_url, transport, config["FINESSE_URLS"][0])
    return respond(body, "application/xml; charset=utf-8", REVALIDATE)


@bp.route("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The site icon a browser asks for when it opens gadget.xml (an SVG; not part of the gadget bundle)."""
    return respond(read_file(FAVICON), "image/svg+xml", REVALIDATE)


@bp.route("/<path:asset>")
def asset_file(asset: str) -> ResponseReturnValue:
    """One file of ``static/gadget`` by plain or content-hashed name."""
    name, wanted_hash = gadget_spec.unhashed_name(asset)
    if name == gadget_spec.SCRIPTS_BUNDLE:
        data, version = scripts_bundle(spec_stamps())
        content_type = "text/javascript; charset=utf-8"
    else:
        path = gadget_spec.file_inside(name, gadget_spec.ASSET_DIR)
        if path is None or not path.is_file():
            raise NotFound(f"No gadget file {asset}.")
        data, content_type = read_file(path), content_type_of(path)
        version = gadget_spec.content_hash(data)
    return respond(data, content_type, IMMUTABLE if wanted_hash == version else REVALIDATE)


def spec_stamps() -> SpecStamps:
    """The stamps of the served spec and of every file it names: one ``stat`` each, no read, no listing, so an
    edited file is seen on the next request and an unchanged one costs nothing more."""
    source = file_stamp(pathlib.Path(current_app.config["GADGET_SPEC"]))
    folder = gadget_spec.ASSET_DIR
    return source, folder, tuple(_stamp_of(path) for path in _named_files(source, folder))


@functools.lru_cache(maxsize=CACHED_SPECS)
def rendered_spec(stamps: SpecStamps, proxy_url: str, transport: str | None, finesse_url: str) -> bytes:
    """The served spec of one version of the spec and its files (``gadget_spec.render``)."""
    (source, _, _), folder, _ = stamps
    text = read_file(pathlib.Path(source))
    return gadget_spec.render(text, proxy_url, transport=transport, finesse_url=finesse_url, asset_dir=folder)


@functools.lru_cache(maxsize=CACHED_SPECS)
def scripts_bundle(stamps: SpecStamps) -> tuple[bytes, str]:
    """The gadget's own scripts as one file, as the served spec names it, and its content hash."""
    (source, _, _), folder, _ = stamps
    data = gadget_spec.scripts_bundle(gadget_spec.bundled_scripts(_content_of(source), folder), folder)
    return data, gadget_spec.content_hash(data)


@functools.lru_cache(maxsize=CACHED_SPECS)
def _named_files(source: Stamp, folder: pathlib.Path) -> tuple[pathlib.Path, ...]:
    """The files of the gadget folder one version of the spec names (read once per version)."""
    return tuple(gadget_spec.asset_files(_content_of(source[0]), folder))


def _content_of(source: str) -> str:
    content = gadget_spec.parse(read_file(pathlib.Path(source))).find("Content")
    return (content.text or "") if content is not None else ""


def _stamp_of(path: pathlib.Path) -> Stamp:
    try:
        return file_stamp(path)
    except OSError:  # named but missing: its stamp changes once it appears
        return str(path), MISSING, MISSING
