-- The network's annual report (jaarverslag): the LIEC adopts a year's figures, and from then on
-- the report shows them as they were at adoption. The snapshot holds the protected tables (JSON,
-- hidden values as null); corrections to the case files afterwards do not change it.
CREATE TABLE annual_reports (
    year INTEGER PRIMARY KEY,
    foreword TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    adopted_by TEXT NOT NULL,
    adopted_at BIGINT NOT NULL
);
