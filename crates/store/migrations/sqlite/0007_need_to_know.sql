-- Need-to-know by construction: what each case event is about (so history is a view), why a
-- release was withdrawn, which side wrote a hit's review note, and references the LIEC asked
-- for a national approach that matched no case (kept, so a guess answers like a hit).

-- about: 'casus' (everyone who sees the case), 'team' (case team only), 'organisatie' (the team
-- and organisation_id), 'bijdrage' (the team, the item's supplier and organisation_id, the
-- recipient of a release), 'uitvraag' (the team and the request's recipients).
ALTER TABLE case_events ADD COLUMN about TEXT NOT NULL DEFAULT 'team';
ALTER TABLE case_events ADD COLUMN about_id INTEGER;
ALTER TABLE case_events ADD COLUMN organisation_id INTEGER;
-- Earlier events without a recorded subject: case-level steps stay visible to participants;
-- everything else becomes team-only (the safe side).
UPDATE case_events SET about = 'casus'
 WHERE kind IN ('geregistreerd', 'wegen', 'pre-casus-openen', 'casus-openen', 'afwijzen', 'afsluiten', 'heropenen', 'team', 'interventie', 'advies-goedgekeurd');

ALTER TABLE item_releases ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';

ALTER TABLE treffers ADD COLUMN status_side TEXT NOT NULL DEFAULT '';

CREATE TABLE national_approach_asks (
    id INTEGER PRIMARY KEY,
    approach_id INTEGER NOT NULL REFERENCES national_approaches(id),
    reference TEXT NOT NULL,
    asked_by TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    UNIQUE (approach_id, reference)
);
INSERT INTO national_approach_asks (approach_id, reference, asked_by, asked_at)
SELECT n.approach_id, c.reference, n.requested_by, n.requested_at FROM national_approach_cases n JOIN cases c ON c.id = n.case_id;
