-- Barrier models (barrièremodellen): a knowledge item of kind 'barrieremodel' describes a
-- phenomenon's business process as ordered steps; each step has its facilitators (an actor
-- type, knowing or not), opportunities, signals (with the partner types that can observe them)
-- and barriers (each tied to an intervention type of the catalogue, a responsible partner type
-- and a legal basis). An intervention in a case can name the barrier it raises, so the
-- interventions per barrier can be counted. Parts are added and removed, never rewritten in
-- place, so a barrier an intervention names keeps its id. Kept in lockstep with the other
-- backend's directory.
CREATE TABLE barrier_steps (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    UNIQUE (item_id, position)
);

CREATE TABLE barrier_parts (
    id INTEGER PRIMARY KEY,
    step_id BIGINT NOT NULL REFERENCES barrier_steps(id),
    part TEXT NOT NULL CHECK (part IN ('facilitator', 'gelegenheid', 'signaal', 'barriere')),
    description TEXT NOT NULL,
    -- facilitator: the actor type and whether it knows what it facilitates (1) or not (0)
    actor TEXT NOT NULL DEFAULT '',
    knowing BIGINT,
    -- signaal: the partner types that can observe it, comma-separated codes
    observed_by TEXT NOT NULL DEFAULT '',
    -- barriere: the intervention type that raises it, the responsible partner type, the law
    intervention_type_id BIGINT REFERENCES intervention_types(id),
    partner_type TEXT,
    legal_basis TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    CHECK (part <> 'facilitator' OR (actor <> '' AND knowing IN (0, 1))),
    CHECK (part <> 'barriere' OR (intervention_type_id IS NOT NULL AND partner_type IS NOT NULL))
);
CREATE INDEX barrier_parts_step ON barrier_parts(step_id);

ALTER TABLE interventions ADD COLUMN barrier_id BIGINT REFERENCES barrier_parts(id);
CREATE INDEX interventions_barrier ON interventions(barrier_id);
