-- DetectModerationLabels' answer of jobs that asked for MODERATION, and one row per moderation label (a
-- top-level category and its second-level labels each have their own row, as Rekognition lists them), so
-- "images flagged Explicit Nudity above 60" is an index lookup like "images with a Dog above 80".
ALTER TABLE jobs ADD COLUMN moderation_labels JSONB;

CREATE TABLE job_moderation_labels (
    job_id       TEXT        NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    tenant       TEXT        NOT NULL,
    image_id     TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    parent_name  TEXT        NOT NULL,
    confidence   REAL        NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_id, name)
);

CREATE INDEX job_moderation_labels_by_name ON job_moderation_labels (tenant, name, submitted_at DESC, job_id DESC);
