-- Points in time are TIMESTAMPTZ on PostgreSQL from this version on. SQLite has no time type:
-- its time columns stay INTEGER milliseconds since the epoch (UTC), which is how `query::Millis`
-- reads and writes them here. Nothing changes in this database.
SELECT 1;
