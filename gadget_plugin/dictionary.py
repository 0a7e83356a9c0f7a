"""The org's field dictionary, read from Context Service and kept for a few seconds per process.

Fields an admin adds in Control Hub show up in the gadget within ``DICTIONARY_CACHE_SECONDS``.
"""

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from . import budget
from .cs_client import ContextServiceClient
from .errors import GadgetError, UpstreamTimeout
from .shapes import Wire

FAILED_RETRY_SECONDS = 5.0  # a failed refresh is tried again after this, not on every request
STALE_GRACE_SECONDS = 0.25  # how long a request with an old copy in hand waits for the refresh before using it
# The dictionary as read: ``{field id: wire field}`` and ``{fieldset id: wire fieldset}``.
Held = tuple[dict[str, Wire], dict[str, Wire]]
Copy = tuple[float, dict[str, Wire], dict[str, Wire]]  # (loaded_at, fields, fieldsets)


class DictionaryState(TypedDict):
    """Whether the served dictionary is the last good copy, how old it is, and why a refresh failed."""

    loaded: bool
    stale: bool
    ageSeconds: float | None
    lastError: str | None


class FieldDefinition(TypedDict):
    """A field as the gadget shows it: label in the agent's locale, type, and the options of an enum."""

    label: str
    dataType: str
    classification: str | None
    searchable: bool
    options: list[str] | None


class FieldsetDefinition(TypedDict):
    """A fieldset's active fields, in order."""

    fields: list[str]


class Definitions(TypedDict):
    """``/api/v1/fields`` (without ``cacheSeconds``)."""

    fields: dict[str, FieldDefinition]
    fieldsets: dict[str, FieldsetDefinition]


class Dictionary:
    """Fields and fieldsets by id, refreshed from Context Service when older than ``ttl`` seconds.

    Refreshes are single-flight and never hold a lock while Context Service is called. With a copy in hand
    (even an old one) nobody waits long: one background thread fetches a new copy, the caller that started it
    waits for it at most ``STALE_GRACE_SECONDS``, everyone else uses the old one meanwhile, and a failed
    refresh keeps serving the last good copy (``state()`` says so). Only the very first load is waited for,
    each waiter at most until its request's budget is spent.
    """

    def __init__(self, client: ContextServiceClient, ttl: float, refresh_budget: float | None = None) -> None:
        self.client = client
        self.ttl = ttl
        self.refresh_budget = refresh_budget  # seconds a background refresh may take (None: the call timeouts)
        self._copy: Copy | None = None
        # (failed_at, error) of the last failed refresh, None after a good one
        self._error: tuple[float, GadgetError] | None = None
        self._loading: threading.Event | None = None  # the refresh in flight
        self._generation = 0  # bumped by reset(), so a refresh started before it cannot write an old copy
        self._lock = threading.Lock()

    def _refresh(self) -> Held:
        """``(fields, fieldsets)``: the copy in hand (renewed in the background when old), or the first load."""
        with self._lock:
            copy, failure = self._copy, self._recent_failure()
            if copy is not None and (self._fresh(copy) or failure):
                return copy[1], copy[2]
            if copy is None and failure:
                raise _again(failure)
            leader = self._loading is None
            loading = self._loading = self._loading or threading.Event()
            generation = self._generation
        if copy is not None:
            return self._renewed(copy, leader, loading, generation)
        return self._first_load(leader, loading, generation)

    def _renewed(self, copy: Copy, leader: bool, loading: threading.Event, generation: int) -> Held:
        """The old copy, or the new one when the refresh this caller starts comes within the short grace."""
        if not leader:  # a refresh is under way: the old copy, at once
            return copy[1], copy[2]
        threading.Thread(
            target=self._load_in_background, args=(loading, generation), daemon=True, name="dictionary-refresh"
        ).start()
        # A quick refresh is worth a short wait (an admin's new field shows on the next call); a slow one is not.
        # Only the caller that started it waits: the many look-ups of one request wait once, not each.
        loading.wait(_grace())
        with self._lock:
            copy = self._copy or copy
        return copy[1], copy[2]

    def _first_load(self, leader: bool, loading: threading.Event, generation: int) -> Held:
        """Load (the leader) or wait for the load (everyone else, within their budget); no copy to fall back on."""
        if leader:
            self._load(loading, generation)
        else:
            deadline = budget.current()
            if not loading.wait(deadline.remaining() if deadline else None) and deadline is not None:
                raise deadline.spent("the dictionary")  # without a deadline the wait only ends with the load
        with self._lock:
            if self._copy is not None:
                return self._copy[1], self._copy[2]
            if self._error:
                raise _again(self._error[1])
            raise UpstreamTimeout("Context Service's dictionary did not load.")

    def _fresh(self, copy: Copy) -> bool:
        return time.monotonic() - copy[0] <= self.ttl

    def _recent_failure(self) -> GadgetError | None:
        """The error of the last refresh when it failed within ``FAILED_RETRY_SECONDS``."""
        if self._error is not None and time.monotonic() - self._error[0] < FAILED_RETRY_SECONDS:
            return self._error[1]
        return None

    def _load_in_background(self, loading: threading.Event, generation: int) -> None:
        token = budget.start(self.refresh_budget) if self.refresh_budget else None
        try:
            self._load(loading, generation)
        finally:
            if token is not None:
                budget.finish(token)

    def _load(self, loading: threading.Event, generation: int) -> None:
        """Fetch fields and fieldsets (outside the lock) and keep them, or note the failure; wake the waiters."""
        try:
            fields = {f["id"]: f for f in self.client.fields()}
            fieldsets = {fs["id"]: fs for fs in self.client.fieldsets()}
            copy: Copy | None = (time.monotonic(), fields, fieldsets)
            error = None
        except GadgetError as exc:
            copy, error = None, (time.monotonic(), exc)
        with self._lock:
            if generation == self._generation:
                if copy is not None:
                    self._copy, self._error = copy, None
                else:
                    self._error = error
            if self._loading is loading:
                self._loading = None
        loading.set()

    def state(self) -> DictionaryState:
        """``{loaded, stale, ageSeconds, lastError}``: whether the served dictionary is the last good copy."""
        with self._lock:
            copy, error = self._copy, self._error
        return {
            "loaded": copy is not None,
            "stale": error is not None and copy is not None,
            "ageSeconds": round(time.monotonic() - copy[0], 1) if copy else None,
            "lastError": error[1].message if error else None,
        }

    def reset(self) -> None:
        """Forget the cached dictionary (the next use loads it again)."""
        with self._lock:
            self._copy, self._error, self._loading = None, None, None
            self._generation += 1

    def field(self, field_id: str) -> Wire | None:
        """The wire field, or None."""
        return self._refresh()[0].get(field_id)

    def missing_fieldsets(self, fieldset_ids: Iterable[str]) -> list[str]:
        """The ids among ``fieldset_ids`` the dictionary does not hold."""
        fieldsets = self._refresh()[1]
        return [fieldset_id for fieldset_id in fieldset_ids if fieldset_id not in fieldsets]

    def active_fields_of(self, fieldset_ids: Iterable[str]) -> list[str]:
        """Ids of the active fields of these fieldsets, in fieldset order."""
        fieldsets = self._refresh()[1]
        ids: list[str] = []
        for fieldset_id in fieldset_ids:
            fieldset = fieldsets.get(fieldset_id) or {}
            inactive = set(fieldset.get("inactiveFields") or [])
            ids.extend(f for f in fieldset.get("fields") or [] if f not in inactive and f not in ids)
        return ids

    def field_types(self) -> dict[str, str]:
        """``{field id: wire dataType}``."""
        return {field_id: field.get("dataType", "string") for field_id, field in self._refresh()[0].items()}

    def definitions(self, locale: str | None) -> Definitions:
        """``{fields: {id: {label, dataType, classification, searchable, options}}, fieldsets: {id: {fields}}}``."""
        fields, fieldsets = self._refresh()
        return {
            "fields": {field_id: _definition(field, locale) for field_id, field in fields.items()},
            "fieldsets": {fs_id: {"fields": self.active_fields_of([fs_id])} for fs_id in fieldsets},
        }


