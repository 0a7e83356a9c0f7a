"""The mock Finesse's static files with HTTP caching: the desktop's scripts and styles, finesse.js, gadgets.js, the
container's scripts, jQuery and the 3rdpartygadget files.

A route registered with ``file_route`` names a file; its GET answers that file with an ETag (a conditional GET gets
``304``), gzipped on request, through ``mock_core.static_files``. ``asset_url`` (a template global) writes a URL
that carries the file's content version (``?v=<hash>``, the cache buster Cisco's docs ask gadget authors for): that
URL is cached for a year as immutable, so a reloaded desktop or the next sign-in in the same browser asks for none
of the desktop's own files. Every other URL of a file, the plain paths a gadget writes
(``/desktop/assets/js/finesse.js``, ``/3rdpartygadget/files/…``), gets ``no-cache``: revalidated on every load, so
a new deployment is picked up at once (Finesse caches gadget files on the server too: "Gadget Caching",
developer.cisco.com/docs/finesse/gadget-caching; the mock's headers are inferred). A body and its version are
made once per version of its files (their path, modification time and size), in a bounded cache: rendering a
page costs one ``stat`` per file it names, and an edited file gets its new version on the next render.
"""

import functools
import pathlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from flask import Blueprint, request, url_for
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from mock_core.static_files import (
    CACHED_FILES,
    IMMUTABLE,
    REVALIDATE,
    Stamp,
    content_type_of,
    content_version,
    file_stamp,
    read_file,
    respond,
)

from .errors import NotFound

VERSION_PARAMETER = "v"
JAVASCRIPT = "text/javascript; charset=utf-8"
Locator = Callable[..., pathlib.Path]


class Served(NamedTuple):
    """What a URL of a static route serves: its files, their Content-Type and, for a bundle, the name each file's
    comment gives it (a bundle joins its files, each after a comment naming it)."""

    paths: tuple[pathlib.Path, ...]
    content_type: str
    bundle_names: tuple[str, ...] = ()


_sources: dict[str, Callable[..., Served]] = {}  # endpoint → what its URL values serve


def file_route(bp: Blueprint, *rules: str) -> Callable[[Locator], Locator]:
    """Register ``locate(**url values) -> path`` under ``rules`` of ``bp``: a GET answers the file it names."""

    def register(locate: Locator) -> Locator:
        def source(**values: Any) -> Served:
            path = locate(**values)
            return Served((path,), content_type_of(path))

        _add_source(bp, rules, locate.__name__, source, locate.__doc__)
        return locate

    return register


def script_bundle_route(bp: Blueprint, rule: str, endpoint: str, directory: pathlib.Path, names: Sequence[str]) -> None:
    """Register ``rule`` of ``bp``: the scripts ``names`` of ``directory`` as one, each after a comment naming it.

    One request instead of one a file, with no build step: the files stay as they are, the bundle follows them.
    Each file must keep its code to itself (an IIFE), as ours do."""
    bundle = Served(tuple(directory / name for name in names), JAVASCRIPT, tuple(names))
    _add_source(bp, (rule,), endpoint, lambda: bundle, f"The scripts {', '.join(names)} as one.")


def _add_source(
    bp: Blueprint, rules: Sequence[str], endpoint: str, source: Callable[..., Served], doc: str | None
) -> None:
    _sources[f"{bp.name}.{endpoint}"] = source

    def view(**values: Any) -> Response:
        served = source(**values)
        data, version = _current(served)
        current = request.args.get(VERSION_PARAMETER) == version
        return respond(data, served.content_type, IMMUTABLE if current else REVALIDATE)

    view.__doc__ = doc
    for rule in rules:
        bp.add_url_rule(rule, endpoint, view, methods=["GET"])


def _current(served: Served) -> tuple[bytes, str]:
    """The body of ``served`` as its files are now, and its content version (one ``stat`` per file)."""
    return _content(tuple(file_stamp(path) for path in served.paths), served)


@functools.lru_cache(maxsize=CACHED_FILES)
def _content(stamps: tuple[Stamp, ...], served: Served) -> tuple[bytes, str]:
    """The body of ``served`` and its content version: read and hashed once per version of its files (``stamps``:
    an edit makes a new entry, so it is seen at once; the bound keeps the memory of old versions in check)."""
    if not served.bundle_names:
        data = read_file(served.paths[0])
    else:
        parts = zip(served.bundle_names, served.paths, strict=True)
        data = b"\n;\n".join(b"/* ---- " + name.encode() + b" ---- */\n" + read_file(path) for name, path in parts)
    return data, content_version(data)


def file_in(directory: str | pathlib.Path, name: str) -> pathlib.Path:
    """The file ``name`` inside ``directory`` (no way out of it), or NotFound."""
    joined = safe_join(str(directory), name)
    if joined is None or not pathlib.Path(joined).is_file():
        raise NotFound(f"No file {name}.", data=name)
    return pathlib.Path(joined)


def asset_url(endpoint: str, **values: Any) -> str:
    """The URL of a static file (or bundle) with its content version, the one the browser may keep for a year
    (one ``stat`` per file to find it: no read, no hash while the files are unchanged)."""
    _, version = _current(_sources[endpoint](**values))
    return url_for(endpoint, **{**values, VERSION_PARAMETER: version})
