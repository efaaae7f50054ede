-- Composite keys keep the denormalised region of a subject and of a participant equal to their
-- case's region: (case_id, region_id) references cases(id, region_id), and a case that moves
-- region (a merge) takes them along (ON UPDATE CASCADE).
CREATE UNIQUE INDEX cases_id_region ON cases(id, region_id);
ALTER TABLE subjects ADD CONSTRAINT subjects_case_region_fkey FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE;
ALTER TABLE case_participants ADD CONSTRAINT case_participants_case_region_fkey FOREIGN KEY (case_id, region_id) REFERENCES cases(id, region_id) ON UPDATE CASCADE;
