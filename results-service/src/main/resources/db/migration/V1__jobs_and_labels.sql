-- One row per job; a status only moves forward (status_rank), and a terminal status is final.
CREATE TABLE jobs (
    job_id           TEXT PRIMARY KEY,
    image_id         TEXT        NOT NULL,
    tenant           TEXT        NOT NULL,
    status           TEXT        NOT NULL,
    status_rank      SMALLINT    NOT NULL,
    error_code       TEXT,
    error_message    TEXT,
    labels           JSONB,
    image_properties JSONB,
    face_details     JSONB,
    text_detections  JSONB,
    model_version    TEXT,
    engine           TEXT,
    attempt          INTEGER     NOT NULL DEFAULT 0,
    submitted_at     TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL,
    completed_at     TIMESTAMPTZ
);

CREATE INDEX jobs_by_image ON jobs (tenant, image_id, submitted_at DESC);

-- Labels of succeeded jobs, so "images with a Dog above 80" is an index lookup.
CREATE TABLE job_labels (
    job_id       TEXT        NOT NULL REFERENCES jobs (job_id) ON DELETE CASCADE,
    tenant       TEXT        NOT NULL,
    image_id     TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    confidence   REAL        NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_id, name)
);

CREATE INDEX job_labels_by_name ON job_labels (tenant, name, submitted_at DESC, job_id DESC);
