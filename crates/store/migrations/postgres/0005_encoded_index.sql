-- The cross-region index in encoded mode (privacy-preserving): per subject only keyed Bloom
-- filters and keyed identifier hashes, made with a secret that is never stored here. The
-- blocking keys in subject_match_keys are then keyed hashes as well.
CREATE TABLE subject_encodings (
    subject_id BIGINT PRIMARY KEY REFERENCES subjects(id),
    region_id BIGINT NOT NULL REFERENCES regions(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    -- persoon | rechtspersoon | overig
    kind TEXT NOT NULL,
    -- Record-level filter (base64), field filters (base64), identifier hashes (kind:hash;...).
    clk TEXT NOT NULL,
    fields TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    -- The check value of the secret the encoding was made with (see knooppunt encode).
    secret_check TEXT NOT NULL
);
CREATE INDEX subject_encodings_region ON subject_encodings(region_id);
