"""Object search, ``GET /context/v1/{type}?...``, with Context Service's keys, operations and matching rules.

Parameters: ``q`` (repeatable; space-separated ``key:value`` terms, values may be "quoted phrases"; words
after a value up to the next ``key:`` belong to that key, all of them required, as in
``Context_Title:Mocha test request``),
``query_string`` (free text over every searchable field and tags; words and "quoted phrases"),
``operation`` (and|or), ``summary`` (ids only), ``startIndex``, ``maxEntries``, ``sortedBy``, ``sortOrder``.
The special keys may also be sent as parameters of their own (``customerId=...``). Word terms are answered
from the inverted index (search_index.py), so the work per query grows with the hits, not with the data.
"""

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any, TypedDict

from ..dictionary import models as dictionary
from ..errors import BadRequest, ValidationFailed
from ..shapes import Store, Wire
from . import search_index, wire
from .models import close_due_requests

MAX_ENTRIES = 200
MAX_START_INDEX = 2**63 - 1  # SQLite's largest integer (an OFFSET beyond it cannot be asked)
MAX_SUMMARY_ENTRIES = 100_000
MAX_TERMS = 50
MAX_IDS = 1000
MAX_PHRASE_WORDS = 16
OPTION_PARAMS = ("operation", "summary", "startIndex", "maxEntries", "sortedBy", "sortOrder")
# requestId: the SDK sample's key for an activity's request (the deprecated Pod's link), i.e. parentId.
COLUMNS = {
    "customerId": "customer_id",
    "parentId": "parent_id",
    "requestId": "parent_id",
    "state": "state",
    "mediaType": "media_type",
}
RANGES = {
    "startDate": ("last_updated_ms", ">="),
    "endDate": ("last_updated_ms", "<="),
    "startCreatedDate": ("created_ms", ">="),
    "endCreatedDate": ("created_ms", "<="),
}
SPECIAL_KEYS = ("id", "type", "tags", "notExists", *COLUMNS, *RANGES)
SORT_COLUMNS = {"lastUpdated": "last_updated_ms", "created": "created_ms"}
Q_TERM = re.compile(r'\s*([^\s:"]+):("[^"]*"|[^\s"]+)\s*')
Q_MORE = re.compile(r'\s*("[^"]*"|[^\s":]+(?=\s|$))\s*')
FREE_ITEM = re.compile(r'\s*(?:"([^"]*)"|([^\s"]+))\s*')


# A term's value: one word or phrase, or the words and phrases after one key (all required).
TermValue = str | tuple[str, ...]


class Options(TypedDict):
    """The validated options of a search."""

    operation: str
    summary: bool
    maxEntries: int
    sortedBy: str
    sortOrder: str
    startIndex: int


class Query(Options):
    """A parsed search: ``(key, value)`` terms, free-text items and the options."""

    terms: list[tuple[str, TermValue]]
    free: list[str]


class _Term:
    """One search condition as SQL over ``cs_object o`` and its parameters."""

    def __init__(self, sql: str, params: Sequence[Any]) -> None:
        self.sql, self.params = sql, params


Term = _Term | search_index.WordTerm


def search_objects(
    backend: Store, path_type: str, pairs: Iterable[tuple[str, str]], lab: bool
) -> tuple[list[Wire], int]:
    """Run a search given the query's ``(name, value)`` pairs; returns ``(answer, total hits)``.

    The answer is the bare JSON array the raw API answers [CSU]: the page of objects (``summary=true``: of
    ``{id, refUrl}``); the total is for the mock-only ``X-Mock-Total-Hits`` header."""
    types = wire.stored_types(path_type)
    query = _parse(pairs)
    with backend.transaction() as db:
        close_due_requests(db, wire.to_ms(backend.clock.now()))
        where, params = _where(backend, db, types, query, lab)
        total = db.execute(f"SELECT COUNT(*) FROM cs_object o WHERE {where}", params).fetchone()[0]
        order = "DESC" if query["sortOrder"] == "desc" else "ASC"
        column = SORT_COLUMNS[query["sortedBy"]]
        rows = db.execute(
            f"SELECT o.* FROM cs_object o WHERE {where} ORDER BY o.{column} {order}, o.pk {order} LIMIT ? OFFSET ?",
            [*params, query["maxEntries"], query["startIndex"]],
        ).fetchall()
    if query["summary"]:
        return [{"id": row["id"], "refUrl": wire.ref_url(row["type"], row["id"])} for row in rows], total
    return [wire.to_wire(row) for row in rows], total


