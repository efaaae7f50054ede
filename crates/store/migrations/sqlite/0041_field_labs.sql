-- The LIEC Field Lab Hub. The phases are the LIEC's (configurable: code, name, order; seeded
-- with the six of the hub). A field lab: title, problem statement, host region and
-- organisation, researchers, its current phase, and the knowledge item its final product
-- became. Partners: organisations with their role in the lab. Records: per phase the decisions
-- and documents. Experiments: hypothesis, the intervention type tried (from the catalogue),
-- place or target group, period, evaluation design, DPIA flag, lessons and the scaling
-- decision; indicators with baseline and result. No case data. Kept in lockstep with postgres/.
CREATE TABLE field_lab_phases (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    ordinal BIGINT NOT NULL
);
INSERT INTO field_lab_phases (code, name, ordinal) VALUES
    ('intake', 'Intake', 1), ('probleemanalyse', 'Probleemanalyse', 2), ('interventieontwerp', 'Interventieontwerp', 3),
    ('experiment', 'Experiment', 4), ('evaluatie', 'Evaluatie', 5), ('opschalen-en-delen', 'Opschalen en delen', 6);

CREATE TABLE field_labs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    problem TEXT NOT NULL,
    host_region_id BIGINT NOT NULL REFERENCES regions(id),
    host_organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    researchers TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL REFERENCES field_lab_phases(code),
    product_item_id BIGINT,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE field_lab_partners (
    lab_id BIGINT NOT NULL REFERENCES field_labs(id),
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (lab_id, organisation_id)
);

CREATE TABLE field_lab_records (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES field_labs(id),
    phase TEXT NOT NULL,
    -- besluit | document
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX field_lab_records_lab ON field_lab_records(lab_id, id);

CREATE TABLE field_lab_experiments (
    id INTEGER PRIMARY KEY,
    lab_id BIGINT NOT NULL REFERENCES field_labs(id),
    hypothesis TEXT NOT NULL,
    intervention_type TEXT NOT NULL,
    place TEXT NOT NULL,
    -- jjjj-mm-dd
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- voor-en-nameting | vergelijkingsgebied | beide
    design TEXT NOT NULL,
    dpia BOOLEAN NOT NULL DEFAULT FALSE,
    lessons TEXT NOT NULL DEFAULT '',
    -- '' | opschalen | aanpassen | stoppen
    scaling TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX field_lab_experiments_lab ON field_lab_experiments(lab_id, id);

CREATE TABLE field_lab_indicators (
    id INTEGER PRIMARY KEY,
    experiment_id BIGINT NOT NULL REFERENCES field_lab_experiments(id),
    name TEXT NOT NULL,
    baseline TEXT NOT NULL DEFAULT '',
    result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX field_lab_indicators_experiment ON field_lab_indicators(experiment_id, id);