def _again(error: GadgetError) -> GadgetError:
    """A new error like a remembered one (callers add to messages; the remembered one stays as it was)."""
    return type(error)(error.message, **error.details)


def enum_options(field: Mapping[str, Any]) -> list[str] | None:
    """The active options of an enum field, or None for other fields."""
    definition = field.get("dataTypeDefinition") or {}
    if definition.get("type") != "enum":
        return None
    inactive = set(definition.get("inactiveEnumerations") or [])
    return [option for option in definition.get("enumerations") or [] if option not in inactive]


def _definition(field: Wire, locale: str | None) -> FieldDefinition:
    searchable = field.get("searchable", True)
    return {
        "label": localized(field.get("translations") or {}, locale) or field["id"],
        "dataType": field.get("dataType", "string"),
        "classification": field.get("classification"),
        "searchable": searchable if isinstance(searchable, bool) else str(searchable).lower() != "false",
        "options": enum_options(field),
    }


def localized(translations: Mapping[str, str], locale: str | None) -> str | None:
    """The translation for ``locale`` (``hr``, ``hr-HR``, ``sr_Latn_RS``…): exact, then language, then en_US."""
    wanted = (locale or "").replace("-", "_")
    if wanted in translations:
        return translations[wanted]
    language = wanted.split("_")[0].lower()
    for key, text in translations.items():
        if language and key.split("_")[0].lower() == language:
            return text
    return translations.get("en_US") or next(iter(translations.values()), None)


def _grace() -> float:
    """Seconds to wait for a refresh while holding an old copy: the grace, never past the request's budget."""
    deadline = budget.current()
    return max(0.0, min(STALE_GRACE_SECONDS, deadline.remaining())) if deadline else STALE_GRACE_SECONDS
