-- Indexes for GET /v1/jobs (search) and GET /v1/labels (facets). Every page of a search is a LIMIT over
-- an index scan already in (submitted_at DESC, job_id DESC) order, with the other filters applied to the
-- rows it reads, so a page never sorts all the matches (SearchRepository chooses the driving index).

-- No filter, or only text, faces and dates: a tenant's jobs newest first.
CREATE INDEX jobs_newest ON jobs (tenant, submitted_at DESC, job_id DESC);

-- A status, with or without text, faces and dates.
CREATE INDEX jobs_by_status ON jobs (tenant, status, submitted_at DESC, job_id DESC);

-- Label facets: a tenant's label names from a prefix on (byte order, so a prefix is one range), with the
-- confidence in the index, so that it is checked there (and, once vacuumed, read without the table).
CREATE INDEX job_labels_facets ON job_labels (tenant, name COLLATE "C", confidence);
