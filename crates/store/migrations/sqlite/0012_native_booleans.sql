-- Native booleans. The flags were INTEGER 0/1 on SQLite (and three BIGINT on PostgreSQL)
-- because the Any driver the store used could not read SQLite's BOOLEAN. Each SQLite column is
-- replaced by a BOOLEAN one with the same values (a column cannot change its declared type in
-- place); the values stay 0/1, which is how SQLite stores TRUE and FALSE.

ALTER TABLE regions ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE regions SET active_bool = (active <> 0);
ALTER TABLE regions DROP COLUMN active;
ALTER TABLE regions RENAME COLUMN active_bool TO active;

ALTER TABLE organisations ADD COLUMN national_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE organisations SET national_bool = (national <> 0);
ALTER TABLE organisations DROP COLUMN national;
ALTER TABLE organisations RENAME COLUMN national_bool TO national;

ALTER TABLE organisations ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE organisations SET active_bool = (active <> 0);
ALTER TABLE organisations DROP COLUMN active;
ALTER TABLE organisations RENAME COLUMN active_bool TO active;

ALTER TABLE users ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE users SET active_bool = (active <> 0);
ALTER TABLE users DROP COLUMN active;
ALTER TABLE users RENAME COLUMN active_bool TO active;

ALTER TABLE users ADD COLUMN must_change_password_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET must_change_password_bool = (must_change_password <> 0);
ALTER TABLE users DROP COLUMN must_change_password;
ALTER TABLE users RENAME COLUMN must_change_password_bool TO must_change_password;

ALTER TABLE users ADD COLUMN demo_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET demo_bool = (demo <> 0);
ALTER TABLE users DROP COLUMN demo;
ALTER TABLE users RENAME COLUMN demo_bool TO demo;

ALTER TABLE login_attempts ADD COLUMN success_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE login_attempts SET success_bool = (success <> 0);
ALTER TABLE login_attempts DROP COLUMN success;
ALTER TABLE login_attempts RENAME COLUMN success_bool TO success;

ALTER TABLE ministries ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE ministries SET active_bool = (active <> 0);
ALTER TABLE ministries DROP COLUMN active;
ALTER TABLE ministries RENAME COLUMN active_bool TO active;

ALTER TABLE policy_signals ADD COLUMN personal_data_confirmed_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE policy_signals SET personal_data_confirmed_bool = (personal_data_confirmed <> 0);
ALTER TABLE policy_signals DROP COLUMN personal_data_confirmed;
ALTER TABLE policy_signals RENAME COLUMN personal_data_confirmed_bool TO personal_data_confirmed;

ALTER TABLE policy_signal_messages ADD COLUMN from_desk_bool BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE policy_signal_messages SET from_desk_bool = (from_desk <> 0);
ALTER TABLE policy_signal_messages DROP COLUMN from_desk;
ALTER TABLE policy_signal_messages RENAME COLUMN from_desk_bool TO from_desk;

ALTER TABLE legal_bases ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE legal_bases SET active_bool = (active <> 0);
ALTER TABLE legal_bases DROP COLUMN active;
ALTER TABLE legal_bases RENAME COLUMN active_bool TO active;

ALTER TABLE purposes ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE purposes SET active_bool = (active <> 0);
ALTER TABLE purposes DROP COLUMN active;
ALTER TABLE purposes RENAME COLUMN active_bool TO active;

ALTER TABLE intervention_types ADD COLUMN active_bool BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE intervention_types SET active_bool = (active <> 0);
ALTER TABLE intervention_types DROP COLUMN active;
ALTER TABLE intervention_types RENAME COLUMN active_bool TO active;
