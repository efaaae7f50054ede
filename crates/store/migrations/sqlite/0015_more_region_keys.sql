-- knooppunt: rebuilds tables
-- The other denormalised regions held to their source, as 0013 did for subjects and
-- participants: a subject's blocking keys and its encoding carry the subject's region, a case's
-- place in a national approach its case's region; a region merge carries them along
-- (ON UPDATE CASCADE). SQLite rebuilds the three tables (foreign keys off for this step; the
-- check at the end fails the step, and rolls it back, if any key does not hold).
CREATE UNIQUE INDEX subjects_id_region ON subjects(id, region_id);

CREATE TABLE subject_match_keys_rebuilt (
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    match_key TEXT NOT NULL,
    PRIMARY KEY (subject_id, match_key),
    FOREIGN KEY (subject_id, region_id) REFERENCES subjects(id, region_id) ON UPDATE CASCADE
);
INSERT INTO subject_match_keys_rebuilt SELECT * FROM subject_match_keys;
DROP TABLE subject_match_keys;
ALTER TABLE subject_match_keys_rebuilt RENAME TO subject_match_keys;
CREATE INDEX subject_match_keys_key ON subject_match_keys(match_key, region_id);

CREATE TABLE subject_encodings_rebuilt (
    subject_id INTEGER PRIMARY KEY REFERENCES subjects(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- persoon | rechtspersoon | overig
    kind TEXT NOT NULL,
    -- Record-level filter (base64), field filters (base64), identifier hashes (kind:hash;...).
    clk TEXT NOT NULL,
    fields TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    -- The check value of the secret the encoding was made with (see knooppunt encode).
    secret_check TEXT NOT NULL,
    FOREIGN KEY (subject_id, region_id) REFERENCES subjects(id, region_id) ON UPDATE CASCADE
);
INSERT INTO subject_encodings_rebuilt SELECT * FROM subject_encodings;
DROP TABLE subject_encodings;
ALTER TABLE subject_encodings_rebuilt RENAME TO subject_encodings;
CREATE INDEX subject_encodings_region ON subject_encodings(region_id);

CREATE TABLE national_approach_cases_rebuilt (
    approach_id INTEGER NOT NULL REFERENCES national_approaches(id),
    case_id INTEGER NOT NULL REFERENCES cases(id),
    region_id INTEGER NOT NULL REFERENCES regions(id),
    status TEXT NOT NULL DEFAULT 'gevraagd',
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (approach_id, case_id),
    FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE
);
INSERT INTO national_approach_cases_rebuilt SELECT * FROM national_approach_cases;
DROP TABLE national_approach_cases;
ALTER TABLE national_approach_cases_rebuilt RENAME TO national_approach_cases;
CREATE INDEX national_approach_cases_region ON national_approach_cases(region_id, approach_id);

-- Every foreign key must hold (enforcement is off during this step): a violation fails the
-- CHECK and the step rolls back.
CREATE TEMP TABLE knooppunt_key_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO knooppunt_key_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE knooppunt_key_check;
