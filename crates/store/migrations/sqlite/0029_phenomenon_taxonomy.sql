-- The phenomenon taxonomy the LIEC maintains (Kennisplatform Ondermijning): clusters of
-- phenomena (two levels: cluster -> phenomenon) and a separate axis of settings (buitengebied,
-- havens en logistiek, ...), because the rural area is a setting, not a crime type. Every term has
-- a Dutch and English label, synonyms (separated by ';'), a source, validity dates (YYYY-MM-DD;
-- valid_to exclusive) and what replaces it. The phenomena table (referred to by cases and desk
-- signals since 0002/0003) becomes the second level. Each region keeps its focus list, a subset
-- of the phenomena; a case may name its settings. Kept in lockstep with postgres/.
CREATE TABLE taxonomy_terms (
    id INTEGER PRIMARY KEY,
    -- cluster | setting
    axis TEXT NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    synonyms TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL DEFAULT '2020-01-01',
    valid_to TEXT,
    replaced_by BIGINT REFERENCES taxonomy_terms(id),
    ordinal BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at BIGINT,
    UNIQUE (axis, code)
);
ALTER TABLE phenomena ADD COLUMN cluster_id BIGINT REFERENCES taxonomy_terms(id);
ALTER TABLE phenomena ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE phenomena ADD COLUMN synonyms TEXT NOT NULL DEFAULT '';
ALTER TABLE phenomena ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE phenomena ADD COLUMN valid_from TEXT NOT NULL DEFAULT '2020-01-01';
ALTER TABLE phenomena ADD COLUMN valid_to TEXT;
ALTER TABLE phenomena ADD COLUMN replaced_by BIGINT REFERENCES phenomena(id);
ALTER TABLE phenomena ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE phenomena ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';
ALTER TABLE phenomena ADD COLUMN updated_at BIGINT;
CREATE INDEX phenomena_cluster ON phenomena(cluster_id);

CREATE TABLE region_phenomena (
    region_id BIGINT NOT NULL REFERENCES regions(id),
    phenomenon_id BIGINT NOT NULL REFERENCES phenomena(id),
    PRIMARY KEY (region_id, phenomenon_id)
);

CREATE TABLE case_settings (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    setting_id BIGINT NOT NULL REFERENCES taxonomy_terms(id),
    PRIMARY KEY (case_id, setting_id)
);
CREATE INDEX case_settings_s ON case_settings(setting_id, case_id);

-- The seed: the national priorities.
INSERT INTO taxonomy_terms (axis, code, name, name_en, synonyms, source, ordinal) VALUES
    ('cluster', 'drugs', 'Drugscriminaliteit', 'Drug crime', 'drugs; verdovende middelen', 'Landelijke prioriteiten ondermijning (LIEC)', 1),
    ('cluster', 'financieel', 'Financieel-economische criminaliteit', 'Financial and economic crime', 'fec; fraude; financiële criminaliteit', 'Landelijke prioriteiten ondermijning (LIEC)', 2),
    ('cluster', 'mensen', 'Mensenhandel en uitbuiting', 'Human trafficking and exploitation', 'uitbuiting', 'Landelijke prioriteiten ondermijning (LIEC)', 3),
    ('cluster', 'organisaties', 'Criminele samenwerkingsverbanden', 'Criminal organisations', 'georganiseerde criminaliteit; criminele netwerken', 'Landelijke prioriteiten ondermijning (LIEC)', 4),
    ('cluster', 'gebied', 'Gebiedsgebonden ondermijning', 'Place-based subversive crime', 'gebiedsgerichte aanpak', 'Landelijke prioriteiten ondermijning (LIEC)', 5);
