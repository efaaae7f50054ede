-- The interventions catalogue as knowledge: every intervention type has a sheet
-- (interventieblad) — what it is, its legal basis, who carries it out, the conditions and the
-- case law. A change is a new version; the newest is the sheet, the older ones its history,
-- never changed. Kept in lockstep with postgres/.
CREATE TABLE intervention_sheets (
    id INTEGER PRIMARY KEY,
    type_id BIGINT NOT NULL REFERENCES intervention_types(id),
    version BIGINT NOT NULL,
    what TEXT NOT NULL,
    legal_basis TEXT NOT NULL DEFAULT '',
    carried_by TEXT NOT NULL DEFAULT '',
    conditions TEXT NOT NULL DEFAULT '',
    case_law TEXT NOT NULL DEFAULT '',
    change_note TEXT NOT NULL DEFAULT '',
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    UNIQUE (type_id, version)
);
