-- Requests of data subjects (art. 15-21 AVG): registered by the partner that received it (never
-- by the RIEC, which has no legal personality), with the identity check noted; the search finds
-- every partner that supplied data about the person, each of which records its own position; the
-- statutory deadline (one month, once extendable by up to two with a reason given within the
-- first) is kept with the request.
CREATE TABLE subject_requests (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    received_by BIGINT NOT NULL REFERENCES organisations(id),
    received_on TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    identifier_kind TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    identity_checked BOOLEAN NOT NULL,
    identity_note TEXT NOT NULL,
    question TEXT NOT NULL,
    deadline TEXT NOT NULL,
    extended_to TEXT NOT NULL DEFAULT '',
    extension_reason TEXT NOT NULL DEFAULT '',
    closed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX subject_requests_received_by ON subject_requests(received_by, id);
CREATE INDEX subject_requests_open ON subject_requests(deadline) WHERE closed_at IS NULL;

-- Each partner that supplied data about the person, why it was asked (counts of what it
-- supplied, no contents), and its position: '' (not yet), verstrekken, beperken (with a ground),
-- geen-gegevens.
CREATE TABLE subject_request_partners (
    request_id BIGINT NOT NULL REFERENCES subject_requests(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    supplied TEXT NOT NULL,
    position TEXT NOT NULL DEFAULT '',
    ground TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_at BIGINT,
    PRIMARY KEY (request_id, organisation_id)
);
CREATE INDEX subject_request_partners_org ON subject_request_partners(organisation_id, request_id);
