-- Landelijke Fenomeentafels: a national table per phenomenon of the taxonomy, facilitated by a
-- LIEC coordinator (status kwartiermaken -> actief -> beeindigd), with a versioned mandate and
-- its endorsing body, member organisations (sector publiek / privaat / wetenschap, role, period;
-- private members have accounts without a role), meetings with agenda, attendance and
-- decisions, and an action list whose items may become a bestuurlijk signaal (the signal's
-- reference is kept, not a foreign key: the signal follows its own retention). Each table owns
-- a knowledge group whose members are the table's current member organisations, so its
-- products are published to exactly them. Knowledge-level data: no personal data, no cases.
-- Kept in lockstep with postgres/.
CREATE TABLE phenomenon_tables (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phenomenon_id BIGINT NOT NULL REFERENCES phenomena(id),
    -- kwartiermaken | actief | beeindigd
    status TEXT NOT NULL DEFAULT 'kwartiermaken',
    -- jjjj-mm-dd or ''
    started_on TEXT NOT NULL DEFAULT '',
    ended_on TEXT NOT NULL DEFAULT '',
    coordinator TEXT NOT NULL,
    group_id BIGINT NOT NULL REFERENCES knowledge_groups(id),
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX phenomenon_tables_phenomenon ON phenomenon_tables(phenomenon_id);

CREATE TABLE phenomenon_table_mandates (
    table_id BIGINT NOT NULL REFERENCES phenomenon_tables(id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    endorsed_by TEXT NOT NULL,
    endorsed_on TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (table_id, version)
);

CREATE TABLE phenomenon_table_members (
    id INTEGER PRIMARY KEY,
    table_id BIGINT NOT NULL REFERENCES phenomenon_tables(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    -- publiek | privaat | wetenschap
    sector TEXT NOT NULL,
    part TEXT NOT NULL,
    from_on TEXT NOT NULL,
    -- '' while the membership lasts
    until_on TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE INDEX phenomenon_table_members_table ON phenomenon_table_members(table_id, id);
CREATE INDEX phenomenon_table_members_org ON phenomenon_table_members(organisation_id, table_id);

CREATE TABLE phenomenon_table_meetings (
    id INTEGER PRIMARY KEY,
    table_id BIGINT NOT NULL REFERENCES phenomenon_tables(id),
    held_on TEXT NOT NULL,
    agenda TEXT NOT NULL,
    decisions TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX phenomenon_table_meetings_table ON phenomenon_table_meetings(table_id, held_on);

CREATE TABLE phenomenon_table_attendance (
    meeting_id BIGINT NOT NULL REFERENCES phenomenon_table_meetings(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (meeting_id, organisation_id)
);

CREATE TABLE phenomenon_table_actions (
    id INTEGER PRIMARY KEY,
    table_id BIGINT NOT NULL REFERENCES phenomenon_tables(id),
    -- wet-en-regelgeving | informatiedeling | gelegenheidsstructuur | handelingsperspectief
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    owner_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    -- open | lopend | afgerond
    status TEXT NOT NULL DEFAULT 'open',
    due_on TEXT NOT NULL DEFAULT '',
    signal_reference TEXT NOT NULL DEFAULT '',
    signal_id BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX phenomenon_table_actions_table ON phenomenon_table_actions(table_id, id);
