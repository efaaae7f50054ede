-- When each scheduled job last ran, so that across several nodes it runs once per interval: a
-- node claims a run by moving last_run_at forward in one UPDATE, and only the node whose UPDATE
-- changed the row runs the job.
CREATE TABLE scheduled_jobs (
    name TEXT PRIMARY KEY,
    last_run_at BIGINT NOT NULL
);
