-- Cross-region detection: blocking keys per subject, the queue of subjects to match, hits
-- between subjects of different regions (treffers), and cases linked after both sides agreed.

-- The blocking keys of every subject, so a new subject finds its candidates in other regions
-- with one index range per key.
CREATE TABLE subject_match_keys (
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    match_key TEXT NOT NULL,
    PRIMARY KEY (subject_id, match_key)
);
CREATE INDEX subject_match_keys_key ON subject_match_keys(match_key, region_id);

-- New or changed subjects waiting for the background matcher.
CREATE TABLE match_queue (
    subject_id INTEGER PRIMARY KEY REFERENCES subjects(id),
    queued_at BIGINT NOT NULL
);

-- The Fellegi-Sunter parameters last estimated by `knooppunt match --all` (EM).
CREATE TABLE match_models (
    id INTEGER PRIMARY KEY,
    parameters TEXT NOT NULL,
    pairs BIGINT NOT NULL,
    estimated_at BIGINT NOT NULL
);

-- A hit between two subjects of cases in different regions. Side a is the lower subject id.
CREATE TABLE treffers (
    id INTEGER PRIMARY KEY,
    subject_a INTEGER NOT NULL REFERENCES subjects(id),
    subject_b INTEGER NOT NULL REFERENCES subjects(id),
    case_a INTEGER NOT NULL REFERENCES cases(id),
    case_b INTEGER NOT NULL REFERENCES cases(id),
    region_a INTEGER NOT NULL REFERENCES regions(id),
    region_b INTEGER NOT NULL REFERENCES regions(id),
    -- Match probability in permille.
    strength BIGINT NOT NULL,
    -- Identifier kind of a deterministic match, or empty.
    deterministic TEXT NOT NULL DEFAULT '',
    -- field:level:weight(centibits);... — which fields agreed, never their values.
    evidence TEXT NOT NULL,
    -- open | bevestigd | onjuist; a rejected hit stays rejected when matching runs again.
    status TEXT NOT NULL DEFAULT 'open',
    status_by TEXT NOT NULL DEFAULT '',
    status_note TEXT NOT NULL DEFAULT '',
    -- Each side's consent to share: '' | akkoord | geweigerd, with the reason of a refusal.
    share_a TEXT NOT NULL DEFAULT '',
    share_b TEXT NOT NULL DEFAULT '',
    reason_a TEXT NOT NULL DEFAULT '',
    reason_b TEXT NOT NULL DEFAULT '',
    shared_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (subject_a, subject_b)
);
CREATE INDEX treffers_region_a ON treffers(region_a, id);
CREATE INDEX treffers_region_b ON treffers(region_b, id);

-- Cases linked because both owners agreed to share after a hit. case_a < case_b.
CREATE TABLE case_links (
    case_a INTEGER NOT NULL REFERENCES cases(id),
    case_b INTEGER NOT NULL REFERENCES cases(id),
    treffer_id INTEGER REFERENCES treffers(id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (case_a, case_b)
);
CREATE INDEX case_links_b ON case_links(case_b, case_a);
