"""The shapes of the mock Finesse's configured records, named once: the settings (``config.py`` checks them and
builds these), the agents, teams, reason codes, wrap-up reasons, media routing domains (MRDs) and phone books.

Keys keep the camelCase of the settings file (``firstName``, ``teamId``), which is also Finesse's XML names.
"""

from typing import Any, TypedDict

Settings = dict[str, Any]  # the app's settings (``load_config``): the keys of ``defaults.DEFAULTS``, checked
JsonObject = dict[str, Any]  # a JSON object in or out of the control API


class Team(TypedDict):
    """A configured team (``TEAMS``)."""

    id: str
    name: str


class AgentProfile(TypedDict):
    """A configured agent (``AGENTS``), completed by ``config.py`` (roles, loginName, locale, …)."""

    id: str
    password: str
    firstName: str
    lastName: str
    extension: str
    teamId: str
    roles: list[str]
    supervisedTeams: list[str]
    locale: str
    wrapUpOnIncoming: str
    loginName: str


class ReasonCode(TypedDict):
    """A NOT_READY or LOGOUT reason code (``REASON_CODES``)."""

    id: str
    category: str
    code: str
    label: str
    forAll: bool
    systemCode: bool


class WrapUpReason(TypedDict):
    """A wrap-up reason (``WRAP_UP_REASONS``)."""

    id: str
    label: str
    forAll: bool


class Mrd(TypedDict):
    """A media routing domain for chat or email (``MEDIA``)."""

    id: str
    name: str
    description: str
    maxDialogLimit: int


class Contact(TypedDict):
    """One entry of a phone book; ``id`` is its position, 1-based."""

    id: str
    firstName: str
    lastName: str
    phoneNumber: str
    description: str


class PhoneBook(TypedDict):
    """A GLOBAL or TEAM phone book (``PHONEBOOKS``, ``PUT /_mock/phonebooks/{id}``)."""

    id: str
    name: str
    type: str
    teamIds: list[str]
    contacts: list[Contact]


class MediaPropertiesLayout(TypedDict):
    """A media properties layout: ``(displayName, mediaProperty)`` entries in the header and in each column."""

    id: str
    name: str
    description: str
    type: str
    header: list[tuple[str, str]]
    columns: list[list[tuple[str, str]]]
