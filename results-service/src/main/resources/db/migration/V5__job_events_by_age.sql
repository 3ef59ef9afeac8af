-- Retention deletes job_events by age (events.retention); this index finds the old rows without a scan.
CREATE INDEX job_events_by_created ON job_events (created_at);
