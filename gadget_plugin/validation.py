"""Checks run before Context Service is called; every error names the field and, where there is one, the limit."""

import re
import unicodedata
import urllib.parse
from collections.abc import Collection, Mapping
from typing import Any, Literal, overload

from .dictionary import Dictionary, enum_options
from .errors import ValidationFailed
from .shapes import Fields

TEXT_LIMIT = 2000
TAG_LIMIT = 50
TAGS_PER_OBJECT = 100
MEDIA_TYPES = ("chat", "email", "event", "mobile", "social", "video", "voice", "web")
INT32 = (-(2**31), 2**31 - 1)
EMAIL_FIELDS = ("Context_Home_Email", "Context_Work_Email", "Context_POD_Source_Email")
PHONE_FIELDS = ("Context_Mobile_Phone", "Context_Home_Phone", "Context_Work_Phone", "Context_POD_Source_Phone")
# Fields the gadget edits in a textarea: tab and line breaks are allowed in these (and in comments) only.
MULTILINE_FIELDS = ("Context_Description", "Context_Notes", "Context_Comment")
# Search pages beyond this are refused by the proxy (the reference gives no limit for startIndex: inferred).
MAX_START_INDEX = 10_000
# Lone surrogates, NUL and every other C0/C1 control character except tab, line feed and carriage return.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


@overload
def text(value: object, field: str, required: Literal[True], limit: int = ..., multiline: bool = ...) -> str: ...
@overload
def text(value: object, field: str, required: bool = ..., limit: int = ..., multiline: bool = ...) -> str | None: ...
def text(
    value: object, field: str, required: bool = False, limit: int = TEXT_LIMIT, multiline: bool = False
) -> str | None:
    """A string of at most ``limit`` characters (stripped); None when absent and not required. No control
    characters (tab and line breaks only when ``multiline``), and not only invisible characters."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationFailed(f"{field} is required.", field=field)
        return None
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text.", field=field)
    if len(value) > limit:
        raise ValidationFailed(
            f"{field} must be at most {limit} characters (got {len(value)}).", field=field, limit=limit
        )
    problem = forbidden_character(value) or (None if multiline else _line_break(value))
    if problem:
        raise ValidationFailed(f"{field} contains {problem}.", field=field)
    if all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value):
        raise ValidationFailed(f"{field} holds only invisible characters (such as zero-width spaces).", field=field)
    return value.strip()


def forbidden_character(value: str) -> str | None:
    """What is wrong with the first character no text may hold (``"a lone surrogate …"``), or None."""
    found = _FORBIDDEN.search(value)
    if not found:
        return None
    char = found.group()
    kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
    return f"{kind} (U+{ord(char):04X} at position {found.start()})"


def _line_break(value: str) -> str | None:
    found = _LINE_BREAKS.search(value)
    return f"a tab or line break (U+{ord(found.group()):04X}), allowed in multi-line fields only" if found else None


def last_updated(body: Mapping[str, Any]) -> str:
    """The ``lastUpdated`` every update must carry."""
    return text(body.get("lastUpdated"), "lastUpdated", required=True, limit=64)


def field_values(fields: object, allowed_field_ids: Collection[str], dictionary: Dictionary) -> Fields:
    """``{field: value}`` checked against the dictionary: known field of the object, value of its type."""
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise ValidationFailed("fields must be an object of field id to value.", field="fields")
    checked: Fields = {}
    for field_id, value in fields.items():
        if field_id not in allowed_field_ids:
            raise ValidationFailed(f"{field_id} is not a field of this object's fieldsets.", field=field_id)
        checked[field_id] = _typed_value(field_id, value, dictionary.field(field_id) or {})
    return normalized_contacts(checked)


def _typed_value(field_id: str, value: object, field: Mapping[str, Any]) -> object:
    if value is None or value == "":
        return None
    data_type = field.get("dataType", "string")
    if data_type == "boolean":
        if not isinstance(value, bool):
            raise ValidationFailed(f"{field_id} must be true or false.", field=field_id)
        return value
    if data_type in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed(f"{field_id} must be a whole number.", field=field_id)
        if data_type == "integer" and not INT32[0] <= value <= INT32[1]:
            raise ValidationFailed(
                f"{field_id} must be between {INT32[0]} and {INT32[1]}.", field=field_id, limit=INT32[1]
            )
        return value
    if data_type == "double":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationFailed(f"{field_id} must be a number.", field=field_id)
        return value
    checked = text(value, field_id, multiline=field_id in MULTILINE_FIELDS)
    options = enum_options(field)
    if options is not None and checked is not None and checked not in options:
        raise ValidationFailed(f"{field_id} must be one of: {', '.join(options)}.", field=field_id)
    return checked


def tags(values: object) -> list[str] | None:
    """Trimmed tags: each 1–50 characters, unique per object ignoring case; order kept."""
    if values is None:
        return None
    if not isinstance(values, list):
        raise ValidationFailed("tags must be a list of text.", field="tags")
    if len(values) > TAGS_PER_OBJECT:
        raise ValidationFailed(
            f"An activity can have at most {TAGS_PER_OBJECT} tags.", field="tags", limit=TAGS_PER_OBJECT
        )
    seen: set[str] = set()
    checked: list[str] = []
    for index, tag in enumerate(values):
        if not isinstance(tag, str) or not tag.strip():
            raise ValidationFailed(f"tags[{index}] must be non-empty text.", field="tags")
        tag = tag.strip()
        problem = forbidden_character(tag) or _line_break(tag)
        if problem or all(unicodedata.category(ch) == "Cf" for ch in tag):
            raise ValidationFailed(f"tags[{index}] contains {problem or 'only invisible characters'}.", field="tags")
        if len(tag) > TAG_LIMIT:
            raise ValidationFailed(
                f"Tag {tag[:20]!r}… is longer than {TAG_LIMIT} characters.", field="tags", limit=TAG_LIMIT
            )
        if tag.casefold() in seen:
            raise ValidationFailed(f"Tag {tag!r} is already on this activity (tags must be unique).", field="tags")
        seen.add(tag.casefold())
        checked.append(tag)
    return checked


def media_type(value: object) -> str:
    """One of Context Service's activity media types."""
    value = text(value, "mediaType", required=True, limit=16).lower()
    if value not in MEDIA_TYPES:
        raise ValidationFailed(f"mediaType must be one of: {', '.join(MEDIA_TYPES)}.", field="mediaType")
    return value


