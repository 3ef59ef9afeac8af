-- The lines DetectText read, one per line, searchable with PostgreSQL full-text search. The 'simple'
-- configuration lower-cases words without stemming: signs and labels are often not English prose.
ALTER TABLE jobs ADD COLUMN detected_text TEXT;

CREATE INDEX jobs_text_search ON jobs USING GIN (to_tsvector('simple', coalesce(detected_text, '')));
