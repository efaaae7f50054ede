-- Points in time as TIMESTAMPTZ. Until now every time column was a BIGINT of milliseconds since
-- the epoch (UTC), because the Any driver the store used had no time type. The values keep their
-- instant (milliseconds fit in TIMESTAMPTZ's microseconds); the platform still passes them around
-- as milliseconds (`query::Millis`).

ALTER TABLE advice_versions
    ALTER COLUMN approved_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + approved_at * INTERVAL '1 millisecond',
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond';
ALTER TABLE api_tokens
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN expires_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + expires_at * INTERVAL '1 millisecond',
    ALTER COLUMN last_used_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + last_used_at * INTERVAL '1 millisecond',
    ALTER COLUMN revoked_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + revoked_at * INTERVAL '1 millisecond';
ALTER TABLE audit_log
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE case_events
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE case_links
    ALTER COLUMN linked_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + linked_at * INTERVAL '1 millisecond';
ALTER TABLE case_participants
    ALTER COLUMN admitted_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + admitted_at * INTERVAL '1 millisecond',
    ALTER COLUMN removed_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + removed_at * INTERVAL '1 millisecond';
ALTER TABLE cases
    ALTER COLUMN closed_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + closed_at * INTERVAL '1 millisecond',
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE information_requests
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond';
ALTER TABLE interventions
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN escalated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + escalated_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE item_attachments
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE item_releases
    ALTER COLUMN released_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + released_at * INTERVAL '1 millisecond',
    ALTER COLUMN withdrawn_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + withdrawn_at * INTERVAL '1 millisecond';
ALTER TABLE items
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE key_fingerprints
    ALTER COLUMN recorded_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + recorded_at * INTERVAL '1 millisecond';
ALTER TABLE login_attempts
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE match_models
    ALTER COLUMN estimated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + estimated_at * INTERVAL '1 millisecond';
ALTER TABLE match_queue
    ALTER COLUMN queued_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + queued_at * INTERVAL '1 millisecond';
ALTER TABLE meetings
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond';
ALTER TABLE national_approach_actions
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN done_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + done_at * INTERVAL '1 millisecond';
ALTER TABLE national_approach_asks
    ALTER COLUMN asked_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + asked_at * INTERVAL '1 millisecond';
ALTER TABLE national_approach_cases
    ALTER COLUMN decided_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + decided_at * INTERVAL '1 millisecond',
    ALTER COLUMN requested_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + requested_at * INTERVAL '1 millisecond';
ALTER TABLE national_approach_participants
    ALTER COLUMN added_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + added_at * INTERVAL '1 millisecond';
ALTER TABLE national_approaches
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE organisations
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond';
ALTER TABLE policy_signal_attachments
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE policy_signal_events
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE policy_signal_messages
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE policy_signals
    ALTER COLUMN closed_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + closed_at * INTERVAL '1 millisecond',
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN decided_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + decided_at * INTERVAL '1 millisecond',
    ALTER COLUMN offered_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + offered_at * INTERVAL '1 millisecond',
    ALTER COLUMN response_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + response_at * INTERVAL '1 millisecond',
    ALTER COLUMN response_due_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + response_due_at * INTERVAL '1 millisecond',
    ALTER COLUMN submitted_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + submitted_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE processing_log
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE region_events
    ALTER COLUMN at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + at * INTERVAL '1 millisecond';
ALTER TABLE regions
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE relations
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond';
ALTER TABLE request_recipients
    ALTER COLUMN answered_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + answered_at * INTERVAL '1 millisecond';
ALTER TABLE scheduled_jobs
    ALTER COLUMN last_run_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + last_run_at * INTERVAL '1 millisecond';
ALTER TABLE sessions
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN expires_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + expires_at * INTERVAL '1 millisecond',
    ALTER COLUMN last_seen_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + last_seen_at * INTERVAL '1 millisecond';
ALTER TABLE subjects
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE treffers
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN shared_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + shared_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
ALTER TABLE user_roles
    ALTER COLUMN granted_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + granted_at * INTERVAL '1 millisecond';
ALTER TABLE users
    ALTER COLUMN created_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 millisecond',
    ALTER COLUMN updated_at TYPE TIMESTAMPTZ USING TIMESTAMPTZ 'epoch' + updated_at * INTERVAL '1 millisecond';
