-- 100,000 jobs over five tenants (40/25/15/10/10 %), for SearchPlanTest. Job i (1..100000) has:
--   tenant       plan-t0..plan-t4 by i % 20 (0-7 t0, 8-12 t1, 13-15 t2, 16-17 t3, 18-19 t4)
--   status       FAILED (i % 10 = 0), QUEUED (1), PROCESSING (2), else SUCCEEDED
--   submitted_at 2026-01-01 + (i / 2) * 7 minutes: two jobs share each time (the job id breaks the tie)
--   face_count   NULL when i % 5 = 0 (FACES not asked for), else i % 7
--   text         'No parking zone' (i % 8 = 0), 'Public parking <i % 100>' (3), 'EXIT only' (5), else none
--   labels       (SUCCEEDED jobs only) Dog (i % 3 = 0) and Cat (1) at 50 + i % 50, Animal (i % 3 < 2) at 90,
--                Car (i % 11 = 0) at 70, Document (i % 17 = 0) at 60 + i % 40, Doorway (i % 29 = 0) at 99,
--                Thing<i % 500> at 55
-- SearchPlanTest computes the expected answers from these same rules. jobs.labels (the Rekognition JSON of
-- GET /v1/jobs/{id}) stays empty: search reads job_labels.
INSERT INTO jobs (job_id, image_id, tenant, status, status_rank, attempt, submitted_at, updated_at, completed_at,
                  detected_text, face_count)
SELECT 'plan-' || lpad(i::text, 6, '0'),
       'img-plan-' || lpad(i::text, 6, '0'),
       'plan-t' || (CASE WHEN i % 20 < 8 THEN 0 WHEN i % 20 < 13 THEN 1 WHEN i % 20 < 16 THEN 2
                         WHEN i % 20 < 18 THEN 3 ELSE 4 END),
       s.status,
       CASE s.status WHEN 'QUEUED' THEN 0 WHEN 'PROCESSING' THEN 1 ELSE 2 END,
       1,
       t.at,
       t.at + interval '30 seconds',
       CASE WHEN s.status IN ('SUCCEEDED', 'FAILED') THEN t.at + interval '30 seconds' END,
       CASE i % 8 WHEN 0 THEN 'No parking zone' WHEN 3 THEN 'Public parking ' || (i % 100) WHEN 5 THEN 'EXIT only' END,
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 7 END
FROM generate_series(1, 100000) AS i
CROSS JOIN LATERAL (SELECT CASE i % 10 WHEN 0 THEN 'FAILED' WHEN 1 THEN 'QUEUED' WHEN 2 THEN 'PROCESSING'
                                       ELSE 'SUCCEEDED' END AS status) s
CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 00:00:00+00' + (i / 2) * interval '7 minutes' AS at) t;

INSERT INTO job_labels (job_id, tenant, image_id, name, confidence, submitted_at)
SELECT j.job_id, j.tenant, j.image_id, l.name, l.confidence, j.submitted_at
FROM jobs j
CROSS JOIN LATERAL (SELECT substr(j.job_id, 6)::int AS i) n
CROSS JOIN LATERAL (VALUES
        ('Dog', n.i % 3 = 0, 50 + n.i % 50),
        ('Cat', n.i % 3 = 1, 50 + n.i % 50),
        ('Animal', n.i % 3 < 2, 90),
        ('Car', n.i % 11 = 0, 70),
        ('Document', n.i % 17 = 0, 60 + n.i % 40),
        ('Doorway', n.i % 29 = 0, 99),
        ('Thing' || (n.i % 500), true, 55)) AS l(name, present, confidence)
WHERE j.tenant LIKE 'plan-t%' AND j.status = 'SUCCEEDED' AND l.present;

