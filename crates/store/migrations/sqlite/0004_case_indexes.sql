-- Indexes for need-to-know at scale: a participant's subject search starts from its cases.
CREATE INDEX subjects_case_search ON subjects(case_id, search_key);
CREATE INDEX cases_municipality ON cases(municipality_id);