# --- parsing ---------------------------------------------------------------------------------------------


def _parse(pairs: Iterable[tuple[str, str]]) -> Query:
    """Split the parameters into ``key:value`` terms, free-text items and options (validated)."""
    terms: list[tuple[str, TermValue]] = []
    free: list[str] = []
    options: dict[str, str] = {}
    for name, value in pairs:
        if name == "q":
            terms.extend(_q_terms(value))
        elif name == "query_string":
            free.extend(_free_items(value))
        elif name in SPECIAL_KEYS:
            terms.append((name, value))
        elif name in OPTION_PARAMS:
            if name in options:
                raise BadRequest(f"{name} is given more than once.", field=name)
            options[name] = value
        else:
            allowed = ", ".join(("q", "query_string", *OPTION_PARAMS, *SPECIAL_KEYS))
            raise BadRequest(f"Unknown search parameter {name!r}; use {allowed}.", field=name)
    if len([t for t in terms if t[0] != "id"]) + len(free) > MAX_TERMS:
        raise ValidationFailed(f"A search takes at most {MAX_TERMS} terms.", field="q", limit=MAX_TERMS)
    return {"terms": terms, "free": free, **_options(options)}


def _q_terms(text: str) -> list[tuple[str, TermValue]]:
    """``(key, value)`` terms of a ``q``; a value followed by more words or phrases becomes a tuple of them."""
    terms: list[tuple[str, list[str]]] = []
    position = 0
    while position < len(text):
        match = Q_TERM.match(text, position)
        more = Q_MORE.match(text, position) if match is None else None
        if match is not None:
            terms.append((match.group(1), [match.group(2).strip('"')]))
            position = match.end()
        elif more is not None and terms:
            terms[-1][1].append(more.group(1).strip('"'))
            position = more.end()
        elif not text[position:].strip():
            break
        else:
            raise BadRequest(f'q: cannot read {text[position:]!r}; terms are key:value or key:"a phrase".', field="q")
    return [(key, parts[0] if len(parts) == 1 else tuple(parts)) for key, parts in terms]


def _free_items(text: str) -> list[str]:
    """The words and quoted phrases of a ``query_string``."""
    if text.count('"') % 2:
        raise BadRequest("query_string has an unbalanced double quote.", field="query_string")
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in FREE_ITEM.finditer(text)]


def _options(options: dict[str, str]) -> Options:
    """The search options with their defaults, each checked."""
    operation = options.get("operation", "and").lower()
    if operation not in ("and", "or"):
        raise ValidationFailed(f"operation must be and or or, got {options['operation']!r}.", field="operation")
    summary = _flag(options.get("summary", "false"), "summary")
    limit = MAX_SUMMARY_ENTRIES if summary else MAX_ENTRIES
    max_entries = _integer(options.get("maxEntries", limit), "maxEntries", 1, limit)
    sorted_by = options.get("sortedBy", "lastUpdated")
    if sorted_by not in SORT_COLUMNS:
        raise ValidationFailed(f"sortedBy must be lastUpdated or created, got {sorted_by!r}.", field="sortedBy")
    sort_order = options.get("sortOrder", "desc").lower()
    if sort_order not in ("asc", "desc"):
        raise ValidationFailed(f"sortOrder must be asc or desc, got {sort_order!r}.", field="sortOrder")
    return {
        "operation": operation,
        "summary": summary,
        "maxEntries": max_entries,
        "sortedBy": sorted_by,
        "sortOrder": sort_order,
        "startIndex": _integer(options.get("startIndex", 0), "startIndex", 0, MAX_START_INDEX),
    }


