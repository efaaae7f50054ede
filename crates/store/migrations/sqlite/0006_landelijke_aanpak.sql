-- Landelijke aanpak: a national approach opened by the LIEC that links cases of several regions
-- (each with its owner's consent), with its own participants, actions and progress.
CREATE TABLE national_approaches (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- lopend | afgerond
    status TEXT NOT NULL DEFAULT 'lopend',
    progress TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- A case asked to join, and its owner's decision: gevraagd | akkoord | geweigerd (with reason).
CREATE TABLE national_approach_cases (
    approach_id INTEGER NOT NULL REFERENCES national_approaches(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    status TEXT NOT NULL DEFAULT 'gevraagd',
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (approach_id, case_id)
);
CREATE INDEX national_approach_cases_region ON national_approach_cases(region_id, approach_id);

-- Organisations taking part, with their part in the approach.
CREATE TABLE national_approach_participants (
    approach_id INTEGER NOT NULL REFERENCES national_approaches(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    part TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (approach_id, organisation_id)
);
CREATE INDEX national_approach_participants_org ON national_approach_participants(organisation_id, approach_id);

-- Agreed actions: open | gereed.
CREATE TABLE national_approach_actions (
    id INTEGER PRIMARY KEY,
    approach_id INTEGER NOT NULL REFERENCES national_approaches(id),
    title TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    done_by TEXT NOT NULL DEFAULT '',
    done_at BIGINT
);
CREATE INDEX national_approach_actions_approach ON national_approach_actions(approach_id, id);
