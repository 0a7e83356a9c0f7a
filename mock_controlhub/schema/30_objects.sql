-- Context Service objects (customers, requests, activities, details) and their search index.
CREATE TABLE IF NOT EXISTS cs_object (
    pk INTEGER PRIMARY KEY,                      -- internal row id; the search index points here
    id TEXT NOT NULL UNIQUE,                     -- UUID on the wire
    lab INTEGER NOT NULL,                        -- partition: 1 = lab mode, 0 = production
    type TEXT NOT NULL,                          -- customer | request | activity | detail.comment | detail.feedback
    customer_id TEXT,
    parent_id TEXT,
    media_type TEXT,
    state TEXT NOT NULL,                         -- active | closed
    created_ms INTEGER NOT NULL,                 -- epoch milliseconds on the mock clock
    last_updated_ms INTEGER NOT NULL,
    close_at_ms INTEGER,                         -- requests: auto-close moment (5 days after last activity)
    doc TEXT NOT NULL                            -- JSON: fieldsets, dataElements, tags, contributors
);
CREATE INDEX IF NOT EXISTS cs_object_customer ON cs_object (customer_id, lab, type);
CREATE INDEX IF NOT EXISTS cs_object_parent ON cs_object (parent_id, lab, type);
CREATE INDEX IF NOT EXISTS cs_object_close_due ON cs_object (close_at_ms)
    WHERE type = 'request' AND state = 'active';

-- Which fieldsets each object uses (a fieldset referenced here is "in use").
CREATE TABLE IF NOT EXISTS cs_object_fieldset (
    obj INTEGER NOT NULL REFERENCES cs_object (pk) ON DELETE CASCADE,
    fieldset_id TEXT NOT NULL,
    PRIMARY KEY (obj, fieldset_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cs_object_fieldset_by_fieldset ON cs_object_fieldset (fieldset_id);

-- Inverted index: one row per word occurrence in a searchable data element or tag.
-- Keys (field ids and "tags") are interned to keep the index small at a million customers.
CREATE TABLE IF NOT EXISTS cs_search_key (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS cs_token (
    lab INTEGER NOT NULL,
    type TEXT NOT NULL,
    token TEXT NOT NULL,                         -- casefolded word, or "=" + exact word (ENCRYPTED/PII)
    key INTEGER NOT NULL,                        -- cs_search_key.id
    obj INTEGER NOT NULL REFERENCES cs_object (pk) ON DELETE CASCADE,
    pos INTEGER NOT NULL,                        -- word position in the value (phrases are consecutive)
    PRIMARY KEY (lab, type, token, key, obj, pos)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS cs_token_obj ON cs_token (obj);
