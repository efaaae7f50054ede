-- Notifications: "there is something for you" per user, written in the transaction of the event
-- (a request to the user's organisation, advice to approve, a new hit, a national approach's
-- ask, an intervention to carry out, an escalation). A notification holds its kind and time and
-- nothing of the case: its link is the work list where the work is done, filtered there by
-- need-to-know. `mailed_at` is set when an e-mail digest counted it; `users.email_digest` is the
-- user's choice whether digests are sent at all.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    mailed_at BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
-- Kept 30 days (the purge task removes older ones).
CREATE INDEX notifications_created ON notifications(created_at);
ALTER TABLE users ADD COLUMN email_digest BOOLEAN NOT NULL DEFAULT TRUE;
-- What the auditor and the privacy officer look at first on "Mijn werk": refused access and
-- exported case files of the last days. Partial indexes, so the audit and processing logs'
-- appends pay only for these rare lines.
CREATE INDEX audit_log_attention ON audit_log(action, at) WHERE action IN ('toegang-geweigerd', 'casus-geexporteerd');
CREATE INDEX processing_log_exports ON processing_log(at) WHERE activity_code = 'casusdossier-exporteren';
