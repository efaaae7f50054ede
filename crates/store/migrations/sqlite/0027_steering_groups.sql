-- What a steering group sets and decides: objectives for a year (a target on one of the
-- network's measures, e.g. cases opened or signals about a phenomenon) and the decision log of
-- its meetings. A regional stuurgroep's rows carry its region; the Stuurgroep LIEC's have none.
CREATE TABLE steering_objectives (
    id INTEGER PRIMARY KEY,
    region_id BIGINT REFERENCES regions(id),
    year BIGINT NOT NULL,
    measure TEXT NOT NULL,
    target BIGINT NOT NULL,
    description TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX steering_objectives_board ON steering_objectives(region_id, year);

CREATE TABLE steering_decisions (
    id INTEGER PRIMARY KEY,
    region_id BIGINT REFERENCES regions(id),
    decided_on TEXT NOT NULL,
    decision TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX steering_decisions_board ON steering_decisions(region_id, decided_on);
