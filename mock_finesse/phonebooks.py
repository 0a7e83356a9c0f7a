"""Phone books and their contacts: validation of the ``PHONEBOOKS`` setting and of ``PUT /_mock/phonebooks``.

Finesse's limits (developer.cisco.com/docs/finesse/phonebook, …/contact, …/contact-api-parameters): a book is
GLOBAL (every agent) or TEAM (the teams it is assigned to), at most 10 global and 300 team books, 6000
contacts a book; firstName, lastName and description up to 128 characters, phoneNumber up to 32. Each problem
is a ``ValueError`` naming the field (``contacts[3].phoneNumber``); callers add where the book came from.
"""

from collections.abc import Container, Iterable, Sequence
from typing import Any

from .records import Contact, PhoneBook

TYPES = ("GLOBAL", "TEAM")
MAX_GLOBAL_BOOKS = 10
MAX_TEAM_BOOKS = 300
MAX_CONTACTS = 6000
NAME_MAX = 128
CONTACT_LIMITS = {"firstName": 128, "lastName": 128, "phoneNumber": 32, "description": 128}


def _text(entry: dict[str, Any], name: str, limit: int, required: bool) -> str:
    value = entry.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ValueError(f"{name} must be text")
    value = str(value).strip()
    if required and not value:
        raise ValueError(f"{name} is required")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value


def validate_contact(entry: object, index: int) -> Contact:
    """A contact ``{firstName, lastName, phoneNumber, description}`` (phoneNumber required); its id is its
    1-based position."""
    if not isinstance(entry, dict):
        raise ValueError(f"contacts[{index}] must be an object")
    try:
        text = {name: _text(entry, name, limit, name == "phoneNumber") for name, limit in CONTACT_LIMITS.items()}
    except ValueError as exc:
        raise ValueError(f"contacts[{index}].{exc}") from None
    return Contact(
        firstName=text["firstName"],
        lastName=text["lastName"],
        phoneNumber=text["phoneNumber"],
        description=text["description"],
        id=str(index + 1),
    )


def validate_phonebook(entry: object, team_ids: Container[str]) -> PhoneBook:
    """A phone book ``{id, name, type, teamIds, contacts}``: contacts get ids 1, 2, … in order."""
    if not isinstance(entry, dict):
        raise ValueError("must be an object")
    book_id = _text(entry, "id", 32, True)
    name = _text(entry, "name", NAME_MAX, True)
    book_type = _text(entry, "type", 16, False).upper() or "GLOBAL"
    if not book_id.isdigit():
        raise ValueError(f"id must be digits (it is part of /finesse/api/PhoneBook/{{id}}), got {book_id!r}")
    if book_type not in TYPES:
        raise ValueError(f"type must be GLOBAL or TEAM, got {book_type!r}")
    teams = [str(t) for t in entry.get("teamIds") or []]
    unknown = [t for t in teams if t not in team_ids]
    if unknown:
        raise ValueError(f"teamIds: {unknown[0]!r} is not a configured team")
    if book_type == "GLOBAL" and teams:
        raise ValueError("teamIds apply to TEAM phone books only")
    contacts = entry.get("contacts") or []
    if not isinstance(contacts, list):
        raise ValueError("contacts must be a list")
    if len(contacts) > MAX_CONTACTS:
        raise ValueError(f"contacts: a phone book holds at most {MAX_CONTACTS} contacts, got {len(contacts)}")
    return PhoneBook(
        id=book_id,
        name=name,
        type=book_type,
        teamIds=teams,
        contacts=[validate_contact(c, i) for i, c in enumerate(contacts)],
    )


def check_counts(books: Sequence[PhoneBook]) -> None:
    """At most 10 GLOBAL and 300 TEAM phone books, ids unique; the message names the limit."""
    ids = [b["id"] for b in books]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise ValueError(f"phone book id {duplicate!r} is used twice")
    for kind, limit in (("GLOBAL", MAX_GLOBAL_BOOKS), ("TEAM", MAX_TEAM_BOOKS)):
        count = sum(1 for b in books if b["type"] == kind)
        if count > limit:
            raise ValueError(f"at most {limit} {kind} phone books, got {count}")


def books_of(books: Iterable[PhoneBook], team_id: str) -> list[PhoneBook]:
    """The phone books an agent of ``team_id`` sees: every GLOBAL one and the TEAM ones assigned to the team."""
    return [b for b in books if b["type"] == "GLOBAL" or str(team_id) in b["teamIds"]]
