-- A participant's admission carries its case's last change (case_updated_at), held equal to
-- cases.updated_at by a composite key (ON UPDATE CASCADE, like the region in 0013). A partner's
-- case list is then one index range in the list's order: it reads the newest admissions up to
-- the page and only those cases, where it read every admitted case to sort them. The key
-- replaces 0013's (case_id, region_id) key, which it includes.
CREATE UNIQUE INDEX cases_id_region_updated ON cases(id, region_id, updated_at);
ALTER TABLE case_participants ADD COLUMN case_updated_at TIMESTAMPTZ;
UPDATE case_participants p SET case_updated_at = c.updated_at FROM cases c WHERE c.id = p.case_id;
ALTER TABLE case_participants ALTER COLUMN case_updated_at SET NOT NULL;
ALTER TABLE case_participants DROP CONSTRAINT case_participants_case_region_fkey;
ALTER TABLE case_participants ADD CONSTRAINT case_participants_case_region_fkey
    FOREIGN KEY (case_id, region_id, case_updated_at) REFERENCES cases(id, region_id, updated_at) ON UPDATE CASCADE;
DROP INDEX case_participants_active;
CREATE INDEX case_participants_active ON case_participants(organisation_id, region_id, case_updated_at, case_id) WHERE removed_at IS NULL;