INSERT INTO taxonomy_terms (axis, code, name, name_en, synonyms, source, ordinal) VALUES
    ('setting', 'buitengebied', 'Buitengebied', 'Rural area', 'platteland; agrarisch gebied; vab', 'Landelijke prioriteiten ondermijning (LIEC)', 1),
    ('setting', 'havens-logistiek', 'Havens en logistiek', 'Ports and logistics', 'haven; containers; transport; luchthaven', 'Landelijke prioriteiten ondermijning (LIEC)', 2),
    ('setting', 'vakantieparken', 'Vakantieparken', 'Holiday parks', 'recreatieparken; chalets; campings', 'Landelijke prioriteiten ondermijning (LIEC)', 3),
    ('setting', 'horeca', 'Horeca', 'Hospitality', 'cafés; restaurants; shishalounges; coffeeshops', 'Landelijke prioriteiten ondermijning (LIEC)', 4),
    ('setting', 'zorg', 'Zorg', 'Care', 'zorginstellingen; thuiszorg; beschermd wonen', 'Landelijke prioriteiten ondermijning (LIEC)', 5),
    ('setting', 'vastgoed', 'Vastgoed', 'Real estate', 'woningen; bedrijfspanden; verhuur', 'Landelijke prioriteiten ondermijning (LIEC)', 6),
    ('setting', 'bedrijventerreinen', 'Bedrijventerreinen', 'Business parks', 'industrieterrein; loodsen', 'Landelijke prioriteiten ondermijning (LIEC)', 7),
    ('setting', 'autobranche', 'Autobranche', 'Car trade', 'autohandel; garages; autoverhuur', 'Landelijke prioriteiten ondermijning (LIEC)', 8);
-- The phenomena already in use keep their id and name and get their place in the taxonomy.
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'hennepteelt', 'Georganiseerde hennepteelt', 'Organised cannabis cultivation', 'hennep; cannabis; wiet; hennepkwekerij; kwekerij; henneplokatie', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'drugs'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'synthetische-drugs', 'Synthetische drugs', 'Synthetic drugs', 'xtc; mdma; amfetamine; speed; drugslab; crystal meth; drugsafval', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'drugs'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'drugshandel', 'Drugshandel en -smokkel', 'Drug trafficking', 'cocaïne; cocaïnesmokkel; uithalers; drugstransport', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'drugs'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'witwassen', 'Witwassen en financieel-economische criminaliteit', 'Money laundering and financial crime', 'witwas; money laundering; ondergronds bankieren; contant geld; cash', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'financieel'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'vastgoed', 'Fraude en misbruik in de vastgoedsector', 'Fraud and abuse in real estate', 'vastgoedfraude; stromannen; huisjesmelkers; katvangers', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'financieel'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'zorgfraude', 'Zorgfraude', 'Healthcare fraud', 'pgb-fraude; zorgcowboys; wmo-fraude', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'financieel'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'subsidiefraude', 'Subsidiefraude', 'Subsidy fraud', 'subsidiemisbruik; fraude met subsidies', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'financieel'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'mensenhandel', 'Mensenhandel en mensensmokkel', 'Human trafficking and smuggling', 'loverboy; seksuele uitbuiting; mensensmokkel; gedwongen prostitutie', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'mensen'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'arbeidsuitbuiting', 'Arbeidsuitbuiting', 'Labour exploitation', 'arbeidsmigranten; malafide uitzendbureaus; schijnconstructies', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'mensen'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'omg', 'Outlaw motorcycle gangs (OMG''s)', 'Outlaw motorcycle gangs', 'motorbende; motorclub; outlaw motorcycle gang; omg''s', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'organisaties'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
INSERT INTO phenomena (code, name, name_en, synonyms, source, cluster_id)
    SELECT 'buitengebied', 'Ondermijning in het buitengebied', 'Subversive crime in rural areas', 'leegstaande stallen; agrarische loodsen; vrijkomende agrarische bebouwing', 'Landelijke prioriteiten ondermijning (LIEC)', id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'gebied'
    ON CONFLICT (code) DO UPDATE SET name_en = excluded.name_en, synonyms = excluded.synonyms, source = excluded.source, cluster_id = excluded.cluster_id;
-- A phenomenon somebody added outside the seed lands in its own cluster, to be placed by the LIEC.
INSERT INTO taxonomy_terms (axis, code, name, name_en, source, ordinal)
    SELECT 'cluster', 'overig', 'Overig (nog in te delen)', 'Other (to be classified)', 'Migratie van de losse fenomenen', 99
    WHERE EXISTS (SELECT 1 FROM phenomena WHERE cluster_id IS NULL);
UPDATE phenomena SET cluster_id = (SELECT id FROM taxonomy_terms WHERE axis = 'cluster' AND code = 'overig') WHERE cluster_id IS NULL;

-- Cases about crime in the rural area take place there: they get the setting too.
INSERT INTO case_settings (case_id, setting_id)
    SELECT cp.case_id, t.id FROM case_phenomena cp JOIN phenomena p ON p.id = cp.phenomenon_id
    JOIN taxonomy_terms t ON t.axis = 'setting' AND t.code = 'buitengebied' WHERE p.code = 'buitengebied';
