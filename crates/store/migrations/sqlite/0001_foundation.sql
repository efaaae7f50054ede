-- Foundation: the network, accounts, sessions, API tokens, audit chain and processing log.
-- Timestamps are milliseconds since the Unix epoch (UTC). Kept in lockstep with postgres/.

CREATE TABLE regions (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES regions(id),
    merged_into_id INTEGER REFERENCES regions(id),
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE region_events (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES regions(id),
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    actor TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX region_events_region ON region_events(region_id, at);

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    cbs_code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    province TEXT NOT NULL,
    region_id INTEGER NOT NULL REFERENCES regions(id)
);
CREATE INDEX municipalities_region ON municipalities(region_id);

CREATE TABLE municipality_regions (
    id INTEGER PRIMARY KEY,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    valid_from BIGINT NOT NULL,
    valid_to BIGINT
);
CREATE INDEX municipality_regions_m ON municipality_regions(municipality_id, valid_from);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    partner_type TEXT NOT NULL,
    municipality_id INTEGER UNIQUE REFERENCES municipalities(id),
    home_region_id INTEGER REFERENCES regions(id),
    national INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    password_hash TEXT NOT NULL,
    totp_secret TEXT,
    totp_last_step BIGINT,
    active INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    demo INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_organisation ON users(organisation_id);

CREATE TABLE user_roles (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    region_id INTEGER REFERENCES regions(id),
    granted_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_roles_unique ON user_roles(user_id, role, COALESCE(region_id, 0));

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    second_factor TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    source TEXT NOT NULL,
    success INTEGER NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at);
CREATE INDEX login_attempts_source ON login_attempts(source, at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    last_used_at BIGINT
);

CREATE TABLE api_token_roles (
    id INTEGER PRIMARY KEY,
    token_id INTEGER NOT NULL REFERENCES api_tokens(id),
    role TEXT NOT NULL,
    region_id INTEGER REFERENCES regions(id)
);

-- The audit chain: audit_head holds the sequence number and hash of the newest row; every
-- writer updates it first, which serialises writers so the chain cannot fork.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT,
    organisation_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    result TEXT NOT NULL,
    source TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE processing_activities (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    retention TEXT NOT NULL
);

CREATE TABLE processing_log (
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT,
    activity_code TEXT NOT NULL REFERENCES processing_activities(code),
    subject_type TEXT NOT NULL,
    subject_pseudonym TEXT NOT NULL,
    status TEXT NOT NULL,
    actor TEXT NOT NULL,
    organisation_id BIGINT,
    at BIGINT NOT NULL
);
CREATE INDEX processing_log_subject ON processing_log(subject_pseudonym, at);
CREATE INDEX processing_log_trace ON processing_log(trace_id);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
