-- PostgreSQL partitions the processing log by month from this version on (see the PostgreSQL
-- migration of the same number). SQLite has no partitioning: a month stays a range of the index
-- `processing_log_at` (0021), archived with a ranged DELETE. Nothing changes here.
CREATE INDEX IF NOT EXISTS processing_log_at ON processing_log(at);
