-- How many faces DetectFaces found, for "images with N faces" queries; NULL when FACES was not asked for.
ALTER TABLE jobs ADD COLUMN face_count INTEGER;

CREATE INDEX jobs_face_count ON jobs (tenant, face_count, submitted_at DESC, job_id DESC)
    WHERE face_count IS NOT NULL;
