"""Request bodies: read within the size limit whatever the transfer encoding, parsed with a depth limit, and
refused when any text in them carries characters no field may hold (naming where).

Chunked bodies have no Content-Length to refuse up front, so the body is read up to one byte past the limit;
Flask's ``MAX_CONTENT_LENGTH`` is set one byte higher than ``MAX_BODY_BYTES`` for the same reason.
"""

import itertools
import json
import re
from typing import IO, Any

from . import validation
from .errors import BadRequest, PayloadTooLarge, ValidationFailed

MAX_DEPTH = 10  # the gadget's deepest body (fields → value, source → name, tags → tag) is 2 levels
READ_CHUNK = 16 * 1024
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def read_object(stream: IO[bytes], limit: int) -> dict[str, Any]:
    """The JSON object of a body read from ``stream`` (at most ``limit`` bytes); errors name ``body``."""
    raw = read_limited(stream, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The request body must be UTF-8 encoded JSON.", field="body") from None
    if depth(text) > MAX_DEPTH:
        raise ValidationFailed(f"The request body nests deeper than {MAX_DEPTH} levels.", field="body", limit=MAX_DEPTH)
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object (Content-Type: application/json).", field="body")
    check_characters(body)
    return body


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``; PayloadTooLarge as soon as there are more."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(READ_CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise PayloadTooLarge(f"The request body must be at most {limit} bytes.", field="body", limit=limit)


def depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count)."""
    steps = (1 if bracket in "[{" else -1 for bracket in _BRACKET.findall(_STRING.sub("", text)))
    return max(itertools.accumulate(steps, initial=0))


def check_characters(value: object, path: str = "body") -> None:
    """ValidationFailed naming the first key or text (by its path) holding a lone surrogate or a control
    character other than tab and line breaks (those are refused by each single-line field)."""
    if isinstance(value, dict):
        for key, item in value.items():
            # A field's value is named by the field id alone, as every other error about it is.
            where = key if path in ("body", "fields") else f"{path}.{key}"
            _check_text(key, where)
            check_characters(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_characters(item, f"{path}[{index}]")
    elif isinstance(value, str):
        _check_text(value, path)


def _check_text(text: str, where: str) -> None:
    problem = validation.forbidden_character(text)
    if problem:
        raise ValidationFailed(f"{where} contains {problem}.", field=where)