def _flag(value: object, name: str) -> bool:
    """``true`` or ``false`` (any case) as a bool; else an error naming ``name``."""
    if str(value).lower() not in ("true", "false"):
        raise ValidationFailed(f"{name} must be true or false, got {value!r}.", field=name)
    return str(value).lower() == "true"


def _integer(value: str | int, name: str, low: int, high: int) -> int:
    """``value`` as an integer from ``low`` to ``high``; else an error naming ``name`` and the limit ``high``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(f"{name} must be an integer, got {value!r}.", field=name) from None
    if not low <= number <= high:
        raise ValidationFailed(f"{name} must be from {low} to {high}, got {number}.", field=name, limit=high)
    return number


# --- conditions ------------------------------------------------------------------------------------------


def _where(
    backend: Store, db: sqlite3.Connection, types: tuple[str, ...], query: Query, lab: bool
) -> tuple[str, list[Any]]:
    """The WHERE clause over ``cs_object o`` and its parameters."""
    types = _narrowed_types(types, [value for key, value in query["terms"] if key == "type"])
    terms = _terms(backend, db, types, query, lab)
    if not types:
        return "0", []
    base = [f"o.lab = ? AND o.type IN ({wire.placeholders(types)})"]
    params = [int(lab), *types]
    word_terms = sorted((t for t in terms if isinstance(t, search_index.WordTerm)), key=lambda t: t.estimate)
    parts = [t for t in terms if isinstance(t, _Term)]
    if word_terms:
        parts[:0] = _word_parts(word_terms, query["operation"])
    if parts:
        connective = " AND " if query["operation"] == "and" else " OR "
        base.append("(" + connective.join(p.sql for p in parts) + ")")
        params.extend(p for part in parts for p in part.params)
    return " AND ".join(base), params


def _word_parts(word_terms: list[search_index.WordTerm], operation: str) -> list[_Term]:
    """AND: the rarest term drives, the others are checked per candidate; OR: the union of all terms."""
    if operation == "or":
        selects = [t.pks_sql() for t in word_terms]
        return [
            _Term(
                "o.pk IN (" + " UNION ".join(sql for sql, _ in selects) + ")",
                [p for _, params in selects for p in params],
            )
        ]
    return [_as_condition(word_terms[0]), *(_Term(*t.exists_sql()) for t in word_terms[1:])]


def _narrowed_types(types: tuple[str, ...], requested: Iterable[TermValue]) -> tuple[str, ...]:
    """``type`` terms narrow the path's types (never widen them, not even in an OR search)."""
    known = {*wire.DETAIL_TYPES, "customer", "request", "activity", "pod"}
    for value in requested:
        if value not in known:
            raise ValidationFailed(f"type:{value} is not an object type.", field="type")
    wanted = {"activity" if value == "pod" else value for value in requested}
    return tuple(t for t in types if not wanted or t in wanted)