def normalized_phone(value: str) -> str:
    """Digits only, keeping a leading ``+`` (``+1 (555) 010-2030`` → ``+15550102030``)."""
    value = value.strip()
    return ("+" if value.startswith("+") else "") + re.sub(r"\D", "", value)


def normalized_email(value: str) -> str:
    """Emails compare case-insensitively: stored and looked up lower-case."""
    return value.strip().lower()


def normalized_contacts(fields: Mapping[str, Any]) -> Fields:
    """Phone and email fields in their normalised form, so look-ups by exact match find them."""
    result = dict(fields)
    for key in EMAIL_FIELDS:
        if result.get(key):
            result[key] = normalized_email(result[key])
    for key in PHONE_FIELDS:
        if result.get(key):
            result[key] = normalized_phone(result[key])
    return result


def paging(args: Mapping[str, Any], default_max: int = 20, limit: int = 200) -> tuple[int, int]:
    """``(startIndex, maxEntries)`` from query arguments; at most 200 entries a page, as Context Service, and
    pages starting at most at ``MAX_START_INDEX``."""
    start = _whole_number(args, "startIndex", 0)
    max_entries = _whole_number(args, "maxEntries", default_max)
    if not 0 <= start <= MAX_START_INDEX:
        raise ValidationFailed(
            f"startIndex must be between 0 and {MAX_START_INDEX}.", field="startIndex", limit=MAX_START_INDEX
        )
    if not 1 <= max_entries <= limit:
        raise ValidationFailed(f"maxEntries must be between 1 and {limit}.", field="maxEntries", limit=limit)
    return start, max_entries


def _whole_number(args: Mapping[str, Any], name: str, default: int) -> int:
    try:
        return int(args.get(name, default))
    except (TypeError, ValueError):
        raise ValidationFailed(f"{name} must be a whole number.", field=name) from None


def flag(args: Mapping[str, Any], name: str) -> bool:
    """A yes/no query argument: ``true``/``1`` or ``false``/``0`` (absent: false)."""
    value = str(args.get(name, "false")).strip().lower()
    if value not in ("true", "1", "false", "0"):
        raise ValidationFailed(f"{name} must be true or false.", field=name)
    return value in ("true", "1")


def id_list(value: object, field: str, limit: int, max_chars: int = TEXT_LIMIT) -> list[str]:
    """Comma-separated ids (each at most 128 characters), without repeats: at least one, at most ``limit``, in at
    most ``max_chars`` characters once percent-encoded as a URL carries them (every character but letters, digits
    and ``-._~`` taking three per UTF-8 byte: the most any client sends)."""
    listed = text(value, field, required=True, limit=max_chars)
    sent = len(urllib.parse.quote(listed, safe=""))
    if sent > max_chars:
        raise ValidationFailed(
            f"{field} must be at most {max_chars} characters once percent-encoded in the URL (got {sent}).",
            field=field,
            limit=max_chars,
        )
    ids = list(dict.fromkeys(part.strip() for part in listed.split(",")))
    if not all(ids):
        raise ValidationFailed(f"{field} holds an empty id.", field=field)
    if len(ids) > limit:
        raise ValidationFailed(f"{field} takes at most {limit} ids (got {len(ids)}).", field=field, limit=limit)
    for one in ids:
        text(one, field, limit=128)
    return ids
