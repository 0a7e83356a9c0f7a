-- Which registered component (its registration id) created objects with which fieldset: Control Hub's fieldset
-- panel names the components using a fieldset (a mock addition, inferred; Cisco's panel shows only in use / not).
CREATE TABLE IF NOT EXISTS cs_fieldset_component (
    fieldset_id TEXT NOT NULL,
    registration_id TEXT NOT NULL,
    PRIMARY KEY (fieldset_id, registration_id)
) WITHOUT ROWID;
