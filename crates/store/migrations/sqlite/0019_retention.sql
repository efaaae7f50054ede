-- Retention (bewaartermijnen) as data: which objects become due for review or destruction, when
-- and by which rule; legal holds (bewaarplicht) that block destruction; extensions with their
-- reason; destruction records without personal data. Seeded rules are defaults
-- (`is_default`) until the privacy officer confirms or changes them; every change is audited.
CREATE TABLE retention_rules (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    object_kind TEXT NOT NULL,
    phase TEXT NOT NULL,
    trigger_event TEXT NOT NULL,
    period_months BIGINT NOT NULL,
    action TEXT NOT NULL,
    source TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT TRUE,
    changed_at BIGINT,
    changed_by TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1
);
INSERT INTO retention_rules (code, object_kind, phase, trigger_event, period_months, action, source) VALUES
    ('signaal-afgewezen', 'casus', 'afgewezen', 'signaal-afgewezen', 6, 'vernietigen',
     'Standaard van knooppunt; Privacyprotocol RIECs-LIEC: gegevens niet langer bewaren dan nodig voor het doel'),
    ('pre-casus-beeindigd', 'casus', 'afgesloten', 'pre-casus-beeindigd', 12, 'vernietigen',
     'Standaard van knooppunt; Privacyprotocol RIECs-LIEC: gegevens niet langer bewaren dan nodig voor het doel'),
    ('casus-afgesloten', 'casus', 'afgesloten', 'casus-afgesloten', 60, 'beoordelen',
     'Standaard van knooppunt; Selectielijst gemeenten 2020, categorie 12.1 Toezicht uitvoeren');

CREATE TABLE legal_holds (
    id INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    ground TEXT NOT NULL,
    reason TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    placed_at BIGINT NOT NULL,
    lifted_at BIGINT,
    lifted_by TEXT,
    lift_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX legal_holds_active ON legal_holds(object_kind, object_id) WHERE lifted_at IS NULL;

CREATE TABLE retention_extensions (
    id INTEGER PRIMARY KEY,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at BIGINT NOT NULL
);
CREATE INDEX retention_extensions_object ON retention_extensions(object_kind, object_id, ends_at);

-- What was destroyed, without personal data: the kind, how many, which rule, who decided, when.
CREATE TABLE destruction_records (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    decided_by TEXT NOT NULL,
    organisation_id BIGINT,
    rule_code TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    objects BIGINT NOT NULL,
    subjects BIGINT NOT NULL,
    items BIGINT NOT NULL,
    attachments BIGINT NOT NULL
);
CREATE INDEX destruction_records_at ON destruction_records(at);

-- A destroyed case keeps its reference, region, phase, dates, phenomena and interventions'
-- categories and amounts (the figures); everything about persons is gone.
ALTER TABLE cases ADD COLUMN destroyed_at BIGINT;
CREATE INDEX cases_retention ON cases(phase, closed_at) WHERE destroyed_at IS NULL;
