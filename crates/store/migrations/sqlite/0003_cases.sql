-- Case files: signals, pre-cases and cases of the RIECs with need-to-know per item.
-- Kept in lockstep with postgres/ (no booleans: flags are 0/1 integers on both).

CREATE TABLE legal_bases (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    partner_type TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE purposes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE intervention_types (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    carried_by TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    phase TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    municipality_id INTEGER NOT NULL REFERENCES municipalities(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    region_reason TEXT NOT NULL DEFAULT '',
    source_organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    created_by INTEGER REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    evaluation TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_region ON cases(region_id, updated_at);
CREATE INDEX cases_phase ON cases(phase);
CREATE INDEX cases_municipality ON cases(municipality_id);

CREATE TABLE case_phenomena (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    phenomenon_id INTEGER NOT NULL REFERENCES phenomena(id),
    PRIMARY KEY (case_id, phenomenon_id)
);
CREATE INDEX case_phenomena_p ON case_phenomena(phenomenon_id, case_id);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_phase TEXT NOT NULL DEFAULT '',
    to_phase TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, at);

CREATE TABLE case_participants (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    -- The case's region, kept here so a participant's cases of one region are one index range.
    region_id INTEGER NOT NULL REFERENCES regions(id),
    admitted_at BIGINT NOT NULL,
    admitted_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    removed_at BIGINT,
    removed_reason TEXT,
    PRIMARY KEY (case_id, organisation_id)
);
CREATE INDEX case_participants_org ON case_participants(organisation_id, region_id, case_id);
CREATE INDEX case_participants_active ON case_participants(organisation_id, region_id, case_id) WHERE removed_at IS NULL;

CREATE TABLE case_team (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    team_role TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id, team_role)
);
CREATE INDEX case_team_user ON case_team(user_id, case_id);

CREATE TABLE subjects (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- The case's region, kept with the subject so a case team's search is one index range.
    region_id INTEGER NOT NULL REFERENCES regions(id),
    kind TEXT NOT NULL,
    display_name TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    search_key TEXT NOT NULL,
    identifier TEXT NOT NULL DEFAULT '',
    first_names TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL DEFAULT '',
    surname TEXT NOT NULL DEFAULT '',
    birth_date TEXT NOT NULL DEFAULT '',
    bsn TEXT NOT NULL DEFAULT '',
    company_name TEXT NOT NULL DEFAULT '',
    legal_form TEXT NOT NULL DEFAULT '',
    kvk TEXT NOT NULL DEFAULT '',
    rsin TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    house_number TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    bag_id TEXT NOT NULL DEFAULT '',
    licence_plate TEXT NOT NULL DEFAULT '',
    iban TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_by_org INTEGER REFERENCES organisations(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
-- A participant's search starts from its cases; a case team's from its regions.
CREATE INDEX subjects_case_search ON subjects(case_id, search_key);
CREATE INDEX subjects_region_search ON subjects(region_id, search_key);
CREATE INDEX subjects_identifier ON subjects(identifier);

CREATE TABLE relations (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    from_subject_id INTEGER NOT NULL REFERENCES subjects(id),
    to_subject_id INTEGER NOT NULL REFERENCES subjects(id),
    kind TEXT NOT NULL,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_to TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX relations_case ON relations(case_id);

CREATE TABLE information_requests (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    questions TEXT NOT NULL,
    deadline TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX information_requests_case ON information_requests(case_id);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    supplier_organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    legal_basis_id INTEGER NOT NULL REFERENCES legal_bases(id),
    purpose_id INTEGER NOT NULL REFERENCES purposes(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    info_date TEXT NOT NULL,
    reliability TEXT NOT NULL,
    classification TEXT NOT NULL,
    sharing_conditions TEXT NOT NULL DEFAULT '',
    request_id INTEGER REFERENCES information_requests(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX items_case ON items(case_id);

CREATE TABLE item_releases (
    item_id INTEGER NOT NULL REFERENCES items(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    released_at BIGINT NOT NULL,
    released_by TEXT NOT NULL,
    basis TEXT NOT NULL,
    withdrawn_at BIGINT,
    withdrawn_by TEXT,
    PRIMARY KEY (item_id, organisation_id)
);
CREATE INDEX item_releases_org ON item_releases(organisation_id, item_id);

CREATE TABLE item_attachments (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX item_attachments_item ON item_attachments(item_id);

CREATE TABLE request_recipients (
    request_id INTEGER NOT NULL REFERENCES information_requests(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    status TEXT NOT NULL,
    answer_item_id INTEGER REFERENCES items(id),
    decline_reason TEXT NOT NULL DEFAULT '',
    answered_at BIGINT,
    PRIMARY KEY (request_id, organisation_id)
);
CREATE INDEX request_recipients_org ON request_recipients(organisation_id, status);

CREATE TABLE advice_versions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number BIGINT NOT NULL,
    findings TEXT NOT NULL,
    proposals TEXT NOT NULL,
    status TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    approved_by TEXT,
    approved_at BIGINT,
    UNIQUE (case_id, number)
);

CREATE TABLE interventions (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    type_id INTEGER NOT NULL REFERENCES intervention_types(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    legal_power TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL DEFAULT '',
    collected_cents BIGINT,
    offset_cents BIGINT,
    seized_cents BIGINT,
    decision_date TEXT NOT NULL DEFAULT '',
    completed_date TEXT NOT NULL DEFAULT '',
    stop_reason TEXT NOT NULL DEFAULT '',
    escalated_at BIGINT,
    escalation_reason TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX interventions_case ON interventions(case_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    held_on TEXT NOT NULL,
    attendees TEXT NOT NULL,
    agenda TEXT NOT NULL,
    decisions TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meetings_case ON meetings(case_id);

CREATE TABLE meeting_interventions (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    intervention_id INTEGER NOT NULL REFERENCES interventions(id),
    PRIMARY KEY (meeting_id, intervention_id)
);
