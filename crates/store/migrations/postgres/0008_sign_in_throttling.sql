-- Sign-in throttling that slows an attacker down without locking the owner out: attempts are of
-- a kind ('wachtwoord', 'tweede-factor', or 'geweigerd' for an attempt refused by the throttle,
-- which counts for nothing), and back-off runs per account and source address together.
ALTER TABLE login_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'wachtwoord';
CREATE INDEX login_attempts_pair ON login_attempts(username, source, kind, at);
