-- Code Geel, the LIEC's digital magazine: editions (number per year, theme, theme issue, an
-- introduction; concept | gepubliceerd with the day of publication) and their articles (lead,
-- body, credits, themes as phenomenon codes of the taxonomy, audience openbaar | netwerk, an
-- order). Kept in lockstep with postgres/.
CREATE TABLE magazine_editions (
    id INTEGER PRIMARY KEY,
    number BIGINT NOT NULL,
    year BIGINT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    theme_issue BOOLEAN NOT NULL DEFAULT FALSE,
    introduction TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'concept',
    -- jjjj-mm-dd or ''
    published_on TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, number)
);

CREATE TABLE magazine_articles (
    id INTEGER PRIMARY KEY,
    edition_id BIGINT NOT NULL REFERENCES magazine_editions(id),
    ordinal BIGINT NOT NULL,
    title TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    credits TEXT NOT NULL DEFAULT '',
    themes TEXT NOT NULL DEFAULT '',
    audience TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX magazine_articles_edition ON magazine_articles(edition_id, ordinal);
