-- Files of a field lab's decisions and documents (checked like every attachment: PDF, Word,
-- OpenDocument, images, text), each with the record of the phase it belongs to. No case data.
-- Kept in lockstep with postgres/.
CREATE TABLE field_lab_files (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES field_labs(id),
    record_id BIGINT NOT NULL REFERENCES field_lab_records(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX field_lab_files_record ON field_lab_files(lab_id, record_id, id);
