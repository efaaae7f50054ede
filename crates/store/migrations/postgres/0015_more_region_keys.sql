-- The other denormalised regions held to their source, as 0013 did for subjects and
-- participants: a subject's blocking keys and its encoding carry the subject's region, a case's
-- place in a national approach its case's region; a region merge carries them along
-- (ON UPDATE CASCADE).
CREATE UNIQUE INDEX subjects_id_region ON subjects(id, region_id);
ALTER TABLE subject_match_keys ADD CONSTRAINT subject_match_keys_subject_region_fkey FOREIGN KEY (subject_id, region_id) REFERENCES subjects(id, region_id) ON UPDATE CASCADE;
ALTER TABLE subject_encodings ADD CONSTRAINT subject_encodings_subject_region_fkey FOREIGN KEY (subject_id, region_id) REFERENCES subjects(id, region_id) ON UPDATE CASCADE;
ALTER TABLE national_approach_cases ADD CONSTRAINT national_approach_cases_case_region_fkey FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE;
