-- Every change a result message made to a job, in the order it was applied: the feed of live events
-- (server-sent, resumable by event_id) and the source of webhook deliveries. Within one tenant,
-- event ids are committed in increasing order (the writer holds a per-tenant transaction lock from
-- taking an id until commit), so a reader that has seen id N has seen every earlier event of its tenant.
CREATE TABLE job_events (
    event_id    BIGSERIAL PRIMARY KEY,
    tenant      TEXT        NOT NULL,
    job_id      TEXT        NOT NULL,
    image_id    TEXT        NOT NULL,
    type        TEXT        NOT NULL,
    status      TEXT        NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX job_events_by_tenant ON job_events (tenant, event_id);
CREATE INDEX job_events_by_job ON job_events (job_id, event_id);

-- A tenant's webhook subscriptions. The secret signs deliveries (HMAC-SHA256), so it is kept as is.
CREATE TABLE webhooks (
    webhook_id  TEXT PRIMARY KEY,
    tenant      TEXT        NOT NULL,
    url         TEXT        NOT NULL,
    event_types TEXT[]      NOT NULL,
    secret      TEXT        NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    secret_rotated_at TIMESTAMPTZ
);

CREATE INDEX webhooks_by_tenant ON webhooks (tenant, created_at);

-- The outbox: one row per (event, target), written in the transaction that applied the event, sent by
-- whichever replica claims it (FOR UPDATE SKIP LOCKED) and retried until delivered or dead. A claim
-- moves next_attempt_at one lease ahead, so a replica that dies mid-send leaves it due again.
CREATE TABLE webhook_deliveries (
    delivery_id     TEXT PRIMARY KEY,
    webhook_id      TEXT REFERENCES webhooks (webhook_id) ON DELETE CASCADE,
    tenant          TEXT        NOT NULL,
    url             TEXT        NOT NULL,
    event_id        BIGINT      NOT NULL,
    event_type      TEXT        NOT NULL,
    job_id          TEXT        NOT NULL,
    body            TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'PENDING',
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    give_up_at      TIMESTAMPTZ NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at    TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      TEXT,
    dead_reason     TEXT
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at DESC, delivery_id DESC);

-- Each try of a delivery, for GET /v1/webhooks/{id}/deliveries.
CREATE TABLE webhook_attempts (
    delivery_id TEXT        NOT NULL REFERENCES webhook_deliveries (delivery_id) ON DELETE CASCADE,
    attempt     INTEGER     NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    duration_ms INTEGER     NOT NULL,
    status      INTEGER,
    error       TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
