-- Organisation, Control Hub admins' sessions, registered components (Finesse), bearer tokens.
CREATE TABLE IF NOT EXISTS org (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    entitled INTEGER NOT NULL DEFAULT 1          -- contact-center-context entitlement on/off
);
CREATE TABLE IF NOT EXISTS registration (
    id TEXT PRIMARY KEY,                         -- cluster id shown under Resources
    name TEXT NOT NULL,                          -- hostname of the registered component
    app_type TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    state TEXT NOT NULL,                         -- REGISTERED | UNREGISTERED
    client_id TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    lab_client_id TEXT NOT NULL UNIQUE,
    lab_client_secret TEXT NOT NULL,
    created TEXT NOT NULL,
    last_seen TEXT
);
CREATE TABLE IF NOT EXISTS token (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                          -- bearer (GetBearerToken) | access | refresh | admin
    subject TEXT NOT NULL,                       -- machine account id or admin email
    registration_id TEXT,
    scopes TEXT NOT NULL,                        -- space separated
    expires_at REAL NOT NULL                     -- epoch seconds on the mock clock
);
-- Webex machine accounts (the identity Context Service connectors authenticate as) [CSU lib/machine-account.js].
CREATE TABLE IF NOT EXISTS machine_account (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    machine_type TEXT NOT NULL,
    password_salt TEXT NOT NULL,
    password_hash TEXT NOT NULL,                 -- PBKDF2-SHA256 of the password
    workgroups TEXT NOT NULL DEFAULT '',         -- space separated; set by POST /v1/user/authorize
    created TEXT NOT NULL
);
