-- Attachments of knowledge items (the guide itself as PDF, a Word or OpenDocument version, a
-- factsheet): the file as uploaded, and its text as the extraction found it, for search. A
-- file whose text could not be read keeps the reason (text_note) and an empty text.
-- Kept in lockstep with postgres/.
CREATE TABLE knowledge_attachments (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    text_note TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX knowledge_attachments_item ON knowledge_attachments(item_id);
