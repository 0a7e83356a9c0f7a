"""The mock Finesse's static files with HTTP caching: the desktop's scripts and styles, finesse.js, gadgets.js, the
container's scripts, jQuery and the 3rdpartygadget files.

A route registered with ``file_route`` names a file; its GET answers that file with an ETag (a conditional GET gets
``304``), gzipped on request, through ``mock_core.static_files``. ``asset_url`` (a template global) writes a URL
that carries the file's content version (``?v=<hash>``, the cache buster Cisco's docs ask gadget authors for): that
URL is cached for a year as immutable, so a reloaded desktop or the next sign-in in the same browser asks for none
of the desktop's own files. Every other URL of a file, the plain paths a gadget writes
(``/desktop/assets/js/finesse.js``, ``/3rdpartygadget/files/…``), gets ``no-cache``: revalidated on every load, so
a new deployment is picked up at once (Finesse caches gadget files on the server too: "Gadget Caching",
developer.cisco.com/docs/finesse/gadget-caching; the mock's headers are inferred).
"""

import pathlib
from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, request, url_for
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from mock_core.static_files import IMMUTABLE, REVALIDATE, content_type_of, content_version, read_file, respond

from .errors import NotFound

VERSION_PARAMETER = "v"
JAVASCRIPT = "text/javascript; charset=utf-8"
Locator = Callable[..., pathlib.Path]
Content = tuple[bytes, str]  # a body and its Content-Type
_sources: dict[str, Callable[..., Content]] = {}  # endpoint → what its URL values serve


def file_route(bp: Blueprint, *rules: str) -> Callable[[Locator], Locator]:
    """Register ``locate(**url values) -> path`` under ``rules`` of ``bp``: a GET answers the file it names."""

    def register(locate: Locator) -> Locator:
        def source(**values: Any) -> Content:
            path = locate(**values)
            return read_file(path), content_type_of(path)

        _add_source(bp, rules, locate.__name__, source, locate.__doc__)
        return locate

    return register


def script_bundle_route(bp: Blueprint, rule: str, endpoint: str, directory: pathlib.Path, names: Sequence[str]) -> None:
    """Register ``rule`` of ``bp``: the scripts ``names`` of ``directory`` as one, each after a comment naming it.

    One request instead of one a file, with no build step: the files stay as they are, the bundle follows them.
    Each file must keep its code to itself (an IIFE), as ours do."""

    def source() -> Content:
        parts = [b"/* ---- " + name.encode() + b" ---- */\n" + read_file(directory / name) for name in names]
        return b"\n;\n".join(parts), JAVASCRIPT

    _add_source(bp, (rule,), endpoint, source, f"The scripts {', '.join(names)} as one.")


def _add_source(
    bp: Blueprint, rules: Sequence[str], endpoint: str, source: Callable[..., Content], doc: str | None
) -> None:
    _sources[f"{bp.name}.{endpoint}"] = source

    def view(**values: Any) -> Response:
        return send_content(*source(**values))

    view.__doc__ = doc
    for rule in rules:
        bp.add_url_rule(rule, endpoint, view, methods=["GET"])


def send_content(data: bytes, content_type: str) -> Response:
    """Answer ``data``: immutable when the request names its current version, else revalidated."""
    current = request.args.get(VERSION_PARAMETER) == content_version(data)
    return respond(data, content_type, IMMUTABLE if current else REVALIDATE)


def file_in(directory: str | pathlib.Path, name: str) -> pathlib.Path:
    """The file ``name`` inside ``directory`` (no way out of it), or NotFound."""
    joined = safe_join(str(directory), name)
    if joined is None or not pathlib.Path(joined).is_file():
        raise NotFound(f"No file {name}.", data=name)
    return pathlib.Path(joined)


def asset_url(endpoint: str, **values: Any) -> str:
    """The URL of a static file (or bundle) with its content version, the one the browser may keep for a year."""
    data, _ = _sources[endpoint](**values)
    return url_for(endpoint, **{**values, VERSION_PARAMETER: content_version(data)})
