-- The national desk for administrative signals (Landelijk Loket Bestuurlijke Signalen).
-- Kept in lockstep with postgres/.

CREATE TABLE ministries (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE phenomena (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE policy_signals (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    legal_process TEXT NOT NULL,
    weakness TEXT NOT NULL,
    structural TEXT NOT NULL,
    modus_operandi TEXT NOT NULL,
    source_reference TEXT NOT NULL,
    recommendations TEXT NOT NULL,
    feasibility TEXT NOT NULL,
    confidentiality TEXT NOT NULL,
    contact TEXT NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    created_by INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    decided_at BIGINT,
    decision_reason TEXT,
    merged_into_id INTEGER REFERENCES policy_signals(id),
    personal_data_confirmed INTEGER NOT NULL DEFAULT 0,
    offered_at BIGINT,
    letter TEXT,
    response_due_at BIGINT,
    response_at BIGINT,
    response TEXT,
    closed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX policy_signals_org ON policy_signals(organisation_id);
CREATE INDEX policy_signals_state ON policy_signals(state);

CREATE TABLE policy_signal_ministries (
    signal_id INTEGER NOT NULL REFERENCES policy_signals(id),
    ministry_id INTEGER NOT NULL REFERENCES ministries(id),
    kind TEXT NOT NULL,
    PRIMARY KEY (signal_id, ministry_id, kind)
);

CREATE TABLE policy_signal_phenomena (
    signal_id INTEGER NOT NULL REFERENCES policy_signals(id),
    phenomenon_id INTEGER NOT NULL REFERENCES phenomena(id),
    PRIMARY KEY (signal_id, phenomenon_id)
);

CREATE TABLE policy_signal_messages (
    id INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL REFERENCES policy_signals(id),
    author TEXT NOT NULL,
    from_desk INTEGER NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX policy_signal_messages_signal ON policy_signal_messages(signal_id, at);

CREATE TABLE policy_signal_events (
    id INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL REFERENCES policy_signals(id),
    step TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX policy_signal_events_signal ON policy_signal_events(signal_id, at);

CREATE TABLE policy_signal_attachments (
    id INTEGER PRIMARY KEY,
    signal_id INTEGER NOT NULL REFERENCES policy_signals(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX policy_signal_attachments_signal ON policy_signal_attachments(signal_id);
