-- The oldest unfinished job, for the results_jobs_oldest_unfinished_age_seconds gauge: min(submitted_at)
-- over a small partial index (only QUEUED and PROCESSING rows) instead of a scan of every job.
CREATE INDEX jobs_unfinished_by_age ON jobs (submitted_at) WHERE status IN ('QUEUED', 'PROCESSING');
