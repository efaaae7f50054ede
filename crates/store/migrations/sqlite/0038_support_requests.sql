-- Specialist support of the LIEC to the RIECs: a RIEC asks (domain, question, a case named by
-- its reference only -- no case contents, no link to the case --, the desired date, the external
-- legal deadline with how it was calculated), the LIEC takes the request on, asks for more
-- information, answers; the region closes it, or withdraws it. Status ingediend ->
-- in-behandeling -> informatie-gevraagd -> beantwoord -> gesloten. The turnaround target per
-- domain is the LIEC's; a request is due on submission day + target days + the days it waited
-- for the region (waiting_days, waiting_since while it waits). A published answer keeps the
-- id of its question-and-answer item. Kept in lockstep with postgres/.
CREATE TABLE support_targets (
    domain TEXT PRIMARY KEY,
    target_days BIGINT NOT NULL
);
INSERT INTO support_targets (domain, target_days) VALUES
    ('bibob', 10), ('13b-opiumwet', 10), ('174a-gemeentewet', 10), ('awb', 10), ('avg-wgs', 15), ('communicatie', 5), ('ict', 5);

CREATE TABLE support_requests (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    region_id BIGINT NOT NULL REFERENCES regions(id),
    domain TEXT NOT NULL,
    question TEXT NOT NULL,
    case_reference TEXT NOT NULL DEFAULT '',
    -- jjjj-mm-dd or ''
    desired_on TEXT NOT NULL DEFAULT '',
    deadline_on TEXT NOT NULL DEFAULT '',
    deadline_basis TEXT NOT NULL DEFAULT '',
    -- ingediend | in-behandeling | informatie-gevraagd | beantwoord | gesloten
    status TEXT NOT NULL DEFAULT 'ingediend',
    asked_by TEXT NOT NULL,
    handler TEXT NOT NULL DEFAULT '',
    submitted_on TEXT NOT NULL,
    target_days BIGINT NOT NULL,
    waiting_days BIGINT NOT NULL DEFAULT 0,
    waiting_since TEXT NOT NULL DEFAULT '',
    -- submitted_on + target_days + waiting_days (jjjj-mm-dd), moved on when the region answers
    due_on TEXT NOT NULL,
    answered_at BIGINT,
    closed_at BIGINT,
    faq_item_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX support_requests_region ON support_requests(region_id, status);
CREATE INDEX support_requests_status ON support_requests(status, due_on);

CREATE TABLE support_messages (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES support_requests(id),
    -- the workflow step, or 'vraag' for the question itself
    step TEXT NOT NULL,
    -- riec | liec
    side TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX support_messages_request ON support_messages(request_id, id);

CREATE TABLE support_attachments (
    id INTEGER PRIMARY KEY,
    request_id BIGINT NOT NULL REFERENCES support_requests(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    side TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX support_attachments_request ON support_attachments(request_id);
