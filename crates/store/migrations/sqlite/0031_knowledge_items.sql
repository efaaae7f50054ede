-- Knowledge items of the Kennisplatform Ondermijning. An item has a content type, a title, a
-- summary and a body, optionally an ECLI number (case law), themes (phenomena and settings of
-- the taxonomy), the partner types it is meant for and a region. Its audience decides who reads
-- it once published: openbaar (also without signing in), netwerk (every signed-in partner
-- user), groep (the member organisations of one knowledge group, such as a phenomenon table),
-- redactie (the editors only). The editorial workflow: concept -> ter-beoordeling ->
-- gepubliceerd -> gearchiveerd; only editors see items that are not published. Every saved
-- content is a version (kept, never changed) and every workflow step a line.
-- Kept in lockstep with postgres/.
CREATE TABLE knowledge_groups (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE knowledge_group_members (
    group_id BIGINT NOT NULL REFERENCES knowledge_groups(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (group_id, organisation_id)
);
CREATE INDEX knowledge_group_members_o ON knowledge_group_members(organisation_id, group_id);

CREATE TABLE knowledge_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    ecli TEXT,
    audience TEXT NOT NULL,
    group_id BIGINT REFERENCES knowledge_groups(id),
    region_id BIGINT REFERENCES regions(id),
    state TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- who offered it for review (the four-eyes rule: somebody else publishes)
    submitted_by TEXT,
    published_at BIGINT,
    CHECK ((audience = 'groep') = (group_id IS NOT NULL))
);
CREATE INDEX knowledge_items_shown ON knowledge_items(state, audience, published_at);
CREATE INDEX knowledge_items_group ON knowledge_items(group_id);
CREATE UNIQUE INDEX knowledge_items_ecli ON knowledge_items(ecli);

CREATE TABLE knowledge_item_phenomena (
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    phenomenon_id BIGINT NOT NULL REFERENCES phenomena(id),
    PRIMARY KEY (item_id, phenomenon_id)
);
CREATE INDEX knowledge_item_phenomena_p ON knowledge_item_phenomena(phenomenon_id, item_id);

CREATE TABLE knowledge_item_settings (
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    setting_id BIGINT NOT NULL REFERENCES taxonomy_terms(id),
    PRIMARY KEY (item_id, setting_id)
);

CREATE TABLE knowledge_item_partner_types (
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    partner_type TEXT NOT NULL,
    PRIMARY KEY (item_id, partner_type)
);

CREATE TABLE knowledge_item_versions (
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    ecli TEXT,
    audience TEXT NOT NULL,
    change_note TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (item_id, version)
);

CREATE TABLE knowledge_item_steps (
    id INTEGER PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES knowledge_items(id),
    step TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    taken_by TEXT NOT NULL,
    taken_at BIGINT NOT NULL
);
CREATE INDEX knowledge_item_steps_i ON knowledge_item_steps(item_id, id);
