-- knooppunt: rebuilds tables
-- Composite keys keep the denormalised region of a subject and of a participant equal to their
-- case's region: (case_id, region_id) references cases(id, region_id), and a case that moves
-- region (a merge) takes them along (ON UPDATE CASCADE). SQLite cannot add a foreign key to a
-- table in place, so both tables are rebuilt (the runner turns foreign keys off for this step;
-- the check at the end fails the step, and rolls it back, if any key does not hold).
CREATE UNIQUE INDEX cases_id_region ON cases(id, region_id);

CREATE TABLE subjects_rebuilt (
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
    version BIGINT NOT NULL DEFAULT 1,
    FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE
);
INSERT INTO subjects_rebuilt SELECT * FROM subjects;
DROP TABLE subjects;
ALTER TABLE subjects_rebuilt RENAME TO subjects;
CREATE INDEX subjects_case_search ON subjects(case_id, search_key);
CREATE INDEX subjects_region_search ON subjects(region_id, search_key);
CREATE INDEX subjects_identifier ON subjects(identifier);

CREATE TABLE case_participants_rebuilt (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    -- The case's region, kept here so a participant's cases of one region are one index range.
    region_id INTEGER NOT NULL REFERENCES regions(id),
    admitted_at BIGINT NOT NULL,
    admitted_by TEXT NOT NULL,
    reason TEXT NOT NULL,
    removed_at BIGINT,
    removed_reason TEXT,
    PRIMARY KEY (case_id, organisation_id),
    FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE
);
INSERT INTO case_participants_rebuilt SELECT * FROM case_participants;
DROP TABLE case_participants;
ALTER TABLE case_participants_rebuilt RENAME TO case_participants;
CREATE INDEX case_participants_org ON case_participants(organisation_id, region_id, case_id);
CREATE INDEX case_participants_active ON case_participants(organisation_id, region_id, case_id) WHERE removed_at IS NULL;

-- Every foreign key must hold (enforcement is off during this step): a violation fails the
-- CHECK and the step rolls back.
CREATE TEMP TABLE knooppunt_key_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO knooppunt_key_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE knooppunt_key_check;
