-- Retention of the national desk's administrative signals (bestuurlijke signalen): a signal that
-- was closed, not accepted or merged falls under its own rule (a default until the privacy
-- officer confirms it). Destroying one removes its texts, messages and attachments and keeps what
-- the figures count (reference, state, dates, ministries, phenomena, the steps without notes).
INSERT INTO retention_rules (code, object_kind, phase, trigger_event, period_months, action, source) VALUES
    ('bestuurlijk-signaal-afgesloten', 'bestuurlijk-signaal', 'afgesloten', 'bestuurlijk-signaal-afgesloten', 60, 'beoordelen',
     'Standaard van knooppunt; Archiefwet: na afloop beoordelen of het signaal bewaard moet blijven');
ALTER TABLE policy_signals ADD COLUMN destroyed_at TIMESTAMPTZ;
CREATE INDEX policy_signals_retention ON policy_signals(state) WHERE destroyed_at IS NULL;
