"""The inverted index behind object search: words of searchable data elements and tags, per partition.

Matching follows Context Service: whole words only; punctuation separates words; UNENCRYPTED fields and
tags match case-insensitively (the index keeps the casefolded word); ENCRYPTED and PII fields match only
the exact, case-sensitive word (the index keeps ``"=" + word``, a form no casefolded word can take).
"""

import re
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..shapes import Wire

WORD = re.compile(r"[^\W_]+")
EXACT_MARK = "="
TAGS_KEY = "tags"
# Position gap between two tags, so that a quoted phrase never spans two tags.
TAG_GAP = 1
# (search key name, index form of a word, position of the word in its value)
Entry = tuple[str, str, int]


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters and digits (anything else separates words)."""
    return WORD.findall(text)


def case_sensitive(field: Wire) -> bool:
    """True when the field's values match only exactly (ENCRYPTED and PII classifications)."""
    return field.get("classification") != "UNENCRYPTED"


def searchable(field: Wire) -> bool:
    """The dictionary's ``searchable`` (absent means searchable; the wire may send "false")."""
    value = field.get("searchable", True)
    return str(value).lower() != "false"


def index_form(word: str, exact: bool) -> str:
    """The form a word takes in the index: exact (marked) or casefolded."""
    return EXACT_MARK + word if exact else word.casefold()


def query_forms(word: str, exact: bool | None = None) -> list[str]:
    """Index forms a query word can match: ``exact`` True/False for a known field, None for any field."""
    if exact is None:
        return sorted({index_form(word, True), index_form(word, False)})
    return [index_form(word, exact)]


def entries_for(fields_by_id: Mapping[str, Wire], data_elements: Mapping[str, Any], tags: Iterable[str]) -> list[Entry]:
    """``(key name, token, pos)`` for every indexed word of an object's elements (``{fieldId: value}``) and tags."""
    entries: list[Entry] = []
    for field_id, value in data_elements.items():
        field = fields_by_id[field_id]
        if not searchable(field):
            continue
        exact = case_sensitive(field)
        text = str(value).lower() if isinstance(value, bool) else str(value)
        entries.extend((field_id, index_form(word, exact), pos) for pos, word in enumerate(words(text)))
    pos = 0
    for tag in tags:
        for word in words(tag):
            entries.append((TAGS_KEY, index_form(word, False), pos))
            pos += 1
        pos += TAG_GAP
    return entries


def key_id(db: sqlite3.Connection, name: str, create: bool = False) -> int | None:
    """The interned id of a search key (field id or ``tags``); None when unknown and not ``create``."""
    row = db.execute("SELECT id FROM cs_search_key WHERE name = ?", (name,)).fetchone()
    if row is not None or not create:
        return row[0] if row else None
    return db.execute("INSERT INTO cs_search_key (name) VALUES (?)", (name,)).lastrowid


def index_object(db: sqlite3.Connection, pk: int, lab: int, obj_type: str, entries: Iterable[Entry]) -> None:
    """Replace the index rows of object ``pk`` with ``entries`` (from ``entries_for``)."""
    db.execute("DELETE FROM cs_token WHERE obj = ?", (pk,))
    keys = {name: key_id(db, name, create=True) for name in {e[0] for e in entries}}
    db.executemany(
        "INSERT OR IGNORE INTO cs_token (lab, type, token, key, obj, pos) VALUES (?, ?, ?, ?, ?, ?)",
        [(lab, obj_type, token, keys[name], pk, pos) for name, token, pos in entries],
    )


FREQUENCY_CAP = 1000


class WordTerm:
    """Objects whose field (any field when ``key_id`` is None) holds consecutive words; ``forms`` lists the
    index forms each word may take. Lookups start from the rarest word, so common words cost little."""

    def __init__(
        self, db: sqlite3.Connection, lab: bool | int, types: Iterable[str], forms: list[list[str]], key_id: int | None
    ) -> None:
        self.lab, self.types, self.forms, self.key_id = int(lab), tuple(types), forms, key_id
        self.frequencies = [self._frequency(db, i) for i in range(len(forms))]

    @property
    def estimate(self) -> int:
        """How many index rows the rarest word has (counted up to FREQUENCY_CAP)."""
        return min(self.frequencies)

    def pks_sql(self) -> tuple[str, list[Any]]:
        """``(sql, params)``: SELECT of the matching object pks, driven by the rarest word."""
        anchor = self.frequencies.index(self.estimate)
        return self._select(anchor, f"cs_token t{anchor}", [])

    def exists_sql(self, outer: str = "o") -> tuple[str, list[Any]]:
        """``(sql, params)``: EXISTS test for the object row ``outer`` through the per-object index."""
        sql, params = self._select(0, "cs_token t0 INDEXED BY cs_token_obj", [f"t0.obj = {outer}.pk"])
        return f"EXISTS ({sql})", params

    def _select(self, anchor: int, anchor_table: str, extra: Sequence[str]) -> tuple[str, list[Any]]:
        """``(sql, params)``: SELECT of the objects whose words match, word ``anchor`` read from ``anchor_table``."""
        tables, conditions, params = [anchor_table], list(extra), list[Any]()
        self._word_conditions(f"t{anchor}", anchor, conditions, params)
        for i in range(len(self.forms)):
            if i == anchor:
                continue
            tables.append(f"cs_token t{i}")
            conditions.append(
                f"t{i}.lab = t{anchor}.lab AND t{i}.type = t{anchor}.type AND t{i}.key = t{anchor}.key "
                f"AND t{i}.obj = t{anchor}.obj AND t{i}.pos = t{anchor}.pos + {i - anchor}"
            )
            conditions.append(f"t{i}.token IN ({', '.join('?' * len(self.forms[i]))})")
            params.extend(self.forms[i])
        # CROSS JOIN keeps the anchor as the outer loop (SQLite does not reorder it).
        return f"SELECT t{anchor}.obj FROM {' CROSS JOIN '.join(tables)} WHERE {' AND '.join(conditions)}", params

    def _word_conditions(self, alias: str, i: int, conditions: list[str], params: list[Any]) -> None:
        conditions.append(
            f"{alias}.lab = ? AND {alias}.type IN ({', '.join('?' * len(self.types))}) "
            f"AND {alias}.token IN ({', '.join('?' * len(self.forms[i]))})"
        )
        params.extend([self.lab, *self.types, *self.forms[i]])
        if self.key_id is not None:
            conditions.append(f"{alias}.key = ?")
            params.append(self.key_id)

    def _frequency(self, db: sqlite3.Connection, i: int) -> int:
        """Index rows of word ``i`` (counted up to FREQUENCY_CAP)."""
        conditions: list[str] = []
        params: list[Any] = []
        self._word_conditions("t", i, conditions, params)
        return db.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM cs_token t WHERE {' AND '.join(conditions)} LIMIT {FREQUENCY_CAP})",
            params,
        ).fetchone()[0]
