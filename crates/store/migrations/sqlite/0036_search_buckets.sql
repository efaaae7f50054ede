-- The knowledge search at scale (#15): every posting carries its item's audience bucket
-- ('redactie' for an item not published, else 'openbaar', 'netwerk' or 'groep' with the group),
-- so the ranking reads a term's postings best first with the reader's visibility checked on the
-- posting itself and stops once the top page is certain; the document frequency of every term
-- per bucket is kept as the postings change, so a reader's term statistics are a sum over a few
-- rows (the empty term counts the items). Kept in lockstep with the other backend's directory.
ALTER TABLE knowledge_postings ADD COLUMN audience TEXT NOT NULL DEFAULT 'redactie';
ALTER TABLE knowledge_postings ADD COLUMN group_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX knowledge_postings_best ON knowledge_postings(term, impact DESC, item_id DESC);

CREATE TABLE knowledge_term_counts (
    term TEXT NOT NULL,
    audience TEXT NOT NULL,
    group_id BIGINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (term, audience, group_id)
);

-- The next start rebuilds the index, which fills the buckets and the counts.
UPDATE search_index_state SET analyser = '';
