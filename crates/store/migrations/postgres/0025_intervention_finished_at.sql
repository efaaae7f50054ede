-- When an intervention was finished (completed or stopped), as the moment it was recorded: the
-- network's figures count an intervention in the period it was finished. Interventions that were
-- finished before this column existed take their last change, the best moment known.
ALTER TABLE interventions ADD COLUMN finished_at TIMESTAMPTZ;
UPDATE interventions SET finished_at = updated_at WHERE status IN ('afgerond', 'gestopt');
CREATE INDEX interventions_finished ON interventions(finished_at) WHERE finished_at IS NOT NULL;
