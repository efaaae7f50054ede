-- An information item its supplier withdraws (*ingetrokken*): the supplier no longer lets the
-- information be processed in the case. Withdrawing ends every release at once, and no one may
-- change or release the item again; the supplier and the case team still see that it was there
-- (and why it was withdrawn) until its own retention rule has run: by default three months, after
-- which the item's texts and attachments are destroyed and a tombstone stays (supplier, legal
-- basis, dates) for the figures and the case's history.
ALTER TABLE items ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE items ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN destroyed_at BIGINT;
CREATE INDEX items_withdrawn ON items(withdrawn_at) WHERE withdrawn_at IS NOT NULL AND destroyed_at IS NULL;
INSERT INTO retention_rules (code, object_kind, phase, trigger_event, period_months, action, source) VALUES
    ('informatie-ingetrokken', 'informatiebijdrage', 'ingetrokken', 'informatie-ingetrokken', 3, 'vernietigen',
     'Standaard van knooppunt; convenant: informatie die de leverancier intrekt, wordt niet verder verwerkt');
