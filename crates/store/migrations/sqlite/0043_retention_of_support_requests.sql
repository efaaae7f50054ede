-- Retention of the LIEC's specialist support: a closed support request (closed_at, set when the
-- region closes or withdraws it) falls under its own rule (a default until the privacy officer
-- confirms it). Destroying one removes its attachments and empties the texts of its question and
-- messages, the case reference it named and the basis of its deadline; what the figures count
-- stays (reference, region, domain, status, dates, turnaround, the steps without their texts).
INSERT INTO retention_rules (code, object_kind, phase, trigger_event, period_months, action, source) VALUES
    ('ondersteuningsvraag-gesloten', 'ondersteuningsvraag', 'gesloten', 'ondersteuningsvraag-gesloten', 24, 'vernietigen',
     'Standaard van knooppunt; de vraag en het antwoord zijn na twee jaar niet meer nodig, een gepubliceerd antwoord blijft als geanonimiseerde vraag en antwoord');
ALTER TABLE support_requests ADD COLUMN destroyed_at BIGINT;
