package io.imagerec.ingest.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of ingest-service; each is listed in the README's configuration table. */
@ConfigMapping(prefix = "ingest")
public interface IngestConfig {

    /** Bucket that holds uploaded images under {@code images/<tenant>/<imageId>}. */
    @WithDefault("images")
    String bucket();

    /** Queue of recognition jobs: its URL, or its name to look the URL up. */
    Queue jobs();

    /** Queue of status events and results (ingest reports QUEUED there). */
    Queue results();

    /** Queue of S3 event notifications for direct uploads (prefix {@code direct/} of the bucket). */
    Queue uploadEvents();

    DirectUploads directUploads();

    Backfills backfills();

    interface Backfills {
        /** Jobs per second a backfill enqueues when its request names no rate. */
        @WithDefault("50")
        int defaultRate();

        /** The highest rate a backfill may ask for. */
        @WithDefault("500")
        int maxRate();

        /** How long a replica owns a running backfill without writing a step; then another takes it over. */
        @WithDefault("30S")
        Duration lease();

        /** Backfills running at once per tenant; more are refused with 429. */
        @WithDefault("4")
        int maxRunningPerTenant();

        /** The only buckets backfills may read, when set; the images bucket itself never. */
        Optional<List<String>> allowedBuckets();

        /** How often running backfills whose runner died are looked for (and at start-up). */
        @WithDefault("15S")
        String resumeEvery();
    }

    interface DirectUploads {
        /** How long a presigned upload URL stays valid. */
        @WithDefault("15M")
        Duration urlTtl();

        /**
         * S3 as the uploading client reaches it, named in presigned URLs; unset: the endpoint ingest
         * itself uses (quarkus.s3.endpoint-override, or AWS).
         */
        Optional<String> s3Endpoint();
    }

    /** Largest accepted upload in bytes: Rekognition's limit for images read from S3. */
    @WithDefault("15728640")
    long maxImageBytes();

    /** Base URL of ingest-service as clients reach it, for the links of direct uploads and backfills. */
    @WithDefault("http://localhost:8080")
    String baseUrl();

    /** Base URL of results-service, for the links in an upload's answer. */
    @WithDefault("http://localhost:8081")
    String resultsBaseUrl();

    /**
     * results-service as ingest itself reaches it (the orphan sweeper asks it about jobs), where that is
     * not {@link #resultsBaseUrl()}, e.g. in docker-compose.yml; unset: {@link #resultsBaseUrl()}.
     */
    Optional<String> resultsInternalUrl();

    /** Seconds a client is told to wait (Retry-After) when S3 or SQS is unavailable. */
    @WithDefault("5")
    int retryAfterSeconds();

    /**
     * How long a message waits for others to the same queue before it is sent: those sent within the
     * window leave in one SendMessageBatch call (at most 10).
     */
    @WithDefault("5MS")
    Duration sendBatchWindow();

    /**
     * The longest a send may take, batching and the SDK's own attempts included. The SDK's api-call
     * timeout bounds each batch call, but not a future its batch manager never completes; past this
     * deadline the send fails as a timeout, whose outcome counts as unknown (the image is kept).
     */
    @WithDefault("20S")
    Duration sendDeadline();

    Idempotency idempotency();

    /** Images kept after an enqueue whose outcome was unknown, and removed once certainly orphaned. */
    Orphans orphans();

    interface Orphans {
        /**
         * How old a kept image's marker must be before its job is looked up: longer than the jobs queue
         * keeps a message (SQS: at most 14 days), so a job still waiting cannot lose its image.
         */
        @WithDefault("15D")
        Duration grace();

        /** How often the markers are swept. */
        @WithDefault("1H")
        String sweepEvery();
    }

    interface Idempotency {
        /**
         * How long a request owns an Idempotency-Key while it stores and enqueues; a retry during it gets
         * 409, and after it (the owner failed or died) takes the upload over.
         */
        @WithDefault("60S")
        Duration lease();
    }

    interface Queue {
        Optional<String> url();

        String name();
    }
}
