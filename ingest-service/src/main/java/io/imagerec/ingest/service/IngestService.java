package io.imagerec.ingest.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.client.MessageQueues;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.orphans.OrphanSweeper;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Accepts an upload: validates it before anything is stored, stores the image, enqueues the job and
 * reports it QUEUED. An upload is acknowledged (202) only once its job is durably on the queue; when
 * S3 or SQS fails the caller gets 503. The image is removed after a failed enqueue only when SQS
 * certainly did not store the job; when the outcome is unknown (a timeout after the request was sent)
 * it is kept, since the job may run, and the {@link OrphanSweeper} removes it later if the job never
 * shows up.
 *
 * <p>With an Idempotency-Key the upload is first recorded in S3 with a conditional write, so that of
 * concurrent retries exactly one goes on; the others get the first one's answer once it is accepted,
 * 409 while it is in progress, and a retry after a failure finishes the same upload with the same ids.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);
    /** Features the engine answers today; the others are refused rather than silently ignored. */
    static final Set<Feature> SUPPORTED = EnumSet.of(Feature.LABELS, Feature.IMAGE_PROPERTIES, Feature.TEXT, Feature.FACES);
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final String JSON = "application/json";

    private final ImageStore images;
    private final MessageQueues queues;
    private final OrphanSweeper orphans;
    private final IngestConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    public IngestService(ImageStore images, MessageQueues queues, OrphanSweeper orphans, IngestConfig config,
            ObjectMapper json) {
        this.images = images;
        this.queues = queues;
        this.orphans = orphans;
        this.config = config;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    /**
     * The outcome of claiming an idempotency record: owned by this request (with the ETag it was
     * written with), or {@code finished} by an earlier request with the same upload.
     */
    private record Claim(String key, IdempotencyRecord record, String etag, UploadReceipt finished) {

        static Claim owned(String key, IdempotencyRecord record, String etag) {
            return new Claim(key, record, etag, null);
        }

        static Claim finished(UploadReceipt receipt) {
            return new Claim(null, null, null, receipt);
        }
    }

    public UploadReceipt accept(UploadRequest upload) {
        validateOptions(upload);
        String contentType = validateImage(upload.bytes());
        Instant now = clock.instant();
        List<Feature> features = upload.features().isEmpty() ? List.of(Feature.LABELS) : upload.features();
        UploadReceipt fresh = receipt(JobIds.next(now), JobIds.next(now));
        if (upload.idempotencyKey() == null) {
            return enqueue(upload, fresh, features, contentType, now, false);
        }
        IdempotencyRecord mine = new IdempotencyRecord(IdempotencyRecord.PENDING, fingerprint(upload, features), fresh,
                now.plus(config.idempotency().lease()));
        String recordKey = idempotencyRecordKey(upload);
        Claim claim = claim(recordKey, mine, now);
        if (claim.finished() != null) {
            return claim.finished();
        }
        try {
            UploadReceipt receipt = enqueue(upload, claim.record().receipt(), features, contentType, now, true);
            settle(claim, claim.record().accept());
            return receipt;
        } catch (IngestException e) {
            // The lease ends now, so the client's retry takes the upload over at once.
            settle(claim, claim.record().leasedUntil(now));
            throw e;
        }
    }

    /**
     * Makes the record this request's: written if absent; taken over if it is PENDING with an expired
     * lease; otherwise the upload is finished (its receipt), in progress (409) or another one (422).
     */
    private Claim claim(String recordKey, IdempotencyRecord mine, Instant now) {
        try {
            return Claim.owned(recordKey, mine, images.putIfAbsent(recordKey, write(mine), JSON));
        } catch (ImageStore.ConditionFailedException e) {
            // Someone else wrote it first: see what it says.
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable; nothing was stored", e);
        }
        ImageStore.Versioned existing;
        try {
            existing = images.get(recordKey).orElseThrow(() -> inUse(config.idempotency().lease()));
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable", e);
        }
        IdempotencyRecord theirs = read(existing.bytes());
        if (theirs != null && !theirs.fingerprint().equals(mine.fingerprint())) {
            throw new IngestException(422, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used for a different upload (another image or other options)");
        }
        if (theirs != null && theirs.accepted()) {
            return Claim.finished(theirs.receipt());
        }
        if (theirs != null && theirs.leaseUntil() != null && theirs.leaseUntil().isAfter(now)) {
            throw inUse(Duration.between(now, theirs.leaseUntil()));
        }
        IdempotencyRecord takeover = theirs == null ? mine : theirs.leasedUntil(mine.leaseUntil());
        try {
            return Claim.owned(recordKey, takeover, images.replace(recordKey, write(takeover), JSON, existing.etag()));
        } catch (ImageStore.ConditionFailedException e) {
            throw inUse(config.idempotency().lease());
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable", e);
        }
    }

    /** Stores the image and enqueues its job; the receipt once the job is on the queue. */
    private UploadReceipt enqueue(UploadRequest upload, UploadReceipt receipt, List<Feature> features, String contentType,
            Instant now, boolean keyed) {
        String key = "images/" + upload.tenant() + "/" + receipt.imageId();
        RecognitionJob job = new RecognitionJob(RecognitionJob.SCHEMA, receipt.jobId(), receipt.imageId(),
                upload.tenant(), images.bucket(), key, features, upload.minConfidence(), upload.maxLabels(), now,
                Map.of());
        try {
            images.put(key, upload.bytes(), contentType);
        } catch (SdkException e) {
            throw unavailable("STORAGE_UNAVAILABLE", "The image store is unavailable; nothing was stored", e);
        }
        try {
            queues.sendJob(write(job));
        } catch (SdkException e) {
            if (!keyed && SendOutcomes.certainlyNotSent(e)) {
                deleteQuietly(key);
            } else {
                // The job may have been stored and will read the image (and a keyed retry reuses it): keep it,
                // and leave a marker for the sweeper, which removes it if the job never shows up.
                LOG.warnf("Job %s may or may not be on the queue (%s); its image %s is kept", receipt.jobId(),
                        SendOutcomes.describe(e), key);
                orphans.mark(upload.tenant(), receipt.imageId(), receipt.jobId(), key);
            }
            throw unavailable("QUEUE_UNAVAILABLE", "The job queue is unavailable; the upload was not accepted", e);
        }
        try {
            queues.sendStatus(write(RecognitionResult.status(job, JobStatus.QUEUED, 0, now)));
        } catch (SdkException e) {
            // The job is durable; results-service answers QUEUED for its recent id until its events arrive.
            LOG.warnf("Job %s is queued but its QUEUED status event could not be sent: %s", receipt.jobId(),
                    e.getMessage());
        }
        return receipt;
    }

    /** Writes the record's new state if this request still owns it; a failure only costs a later retry. */
    private void settle(Claim claim, IdempotencyRecord next) {
        try {
            images.replace(claim.key(), write(next), JSON, claim.etag());
        } catch (ImageStore.ConditionFailedException | SdkException e) {
            LOG.warnf("Idempotency record %s could not be set to %s: %s", claim.key(), next.state(), e.getMessage());
        }
    }

    private IngestException inUse(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new IngestException(409, "IDEMPOTENCY_KEY_IN_USE",
                "An upload with this Idempotency-Key is in progress; retry after Retry-After seconds",
                (int) Math.min(Integer.MAX_VALUE, seconds), null);
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

    private IdempotencyRecord read(byte[] bytes) {
        try {
            return json.readValue(bytes, IdempotencyRecord.class);
        } catch (IOException e) {
            LOG.warnf("An unreadable idempotency record is taken over: %s", e.getMessage());
            return null;
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

    private String write(RecognitionJob job) {
        return new String(write((Object) job), StandardCharsets.UTF_8);
    }

    private String write(RecognitionResult result) {
        return new String(write((Object) result), StandardCharsets.UTF_8);
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("could not be written as JSON", e);
        }
    }

    private static String idempotencyRecordKey(UploadRequest upload) {
        return "idempotency/" + upload.tenant() + "/" + sha256(upload.idempotencyKey());
    }

    /** What makes two uploads the same upload: the image's bytes and the options. */
    private static String fingerprint(UploadRequest upload, List<Feature> features) {
        MessageDigest digest = sha256();
        digest.update(upload.bytes());
        digest.update(("\n" + features.stream().map(Enum::name).sorted().toList() + "\n" + upload.minConfidence()
                + "\n" + upload.maxLabels()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
