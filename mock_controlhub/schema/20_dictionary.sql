-- The org's dictionary: fields and fieldsets (Cisco base items and the admin's custom ones).
CREATE TABLE IF NOT EXISTS dict_field (
    id TEXT PRIMARY KEY,                         -- field id, immutable
    base INTEGER NOT NULL DEFAULT 0,             -- 1 for cisco base fields (read-only)
    doc TEXT NOT NULL,                           -- wire-shaped JSON without refUrl (dictionary.py builds it)
    last_updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dict_fieldset (
    id TEXT PRIMARY KEY,                         -- fieldset id, immutable
    base INTEGER NOT NULL DEFAULT 0,
    doc TEXT NOT NULL,                           -- wire-shaped JSON: description, fields, inactiveFields, ...
    last_updated TEXT NOT NULL
);
-- Membership (active or inactive) of a field in a fieldset: a field with any row here is "in use".
CREATE TABLE IF NOT EXISTS dict_fieldset_member (
    fieldset_id TEXT NOT NULL REFERENCES dict_fieldset(id) ON DELETE CASCADE,
    field_id TEXT NOT NULL REFERENCES dict_field(id),
    PRIMARY KEY (fieldset_id, field_id)
);
CREATE INDEX IF NOT EXISTS dict_fieldset_member_field ON dict_fieldset_member (field_id);
