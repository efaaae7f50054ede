-- The knowledge search (#15 point 3): an inverted index the Rust analyser fills (a term, an
-- item, the term's BM25 weight in that item ×1000 — integers, so both backends rank alike),
-- the vocabulary with each term's one-character deletions (to find the word meant by a
-- misspelling), the editors' synonym groups, and the analyser version the index was built
-- with (a different version rebuilds it). Kept in lockstep with the other backend's directory.
CREATE TABLE knowledge_postings (
    term TEXT NOT NULL,
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    impact BIGINT NOT NULL,
    PRIMARY KEY (term, item_id)
);
CREATE INDEX knowledge_postings_item ON knowledge_postings(item_id);

CREATE TABLE knowledge_term_variants (
    variant TEXT NOT NULL,
    term TEXT NOT NULL,
    PRIMARY KEY (variant, term)
);

CREATE TABLE search_synonyms (
    id INTEGER PRIMARY KEY,
    words TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);

CREATE TABLE search_index_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    analyser TEXT NOT NULL
);
INSERT INTO search_index_state (id, analyser) VALUES (1, '');

INSERT INTO search_synonyms (words, changed_by, changed_at) VALUES
    ('hennep, cannabis, wiet, marihuana', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('OMG, motorbende, motorclub', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('13b, Damocles, Damoclesbeleid', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('Bibob, integriteitsbeoordeling', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('witwassen, witwas, witwaspraktijken', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('mensenhandel, uitbuiting, arbeidsuitbuiting', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('drugslab, drugslaboratorium, productielocatie', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('xtc, mdma, synthetische drugs', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('174a, woningsluiting', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('stroman, katvanger', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000),
    ('vakantiepark, recreatiepark', 'LIEC', CAST(strftime('%s', 'now') AS BIGINT) * 1000);
