-- Retention of the LIEC's national objects, each under its own rule (a default until the privacy
-- officer confirms it):
-- * an administrative signal of the national desk (bestuurlijk signaal) that was closed, not
--   accepted or merged; destroying one removes its texts, messages and attachments and keeps what
--   the figures count (reference, state, dates, ministries, phenomena, the steps without notes);
-- * a national approach (landelijke aanpak) that ended (`ended_at`, set when its status becomes
--   afgerond); destroying one empties its texts and keeps its cases, participants and actions
--   as counts and states.
INSERT INTO retention_rules (code, object_kind, phase, trigger_event, period_months, action, source) VALUES
    ('bestuurlijk-signaal-afgesloten', 'bestuurlijk-signaal', 'afgesloten', 'bestuurlijk-signaal-afgesloten', 60, 'beoordelen',
     'Standaard van knooppunt; Archiefwet: na afloop beoordelen of het signaal bewaard moet blijven'),
    ('landelijke-aanpak-afgerond', 'landelijke-aanpak', 'afgerond', 'landelijke-aanpak-afgerond', 60, 'beoordelen',
     'Standaard van knooppunt; Archiefwet: na afloop beoordelen of de aanpak bewaard moet blijven');
ALTER TABLE policy_signals ADD COLUMN destroyed_at TIMESTAMPTZ;
CREATE INDEX policy_signals_retention ON policy_signals(state) WHERE destroyed_at IS NULL;
ALTER TABLE national_approaches ADD COLUMN ended_at TIMESTAMPTZ;
ALTER TABLE national_approaches ADD COLUMN destroyed_at TIMESTAMPTZ;
UPDATE national_approaches SET ended_at = updated_at WHERE status = 'afgerond';
