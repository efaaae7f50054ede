-- Subjects can be found by address: street and house number folded like a name, without spaces
-- (`Subject::address_key`: "Sint-Jansstraat 12-A" is "sintjansstraat12a"), with one partial
-- index per way of searching (a case team's region, a participant's cases), like the name key.
-- Existing rows get the key from SQL: lower case, without spaces and the usual punctuation;
-- street names with diacritics keep them (the app folds them away for new subjects).
ALTER TABLE subjects ADD COLUMN address_key TEXT NOT NULL DEFAULT '';
UPDATE subjects SET address_key = LOWER(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(street || house_number, ' ', ''), '-', ''), '.', ''), '''', ''), '/', ''))
    WHERE TRIM(street) <> '';
CREATE INDEX subjects_region_address ON subjects(region_id, address_key) WHERE address_key <> '';
CREATE INDEX subjects_case_address ON subjects(case_id, address_key) WHERE address_key <> '';
