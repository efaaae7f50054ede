-- knooppunt: rebuilds tables
-- A participant's admission carries its case's last change (case_updated_at), held equal to
-- cases.updated_at by a composite key (ON UPDATE CASCADE, like the region in 0013). A partner's
-- case list is then one index range in the list's order: it reads the newest admissions up to
-- the page and only those cases, where it read every admitted case to sort them. The key
-- replaces 0013's (case_id, region_id) key, which it includes. SQLite rebuilds the table
-- (foreign keys off for this step; the check at the end fails the step if any key does not hold).
CREATE UNIQUE INDEX cases_id_region_updated ON cases(id, region_id, updated_at);

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
    -- The case's updated_at, kept here so that range is in the order of the case list.
    case_updated_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, organisation_id),
    FOREIGN KEY (case_id, region_id, case_updated_at) REFERENCES cases(id, region_id, updated_at) ON UPDATE CASCADE
);
INSERT INTO case_participants_rebuilt (case_id, organisation_id, region_id, admitted_at, admitted_by, reason, removed_at, removed_reason, case_updated_at)
    SELECT p.case_id, p.organisation_id, p.region_id, p.admitted_at, p.admitted_by, p.reason, p.removed_at, p.removed_reason, c.updated_at
    FROM case_participants p JOIN cases c ON c.id = p.case_id;
DROP TABLE case_participants;
ALTER TABLE case_participants_rebuilt RENAME TO case_participants;
CREATE INDEX case_participants_org ON case_participants(organisation_id, region_id, case_id);
CREATE INDEX case_participants_active ON case_participants(organisation_id, region_id, case_updated_at, case_id) WHERE removed_at IS NULL;

CREATE TEMP TABLE knooppunt_key_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO knooppunt_key_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE knooppunt_key_check;
