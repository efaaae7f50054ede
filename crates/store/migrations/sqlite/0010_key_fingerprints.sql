-- The check value of each key kept outside the database (HMAC-SHA-256 of a fixed text under the
-- key), so a node started with another key than the one the data was written with refuses to
-- start instead of writing unsearchable pseudonyms or unverifiable seals.
CREATE TABLE key_fingerprints (
    purpose TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
