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
ALTER TABLE users ADD COLUMN email_digest BOOLEAN NOT NULL DEFAULT TRUE;
