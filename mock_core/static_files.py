"""Static files with HTTP caching, shared by the servers: a strong ETag per encoding, conditional GETs answered
``304 Not Modified``, gzip when the browser accepts it (as Finesse's web server gzips its resources, reference
finesse.md §1.5) and the ``Cache-Control`` the caller picks: ``IMMUTABLE`` for a URL that names the content's
version (it never changes), ``REVALIDATE`` for a plain one (the browser asks again, a new deployment is seen).
"""

import functools
import gzip
import hashlib
import mimetypes
import pathlib

from flask import Response, request
from werkzeug.wrappers import Response as BaseResponse

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = ("text/", "application/javascript", "application/xml", "application/json", "image/svg+xml")
MIN_GZIP_BYTES = 512
CACHED_FILES = 256  # file contents and gzipped forms kept in memory (a file's change makes a new entry)
Stamp = tuple[str, int, int]  # a file's path, modification time (ns) and size: what changes when it is edited


def content_version(data: bytes) -> str:
    """The short hash of ``data`` that versions its URLs and starts its ETag."""
    return hashlib.sha256(data).hexdigest()[:32]


def file_stamp(path: pathlib.Path) -> Stamp:
    """``path``'s stamp: a new one whenever the file is edited (one ``stat``, no read)."""
    stat = path.stat()
    return str(path), stat.st_mtime_ns, stat.st_size


def read_file(path: pathlib.Path) -> bytes:
    """The bytes of ``path``, kept in memory until the file changes (its size or modification time)."""
    return _read(*file_stamp(path))


@functools.lru_cache(maxsize=CACHED_FILES)
def _read(path: str, mtime_ns: int, size: int) -> bytes:
    return pathlib.Path(path).read_bytes()


@functools.lru_cache(maxsize=CACHED_FILES)
def _gzipped(etag: str, data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def content_type_of(path: pathlib.Path) -> str:
    """The Content-Type of a file by its name, ``charset=utf-8`` for text (JavaScript is ``text/javascript``, RFC 9239,
    whatever the system's MIME table says)."""
    if path.suffix in (".js", ".mjs"):
        return "text/javascript; charset=utf-8"
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("xml") else guessed


def respond(data: bytes, content_type: str, cache_control: str) -> BaseResponse:
    """A conditional, optionally gzipped answer of ``data`` with a strong ETag per encoding."""
    etag = content_version(data)
    use_gzip = (
        len(data) >= MIN_GZIP_BYTES
        and content_type.startswith(COMPRESSIBLE)
        and "gzip" in request.headers.get("Accept-Encoding", "")
    )
    if use_gzip:
        etag += "-gz"
        data = _gzipped(etag, data)
    response = Response(data, content_type=content_type)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    response.vary.add("Accept-Encoding")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    return response.make_conditional(request)
