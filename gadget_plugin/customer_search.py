"""Customer search that finds what the agent types, whatever the capitals.

Context Service matches PII and encrypted fields (names, phones, emails, address) only as exact,
case-sensitive words (docs/gadget-plugin.md#search), while Cisco's agent help promises case-insensitive
search. The proxy therefore sends one OR query holding the usual case variants (as typed, lower, UPPER,
Capitalized) of the agent's longest word or quoted phrase, the one most likely to be rare; it keeps the
customers that also hold every other word in some searchable field, compared case-insensitively (so several
words still narrow the search, as Cisco's AND does), and ranks them: words matched with the capitals as typed
first, then matches in the name, then the newest. Only when that word is so common that Context Service's
200-object window is full are the words also searched together, once per capitalization style, in parallel.
Diacritics are not guessed: "Kovacic" does not find "Kovačić".
"""

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal, TypedDict

from . import shapes, store
from .backend import Backend
from .errors import ValidationFailed
from .shapes import Shaped, Wire
from .validation import TEXT_LIMIT, text

# Context Service returns at most 200 full objects per search (reference §2.4): the window the proxy ranks.
CANDIDATES = 200
MAX_ITEMS = 10
NAME_FIELDS = ("Context_First_Name", "Context_Last_Name")
WORD = re.compile(r"[^\W_]+")
ITEM = re.compile(r'"([^"]*)"|([^\s"]+)')
# How an item matched a customer: with the capitals as typed ("exact") or only ignoring case, and in which fields.
Match = tuple[Literal["exact", "folded"], set[str]]


class Found(TypedDict):
    """``/api/v1/customers/search``: a page of customers, the ranked matches counted, whether more may follow."""

    customers: list[Shaped]
    totalHits: int
    more: bool


def search(backend: Backend, query: object, start: int, max_entries: int) -> Found:
    """``{customers, totalHits, more}``: customers holding every word of ``query`` in any capitals, best first;
    ``totalHits`` counts the ranked matches, ``more`` says more may follow this page (Context Service answers no
    total: a full window of candidates counts as "maybe more")."""
    items = parse(text(query, "q", required=True, limit=TEXT_LIMIT))
    driver = max(items, key=len)
    found, more = store.search(
        backend, "customer", text=variant_query([driver]), operation="or", max_entries=CANDIDATES
    )
    if len(items) > 1 and len(found) >= CANDIDATES:
        # A customer holding all the words may lie beyond the window of newest candidates.
        searches = [
            lambda words=words: store.search(
                backend, "customer", text=" ".join(map(_quoted, words)), max_entries=CANDIDATES
            )[0]
            for words in styled(items)
        ]
        for together in backend.parallel(*searches):
            found = _merged(found, together)
    matches = ranked(items, found, _searchable(backend))
    return {
        "customers": [shapes.customer(wire) for wire in matches[start : start + max_entries]],
        "totalHits": len(matches),
        "more": more or start + max_entries < len(matches),
    }


def parse(query: str) -> list[str]:
    """The words and "quoted phrases" of ``query`` that hold at least one word; ValidationFailed naming ``q``."""
    if query.count('"') % 2:
        raise ValidationFailed("q has an unbalanced double quote.", field="q")
    items = [" ".join(WORD.findall(phrase or word)) for phrase, word in ITEM.findall(query)]
    items = list(dict.fromkeys(item for item in items if item))
    if not items:
        raise ValidationFailed("q has no letters or digits to search for.", field="q")
    if len(items) > MAX_ITEMS:
        raise ValidationFailed(
            f"q takes at most {MAX_ITEMS} words or quoted phrases (got {len(items)}).", field="q", limit=MAX_ITEMS
        )
    return items


def capitalized(item: str) -> str:
    """Each word of ``item`` with a capital first letter and the rest lower case ("ana-MARIJA" -> "Ana-Marija")."""
    return WORD.sub(lambda m: m[0][:1].upper() + m[0][1:].lower(), item)


STYLES: tuple[Callable[[str], str], ...] = (str, str.lower, str.upper, capitalized)


def variants(item: str) -> list[str]:
    """The item as typed, lower, UPPER and Capitalized (each word), without repeats."""
    return list(dict.fromkeys(style(item) for style in STYLES))


def styled(items: Sequence[str]) -> list[list[str]]:
    """The items written in each capitalization style, one list per style, without repeats."""
    return [list(words) for words in dict.fromkeys(tuple(style(item) for item in items) for style in STYLES)]


def variant_query(items: Sequence[str]) -> str:
    """The ``query_string`` of an OR search for every variant of every item, phrases quoted."""
    return " ".join(_quoted(variant) for item in items for variant in variants(item))


def ranked(items: Sequence[str], found: Sequence[Wire], searchable: Collection[str]) -> list[Wire]:
    """The customers of ``found`` (newest first) that hold every item in a ``searchable`` field, best first."""
    scored: list[tuple[int, int, int, Wire]] = []
    for position, wire in enumerate(found):
        values = {key: value for key, value in shapes.fields_of(wire).items() if key in searchable}
        values["tags"] = " ".join(wire.get("tags") or [])
        matched = [match for match in (_match(item, values) for item in items) if match]
        if len(matched) == len(items):
            exact = sum(kind == "exact" for kind, _ in matched)
            in_name = sum(bool(fields & set(NAME_FIELDS)) for _, fields in matched)
            scored.append((-exact, -in_name, position, wire))
    return [wire for *_, wire in sorted(scored, key=lambda row: row[:3])]


def _match(item: str, values: Mapping[str, Any]) -> Match | None:
    """``(kind, fields)``: "exact" when some field holds the item with its capitals, else "folded"; None."""
    wanted = WORD.findall(item)
    exact = {key for key, value in values.items() if _holds(WORD.findall(str(value)), wanted)}
    if exact:
        return "exact", exact
    folded = [word.casefold() for word in wanted]
    fields = {
        key for key, value in values.items() if _holds([word.casefold() for word in WORD.findall(str(value))], folded)
    }
    return ("folded", fields) if fields else None


def _holds(words: Sequence[str], wanted: Sequence[str]) -> bool:
    """True when ``wanted`` occurs in ``words`` as consecutive words."""
    size = len(wanted)
    return any(words[i : i + size] == wanted for i in range(len(words) - size + 1))


def _searchable(backend: Backend) -> set[str]:
    """Ids of the dictionary's searchable fields."""
    return {
        field_id for field_id, field in backend.dictionary.definitions(None)["fields"].items() if field["searchable"]
    }


def _merged(first: list[Wire], second: list[Wire]) -> list[Wire]:
    """``first`` then the objects of ``second`` it does not hold (by id)."""
    seen = {wire["id"] for wire in first}
    return first + [wire for wire in second if wire["id"] not in seen]


def _quoted(item: str) -> str:
    return f'"{item}"' if " " in item else item
