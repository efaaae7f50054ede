-- An API token the administrator renewed points to its successor. It keeps working until its own
-- expiry (the partner has that long to install the new secret), but no longer counts as a token
-- about to expire on "Mijn werk".
ALTER TABLE api_tokens ADD COLUMN replaced_by BIGINT REFERENCES api_tokens(id);
