-- Each node keeps a copy of the knowledge search index in memory (store::replica). Every change of
-- the postings takes the next generation (the row lock orders the writers, so generations become
-- visible in order) and notes the items it changed; a node catches up by reading the items noted
-- after the generation it holds. Item 0 marks a rebuild: read everything again.
ALTER TABLE search_index_state ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
CREATE TABLE knowledge_index_log (
    generation BIGINT NOT NULL,
    item_id BIGINT NOT NULL,
    PRIMARY KEY (generation, item_id)
);
INSERT INTO knowledge_index_log (generation, item_id) VALUES (0, 0);
