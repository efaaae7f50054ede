-- Log lifecycle: the audit log and the processing log leave the hot database per calendar month
-- (UTC), as JSON Lines files with a manifest signed with the audit key. Each row here is such a
-- manifest: the part's range (audit: sequence numbers, processing log: ids), its row count, the
-- file's SHA-256 and, for the audit log, the chain's hash before the first and after the last
-- row, so `audit verify` proves the chain across archived parts and the hot rows. The index on
-- the processing log's time makes a month one index range (as `audit_log_at` does for audit).
CREATE TABLE log_archives (
    id INTEGER PRIMARY KEY,
    log TEXT NOT NULL CHECK (log IN ('audit', 'verwerkingen')),
    period TEXT NOT NULL,
    period_start_at BIGINT NOT NULL,
    period_end_at BIGINT NOT NULL,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    first_prev_hash TEXT NOT NULL,
    last_hash TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    archived_at BIGINT NOT NULL,
    archived_by TEXT NOT NULL,
    mac TEXT NOT NULL,
    UNIQUE (log, first_seq)
);
CREATE INDEX processing_log_at ON processing_log(at);
