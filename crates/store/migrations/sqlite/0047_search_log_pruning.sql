-- The log of the index's changes (knowledge_index_log) is pruned as it grows: every so many
-- generations the entries older than a window are removed, and the state says through which
-- generation. A node whose copy is older than that reads everything again. Item -1 in the log
-- marks a change of the reference data the copies hold (synonym groups, phenomena's names).
ALTER TABLE search_index_state ADD COLUMN pruned_through BIGINT NOT NULL DEFAULT 0;