def _terms(backend: Store, db: sqlite3.Connection, types: tuple[str, ...], query: Query, lab: bool) -> list[Term]:
    """The conditions of the query's terms and free-text items (ids and date ranges each become one)."""
    terms: list[Term] = []
    ids: list[str] = []
    ranges: dict[str, list[tuple[str, int]]] = {}
    for key, value in query["terms"]:
        if key == "id":
            ids.extend(value if isinstance(value, tuple) else (value,))  # "id:a b": the ids a and b
        elif key in RANGES:
            ranges.setdefault(RANGES[key][0], []).append((RANGES[key][1], wire.parse_timestamp(value, key)))
        elif key != "type":
            terms.append(_key_term(backend, db, types, key, value, lab))
    if ids:
        if len(ids) > MAX_IDS:
            raise ValidationFailed(f"A search takes at most {MAX_IDS} ids.", field="id", limit=MAX_IDS)
        terms.append(_Term(f"o.id IN ({wire.placeholders(ids)})", ids))
    for column, bounds in ranges.items():
        terms.append(_Term(" AND ".join(f"o.{column} {op} ?" for op, _ in bounds), [ms for _, ms in bounds]))
    for item in query["free"]:
        terms.append(_word_term(db, types, lab, item, "query_string", key=None, exact=None))
    return terms


def _key_term(
    backend: Store, db: sqlite3.Connection, types: tuple[str, ...], key: str, value: TermValue, lab: bool
) -> Term:
    """The condition of one ``key:value`` term: a column, ``notExists``, tags or a searchable field."""
    if isinstance(value, tuple):
        if key in COLUMNS or key == "notExists":
            value = " ".join(value)
        else:
            return _all_of([_key_term(backend, db, types, key, part, lab) for part in value])
    if key in COLUMNS:
        _check_column_value(key, value)
        return _Term(f"o.{COLUMNS[key]} = ?", [value])
    if key == "notExists":
        if value not in ("customerId", "parentId", "mediaType"):
            raise ValidationFailed(
                f"notExists takes customerId, parentId or mediaType, got {value!r}.", field="notExists"
            )
        return _Term(f"o.{COLUMNS[value]} IS NULL", [])
    if key == "tags":
        return _word_term(db, types, lab, value, "tags", key=search_index.TAGS_KEY, exact=False)
    field = dictionary.find_field(backend, key)
    if field is None:
        raise ValidationFailed(f"q: {key} is neither a search key nor a field.", field=key)
    if not search_index.searchable(field):
        raise ValidationFailed(f"q: field {key} is not searchable.", field=key)
    return _word_term(db, types, lab, value, key, key=key, exact=search_index.case_sensitive(field))


def _as_condition(term: Term) -> _Term:
    """A word term as a plain condition on ``o.pk``; other terms as they are."""
    if isinstance(term, search_index.WordTerm):
        sql, params = term.pks_sql()
        return _Term(f"o.pk IN ({sql})", params)
    return term


def _all_of(terms: Iterable[Term]) -> _Term:
    """One condition requiring every term (the words after one key)."""
    parts = [_as_condition(term) for term in terms]
    return _Term("(" + " AND ".join(p.sql for p in parts) + ")", [x for p in parts for x in p.params])


def _check_column_value(key: str, value: str) -> None:
    """``state`` and ``mediaType`` take one of their known values."""
    allowed = {"state": wire.STATES, "mediaType": wire.MEDIA_TYPES}.get(key)
    if allowed and value not in allowed:
        raise ValidationFailed(f"{key} must be one of {', '.join(allowed)}, got {value!r}.", field=key)


def _word_term(
    db: sqlite3.Connection,
    types: tuple[str, ...],
    lab: bool,
    text: str,
    name: str,
    key: str | None,
    exact: bool | None,
) -> Term:
    """Objects whose field ``key`` (any field when None) holds the words of ``text`` next to each other."""
    words = search_index.words(text)
    if not words:
        raise ValidationFailed(f"{name}: {text!r} has no words to search for.", field=name)
    if len(words) > MAX_PHRASE_WORDS:
        raise ValidationFailed(
            f"{name}: a phrase has at most {MAX_PHRASE_WORDS} words.", field=name, limit=MAX_PHRASE_WORDS
        )
    key_id = search_index.key_id(db, key) if key else None
    if key and key_id is None:
        return _Term("0", [])  # no object ever had a value for this key
    forms = [search_index.query_forms(word, exact) for word in words]
    return search_index.WordTerm(db, lab, types, forms, key_id)
