-- The themes (phenomena) a user follows on the knowledge start page: per theme the newest
-- items the user may read. A preference of the user, no data of anyone else. Kept in
-- lockstep with the other backend's directory.
CREATE TABLE user_knowledge_themes (
    user_id BIGINT NOT NULL REFERENCES users(id),
    phenomenon_id BIGINT NOT NULL REFERENCES phenomena(id),
    PRIMARY KEY (user_id, phenomenon_id)
);
