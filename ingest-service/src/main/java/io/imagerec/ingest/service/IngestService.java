package io.imagerec.ingest.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.aws.trace.JobTracing;
import io.imagerec.contracts.JobIds;
import io.imagerec.contracts.JobStatus;
import io.imagerec.contracts.RecognitionJob;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.orphans.OrphanSweeper;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
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
    private static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    private static final String JSON = "application/json";

    private final ImageStore images;
    private final JobSubmitter jobs;
    private final OrphanSweeper orphans;
    private final IngestConfig config;
    private final JsonRecords records;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final DistributionSummary uploadBytes;

    public IngestService(ImageStore images, JobSubmitter jobs, OrphanSweeper orphans, IngestConfig config,
            JsonRecords records, MeterRegistry metrics) {
        this.metrics = metrics;
        this.uploadBytes = DistributionSummary.builder("ingest.upload.size").baseUnit("bytes")
                .description("Size of accepted uploads").publishPercentileHistogram()
                .minimumExpectedValue(1024.0).maximumExpectedValue(16.0 * 1024 * 1024).register(metrics);
        this.images = images;
        this.jobs = jobs;
        this.orphans = orphans;
        this.config = config;
        this.records = records;
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

    /**
     * Counts every upload by its end ({@code ingest.uploads}: {@code accepted}, or the error code it was
     * refused with) and the sizes of the accepted ones ({@code ingest.upload.size}).
     */
    public Uni<UploadReceipt> accept(UploadRequest upload) {
        int bytes = upload.body() == null ? 0 : upload.body().remaining();
        return acceptUncounted(upload)
                .onItemOrFailure().invoke((receipt, failure) -> {
                    String result = failure == null ? "accepted"
                            : failure instanceof IngestException e ? e.code() : "error";
                    metrics.counter("ingest.uploads", "result", result).increment();
                    if (failure == null) {
                        uploadBytes.record(bytes);
                    }
                });
    }

    private Uni<UploadReceipt> acceptUncounted(UploadRequest upload) {
        return Uni.createFrom().deferred(() -> {
            JobOptions options = upload.options().validated();
            validateIdempotencyKey(upload.idempotencyKey());
            String contentType = validateImage(upload.body());
            Instant now = clock.instant();
            UploadReceipt fresh = receipt(JobIds.next(now), JobIds.next(now));
            if (upload.idempotencyKey() == null) {
                return enqueue(upload, fresh, contentType, now, false);
            }
            IdempotencyRecord mine = new IdempotencyRecord(IdempotencyRecord.PENDING, fingerprint(upload), fresh,
                    now.plus(config.idempotency().lease()));
            String recordKey = idempotencyRecordKey(upload);
            return claim(recordKey, mine, now).chain(claim -> {
                if (claim.finished() != null) {
                    return Uni.createFrom().item(claim.finished());
                }
                return enqueue(upload, claim.record().receipt(), contentType, now, true)
                        .call(() -> settle(claim, claim.record().accept()))
                        // The lease ends now, so the client's retry takes the upload over at once.
                        .onFailure(IngestException.class).call(() -> settle(claim, claim.record().leasedUntil(now)));
            });
        });
    }

    /**
     * Makes the record this request's: written if absent; taken over if it is PENDING with an expired
     * lease; otherwise the upload is finished (its receipt), in progress (409) or another one (422).
     */
    private Uni<Claim> claim(String recordKey, IdempotencyRecord mine, Instant now) {
        return images.putIfAbsent(recordKey, json(mine), JSON)
                .map(etag -> Claim.owned(recordKey, mine, etag))
                .onFailure(ImageStore.ConditionFailedException.class)
                .recoverWithUni(() -> images.get(recordKey)
                        .onFailure(SdkException.class).transform(storageUnavailable("The image store is unavailable"))
                        .chain(existing -> existing.isEmpty() ? Uni.createFrom().failure(inUse(config.idempotency()
                                .lease())) : decide(recordKey, existing.get(), mine, now)))
                .onFailure(SdkException.class)
                        .transform(storageUnavailable("The image store is unavailable; nothing was stored"));
    }

    private Uni<Claim> decide(String recordKey, ImageStore.Versioned existing, IdempotencyRecord mine, Instant now) {
        IdempotencyRecord theirs = read(existing.bytes());
        if (theirs != null && !theirs.fingerprint().equals(mine.fingerprint())) {
            throw new IngestException(422, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used for a different upload (another image or other options)");
        }
        if (theirs != null && theirs.accepted()) {
            return Uni.createFrom().item(Claim.finished(theirs.receipt()));
        }
        if (theirs != null && theirs.leaseUntil() != null && theirs.leaseUntil().isAfter(now)) {
            throw inUse(Duration.between(now, theirs.leaseUntil()));
        }
        IdempotencyRecord takeover = theirs == null ? mine : theirs.leasedUntil(mine.leaseUntil());
        return images.replace(recordKey, json(takeover), JSON, existing.etag())
                .map(etag -> Claim.owned(recordKey, takeover, etag))
                .onFailure(ImageStore.ConditionFailedException.class)
                .transform(e -> inUse(config.idempotency().lease()));
    }

    /** Stores the image and enqueues its job; the receipt once the job is on the queue. */
    private Uni<UploadReceipt> enqueue(UploadRequest upload, UploadReceipt receipt, String contentType, Instant now,
            boolean keyed) {
        String key = "images/" + upload.tenant() + "/" + receipt.imageId();
        // The request's logs and its span name the job and tenant (no key, no secret).
        JobTracing.putMdc(receipt.jobId(), upload.tenant());
        Span.current().setAttribute("imagerec.job.id", receipt.jobId()).setAttribute("imagerec.tenant", upload.tenant());
        RecognitionJob job = JobSubmitter.job(receipt.jobId(), receipt.imageId(), upload.tenant(), images.bucket(), key,
                upload.options(), now);
        return images.put(key, upload.body(), contentType)
                .onFailure(SdkException.class)
                        .transform(storageUnavailable("The image store is unavailable; nothing was stored"))
                .chain(() -> jobs.submit(job).onFailure(SdkException.class).call(e -> {
                    SdkException failure = (SdkException) e;
                    if (!keyed && SendOutcomes.certainlyNotSent(failure)) {
                        return images.delete(key).onFailure().invoke(d -> LOG.warnf(
                                "Could not remove %s after a failed enqueue: %s", key, d.getMessage()))
                                .onFailure().recoverWithNull();
                    }
                    // The job may have been stored and will read the image (and a keyed retry reuses it): keep
                    // it, and leave a marker for the sweeper, which removes it if the job never shows up.
                    LOG.warnf("Job %s may or may not be on the queue (%s); its image %s is kept", receipt.jobId(),
                            SendOutcomes.describe(failure), key);
                    return orphans.mark(upload.tenant(), receipt.imageId(), receipt.jobId(), key);
                }).onFailure(SdkException.class)
                        .transform(queueUnavailable("The job queue is unavailable; the upload was not accepted")))
                .replaceWith(receipt);
    }

    /** Writes the record's new state if this request still owns it; a failure only costs a later retry. */
    private Uni<Void> settle(Claim claim, IdempotencyRecord next) {
        return images.replace(claim.key(), json(next), JSON, claim.etag()).replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("Idempotency record %s could not be set to %s: %s", claim.key(), next.state(),
                            e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private IngestException inUse(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new IngestException(409, "IDEMPOTENCY_KEY_IN_USE",
                "An upload with this Idempotency-Key is in progress; retry after Retry-After seconds",
                (int) Math.min(Integer.MAX_VALUE, seconds), null);
    }

    private static void validateIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH
                || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
            throw new IngestException(400, "INVALID_IDEMPOTENCY_KEY",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters without spaces");
        }
    }

    /** Checks emptiness, size and the real format (magic bytes) before anything is stored. */
    String validateImage(ByteBuffer body) {
        if (body == null || !body.hasRemaining()) {
            throw new IngestException(400, "EMPTY_IMAGE", "The upload is empty");
        }
        checkSize(body.remaining());
        String type = ImageFormats.sniff(body);
        if (type == null) {
            throw new IngestException(415, "UNSUPPORTED_IMAGE_TYPE", "Only JPEG and PNG images are accepted");
        }
        return type;
    }

    /** Refuses an image over the limit; called with the declared length before the body is read, too. */
    public void checkSize(long length) {
        if (length > config.maxImageBytes()) {
            throw new IngestException(413, "IMAGE_TOO_LARGE",
                    "The image is " + length + " bytes; at most " + config.maxImageBytes() + " are accepted");
        }
    }

    private IdempotencyRecord read(byte[] bytes) {
        try {
            return records.read(bytes, IdempotencyRecord.class);
        } catch (IOException e) {
            LOG.warnf("An unreadable idempotency record is taken over: %s", e.getMessage());
            return null;
        }
    }

    public UploadReceipt receipt(String jobId, String imageId) {
        String base = config.resultsBaseUrl().replaceAll("/+$", "");
        return new UploadReceipt(jobId, imageId, JobStatus.QUEUED.name(),
                Map.of("job", base + "/v1/jobs/" + jobId, "image", base + "/v1/images/" + imageId));
    }

    /** For {@code onFailure(SdkException.class).transform(...)}: S3 failed; 503 STORAGE_UNAVAILABLE. */
    public Function<SdkException, IngestException> storageUnavailable(String message) {
        return e -> unavailable("STORAGE_UNAVAILABLE", message, e);
    }

    /** For {@code onFailure(SdkException.class).transform(...)}: SQS failed; 503 QUEUE_UNAVAILABLE. */
    public Function<SdkException, IngestException> queueUnavailable(String message) {
        return e -> unavailable("QUEUE_UNAVAILABLE", message, e);
    }

    private IngestException unavailable(String code, String message, SdkException cause) {
        LOG.warnf("%s: %s", code, cause.getMessage());
        return new IngestException(503, code, message, config.retryAfterSeconds(), cause);
    }

    private byte[] json(Object value) {
        return records.write(value);
    }

    private static String idempotencyRecordKey(UploadRequest upload) {
        return "idempotency/" + upload.tenant() + "/" + sha256(upload.idempotencyKey());
    }

    /** What makes two uploads the same upload: the image's bytes and the options. */
    private static String fingerprint(UploadRequest upload) {
        MessageDigest digest = sha256();
        digest.update(upload.body().duplicate());
        digest.update(("\n" + upload.options().canonical()).getBytes(StandardCharsets.UTF_8));
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
