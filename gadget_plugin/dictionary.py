"""The org's field dictionary, read from Context Service and kept for a few seconds per process.

Fields an admin adds in Control Hub show up in the gadget within ``DICTIONARY_CACHE_SECONDS``.
"""
import threading
import time


class Dictionary:
    """Fields and fieldsets by id, refreshed from Context Service when older than ``ttl`` seconds."""

    def __init__(self, client, ttl):
        self.client = client
        self.ttl = ttl
        self._loaded_at = None
        self._fields = {}
        self._fieldsets = {}
        self._lock = threading.Lock()

    def _refresh(self):
        with self._lock:
            if self._loaded_at is None or time.monotonic() - self._loaded_at > self.ttl:
                fields = {f["id"]: f for f in self.client.fields()}
                fieldsets = {fs["id"]: fs for fs in self.client.fieldsets()}
                self._fields, self._fieldsets, self._loaded_at = fields, fieldsets, time.monotonic()
            return self._fields, self._fieldsets

    def reset(self):
        """Forget the cached dictionary."""
        with self._lock:
            self._loaded_at = None

    def field(self, field_id):
        """The wire field, or None."""
        return self._refresh()[0].get(field_id)

    def missing_fieldsets(self, fieldset_ids):
        """The ids among ``fieldset_ids`` the dictionary does not hold."""
        fieldsets = self._refresh()[1]
        return [fieldset_id for fieldset_id in fieldset_ids if fieldset_id not in fieldsets]

    def active_fields_of(self, fieldset_ids):
        """Ids of the active fields of these fieldsets, in fieldset order."""
        fieldsets = self._refresh()[1]
        ids = []
        for fieldset_id in fieldset_ids:
            fieldset = fieldsets.get(fieldset_id) or {}
            inactive = set(fieldset.get("inactiveFields") or [])
            ids.extend(f for f in fieldset.get("fields") or [] if f not in inactive and f not in ids)
        return ids

    def field_types(self):
        """``{field id: wire dataType}``."""
        return {field_id: field.get("dataType", "string") for field_id, field in self._refresh()[0].items()}

    def definitions(self, locale):
        """``{fields: {id: {label, dataType, classification, searchable, options}}, fieldsets: {id: {fields}}}``."""
        fields, fieldsets = self._refresh()
        return {
            "fields": {field_id: _definition(field, locale) for field_id, field in fields.items()},
            "fieldsets": {fs_id: {"fields": self.active_fields_of([fs_id])} for fs_id in fieldsets},
        }


def enum_options(field):
    """The active options of an enum field, or None for other fields."""
    definition = field.get("dataTypeDefinition") or {}
    if definition.get("type") != "enum":
        return None
    inactive = set(definition.get("inactiveEnumerations") or [])
    return [option for option in definition.get("enumerations") or [] if option not in inactive]


def _definition(field, locale):
    searchable = field.get("searchable", True)
    return {
        "label": localized(field.get("translations") or {}, locale) or field["id"],
        "dataType": field.get("dataType", "string"),
        "classification": field.get("classification"),
        "searchable": searchable if isinstance(searchable, bool) else str(searchable).lower() != "false",
        "options": enum_options(field),
    }


def localized(translations, locale):
    """The translation for ``locale`` (``hr``, ``hr-HR``, ``sr_Latn_RS``…): exact, then language, then en_US."""
    wanted = (locale or "").replace("-", "_")
    if wanted in translations:
        return translations[wanted]
    language = wanted.split("_")[0].lower()
    for key, text in translations.items():
        if language and key.split("_")[0].lower() == language:
            return text
    return translations.get("en_US") or next(iter(translations.values()), None)
