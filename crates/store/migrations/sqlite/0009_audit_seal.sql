-- Each audit row is sealed with an HMAC under a key kept outside the database
-- (KNOOPPUNT_AUDIT_KEY or <data-dir>/audit.key): mac = HMAC-SHA256(key, "rij:<seq>:<hash>").
-- Someone with database access but without the key cannot rewrite the chain unnoticed. Rows
-- written before the key existed are sealed when a node first starts with it.
ALTER TABLE audit_log ADD COLUMN mac TEXT NOT NULL DEFAULT '';
