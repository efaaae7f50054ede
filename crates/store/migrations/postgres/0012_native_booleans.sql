-- Native booleans: the three flags of the case reference lists were BIGINT 0/1; the other flags
-- have been BOOLEAN on PostgreSQL from the start.
ALTER TABLE legal_bases ALTER COLUMN active DROP DEFAULT;
ALTER TABLE legal_bases ALTER COLUMN active TYPE BOOLEAN USING active <> 0;
ALTER TABLE legal_bases ALTER COLUMN active SET DEFAULT TRUE;
ALTER TABLE purposes ALTER COLUMN active DROP DEFAULT;
ALTER TABLE purposes ALTER COLUMN active TYPE BOOLEAN USING active <> 0;
ALTER TABLE purposes ALTER COLUMN active SET DEFAULT TRUE;
ALTER TABLE intervention_types ALTER COLUMN active DROP DEFAULT;
ALTER TABLE intervention_types ALTER COLUMN active TYPE BOOLEAN USING active <> 0;
ALTER TABLE intervention_types ALTER COLUMN active SET DEFAULT TRUE;
