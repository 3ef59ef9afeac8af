package io.imagerec.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.client.MessageQueues;
import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Accepts an upload: validates it before anything is stored, stores the image, enqueues the job and
 * reports it QUEUED. An upload is acknowledged only once its job is durably on the queue; when S3 or
 * SQS fails the caller gets 503 and nothing half-done is left behind to be lost silently.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    /** Features the engine answers today; the others are refused rather than silently ignored. */
    static final Set<Feature> SUPPORTED = EnumSet.of(Feature.LABELS, Feature.IMAGE_PROPERTIES, Feature.TEXT, Feature.FACES);
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    private final ImageStore images;
    private final MessageQueues queues;
    private final IngestConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public IngestService(ImageStore images, MessageQueues queues, IngestConfig config, ObjectMapper json) {
        this.images = images;
        this.queues = queues;
        this.config = config;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    public UploadReceipt accept(UploadRequest upload) {
        validateOptions(upload);
        String recordKey = upload.idempotencyKey() == null ? null : idempotencyRecordKey(upload);
        if (recordKey != null) {
            UploadReceipt earlier = earlierReceipt(recordKey);
            if (earlier != null) {
                return earlier;
            }
        }
        String contentType = validateImage(upload.bytes());

        String imageId = upload.idempotencyKey() == null ? UUID.randomUUID().toString()
                : nameUuid(upload.tenant(), upload.idempotencyKey(), "image");
        String jobId = upload.idempotencyKey() == null ? UUID.randomUUID().toString()
                : nameUuid(upload.tenant(), upload.idempotencyKey(), "job");
        String key = "images/" + upload.tenant() + "/" + imageId;
        Instant now = clock.instant();
        List<Feature> features = upload.features().isEmpty() ? List.of(Feature.LABELS) : upload.features();
        RecognitionJob job = new RecognitionJob(RecognitionJob.SCHEMA, jobId, imageId, upload.tenant(),
                images.bucket(), key, features, upload.minConfidence(), upload.maxLabels(), now, Map.of());

        try {
            images.put(key, upload.bytes(), contentType);
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable; nothing was stored", e);
        }
        try {
            queues.sendJob(write(job));
        } catch (SdkException e) {
            deleteQuietly(key);
            throw unavailable("QUEUE_UNAVAILABLE", "The job queue is unavailable; the upload was not accepted", e);
        }
        try {
            queues.sendStatus(write(RecognitionResult.status(job, JobStatus.QUEUED, 0, now)));
        } catch (SdkException e) {
            // The job is durable; its status appears once a worker reports PROCESSING.
            LOG.warnf("Job %s is queued but its QUEUED status event could not be sent: %s", jobId, e.getMessage());
        }
        UploadReceipt receipt = receipt(jobId, imageId);
        if (recordKey != null) {
            try {
                images.put(recordKey, json.writeValueAsBytes(receipt), "application/json");
            } catch (SdkException | IOException e) {
                // A retry then creates a job with the same (derived) ids, which results-service deduplicates.
                LOG.warnf("Idempotency record for job %s could not be stored: %s", jobId, e.getMessage());
            }
        }
        return receipt;
    }

    private void validateOptions(UploadRequest upload) {
        for (Feature f : upload.features()) {
            if (!SUPPORTED.contains(f)) {
                throw new IngestException(400, "UNSUPPORTED_FEATURE",
                        "Feature " + f + " is not available yet; supported: " + SUPPORTED);
            }
        }
        if (upload.minConfidence() != null && (upload.minConfidence() < 0 || upload.minConfidence() > 100)) {
            throw new IngestException(400, "INVALID_PARAMETER", "minConfidence must be from 0 to 100");
        }
        if (upload.maxLabels() != null && (upload.maxLabels() < 1 || upload.maxLabels() > 1000)) {
            throw new IngestException(400, "INVALID_PARAMETER", "maxLabels must be from 1 to 1000");
        }
        String key = upload.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            throw new IngestException(400, "INVALID_IDEMPOTENCY_KEY",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces");
        }
    }

    /** Checks emptiness, size and the real format (magic bytes) before anything is stored. */
    String validateImage(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IngestException(400, "EMPTY_IMAGE", "The upload is empty");
        }
        if (bytes.length > config.maxImageBytes()) {
            throw new IngestException(413, "IMAGE_TOO_LARGE",
                    "The image is " + bytes.length + " bytes; at most " + config.maxImageBytes() + " are accepted");
        }
        String type = ImageFormats.sniff(bytes);
        if (type == null) {
            throw new IngestException(415, "UNSUPPORTED_IMAGE_TYPE", "Only JPEG and PNG images are accepted");
        }
        return type;
    }

    private UploadReceipt earlierReceipt(String recordKey) {
        try {
            return images.get(recordKey).map(bytes -> {
                try {
                    return json.readValue(bytes, UploadReceipt.class);
                } catch (IOException e) {
                    LOG.warnf("Unreadable idempotency record %s is ignored: %s", recordKey, e.getMessage());
                    return null;
                }
            }).orElse(null);
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable", e);
        }
    }

    private UploadReceipt receipt(String jobId, String imageId) {
        String base = config.resultsBaseUrl().replaceAll("/+$", "");
        return new UploadReceipt(jobId, imageId, JobStatus.QUEUED.name(),
                Map.of("job", base + "/v1/jobs/" + jobId, "image", base + "/v1/images/" + imageId));
    }

    private IngestException unavailable(String code, String message, SdkException cause) {
        LOG.warnf("%s: %s", code, cause.getMessage());
        return new IngestException(503, code, message, config.retryAfterSeconds(), cause);
    }

    private void deleteQuietly(String key) {
        try {
            images.delete(key);
        } catch (SdkException e) {
            LOG.warnf("Could not remove %s after a failed enqueue: %s", key, e.getMessage());
        }
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("message could not be written", e);
        }
    }

    private static String idempotencyRecordKey(UploadRequest upload) {
        return "idempotency/" + upload.tenant() + "/" + sha256(upload.idempotencyKey());
    }

    private static String nameUuid(String tenant, String idempotencyKey, String kind) {
        return UUID.nameUUIDFromBytes((tenant + "\n" + idempotencyKey + "\n" + kind).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
