package io.imagerec.ingest.direct;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.contracts.JobIds;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.ingest.service.ImageFormats;
import io.imagerec.ingest.service.IngestException;
import io.imagerec.ingest.service.IngestService;
import io.imagerec.ingest.service.JobOptions;
import io.imagerec.ingest.service.JobSubmitter;
import io.imagerec.ingest.service.JsonRecords;
import io.imagerec.ingest.service.UploadReceipt;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Direct uploads: the image goes from the client straight to S3 with a presigned PUT, and ingest only
 * starts its job. {@link #create} records the upload and signs a URL bound to one key, content type and
 * length; {@link #complete} starts the job once the object is there, called by the client or, on AWS,
 * by the bucket's event notification ({@link UploadEventsListener}). Completing twice answers the same
 * receipt.
 */
@ApplicationScoped
public class DirectUploads {

    private static final Logger LOG = Logger.getLogger(DirectUploads.class);
    /** Where clients PUT direct uploads; S3 event notifications for the bucket filter on this prefix. */
    public static final String PREFIX = "direct/";
    private static final String RECORDS = "uploads/";
    private static final String JSON = "application/json";

    private final ImageStore images;
    private final JobSubmitter jobs;
    private final IngestService ingest;
    private final IngestConfig config;
    private final JsonRecords records;
    private final Clock clock = Clock.systemUTC();

    public DirectUploads(ImageStore images, JobSubmitter jobs, IngestService ingest, IngestConfig config,
            JsonRecords records) {
        this.images = images;
        this.jobs = jobs;
        this.ingest = ingest;
        this.config = config;
        this.records = records;
    }

    /** Records a new upload and signs its PUT; {@code links.complete} is where the client reports it done. */
    public Uni<DirectUpload> create(String tenant, DirectUploadRequest request) {
        return Uni.createFrom().deferred(() -> {
            String contentType = request.contentType();
            if (!"image/jpeg".equals(contentType) && !"image/png".equals(contentType)) {
                throw new IngestException(415, "UNSUPPORTED_IMAGE_TYPE",
                        "contentType must be image/jpeg or image/png");
            }
            if (request.contentLength() == null || request.contentLength() <= 0) {
                throw new IngestException(400, "INVALID_PARAMETER", "contentLength must be the image's size in bytes");
            }
            ingest.checkSize(request.contentLength());
            JobOptions options = new JobOptions(request.features(), request.minConfidence(), request.maxLabels())
                    .validated();
            Instant now = clock.instant();
            UploadReceipt receipt = ingest.receipt(JobIds.next(now), JobIds.next(now));
            String uploadId = receipt.imageId();
            String key = PREFIX + tenant + "/" + uploadId;
            Instant expires = now.plus(config.directUploads().urlTtl());
            UploadRecord record = new UploadRecord(UploadRecord.PENDING, tenant, key, contentType,
                    request.contentLength(), options, receipt, now, expires);
            String url = images.presignPut(key, contentType, request.contentLength(), config.directUploads().urlTtl());
            String complete = config.baseUrl().replaceAll("/+$", "") + "/v1/uploads/" + uploadId + "/complete";
            return images.putIfAbsent(recordKey(tenant, uploadId), write(record), JSON)
                    .onFailure(SdkException.class)
                            .transform(ingest.storageUnavailable("The image store is unavailable; nothing was stored"))
                    .map(etag -> new DirectUpload(uploadId, receipt.jobId(), uploadId, "PUT", url,
                            Map.of("Content-Type", contentType), expires,
                            Map.of("complete", complete, "job", receipt.links().get("job"))));
        });
    }

    /**
     * Starts the upload's job once its image is in S3: 404 UPLOAD_NOT_FOUND for an unknown id, 409
     * UPLOAD_NOT_RECEIVED before the PUT, 410 UPLOAD_EXPIRED when the URL ran out unused, 415 when the
     * object is not a JPEG or PNG (it is removed; the URL may be used again), 503 when S3 or SQS fails.
     */
    public Uni<UploadReceipt> complete(String tenant, String uploadId) {
        if (JobIds.createdAt(uploadId).isEmpty()) {
            return Uni.createFrom().failure(notFound());
        }
        String recordKey = recordKey(tenant, uploadId);
        return images.get(recordKey).chain(found -> {
            if (found.isEmpty()) {
                throw notFound();
            }
            UploadRecord record = read(found.get().bytes());
            if (record.completed()) {
                return Uni.createFrom().item(record.receipt());
            }
            return images.head(record.key()).chain(head -> start(record, recordKey, found.get().etag(), head));
        }).onFailure(SdkException.class).transform(ingest.storageUnavailable("The image store is unavailable"));
    }

    private Uni<UploadReceipt> start(UploadRecord record, String recordKey, String etag,
            Optional<ImageStore.Head> head) {
        if (head.isEmpty()) {
            if (clock.instant().isAfter(record.expiresAt())) {
                throw new IngestException(410, "UPLOAD_EXPIRED", "The upload URL expired before the image was PUT");
            }
            throw new IngestException(409, "UPLOAD_NOT_RECEIVED", "PUT the image to the upload URL first");
        }
        return images.firstBytes(record.key(), 8).chain(first -> {
            if (head.get().size() != record.contentLength() || first.map(ImageFormats::sniff).isEmpty()) {
                return images.delete(record.key()).chain(() -> Uni.createFrom().failure(new IngestException(415,
                        "UNSUPPORTED_IMAGE_TYPE", "The uploaded object is not the declared JPEG or PNG image")));
            }
            UploadReceipt receipt = record.receipt();
            return jobs.submit(JobSubmitter.job(receipt.jobId(), receipt.imageId(), record.tenant(), images.bucket(),
                            record.key(), record.options(), clock.instant()))
                    .onFailure(SdkException.class).transform(ingest.queueUnavailable(
                            "The job queue is unavailable; complete the upload again later"))
                    .chain(() -> images.replace(recordKey, write(record.complete()), JSON, etag)
                            .replaceWith(receipt)
                            // Completed meanwhile by another call (the event or the client): the same job.
                            .onFailure(ImageStore.ConditionFailedException.class).recoverWithItem(receipt)
                            // The job is queued; until the record says so, another complete sends it again.
                            .onFailure().recoverWithItem(e -> {
                                LOG.warnf("Upload %s: job %s queued but the record not updated: %s", recordKey,
                                        receipt.jobId(), e.getMessage());
                                return receipt;
                            }));
        });
    }

    private static IngestException notFound() {
        return new IngestException(404, "UPLOAD_NOT_FOUND", "No such upload");
    }

    static String recordKey(String tenant, String uploadId) {
        return RECORDS + tenant + "/" + uploadId;
    }

    private byte[] write(UploadRecord record) {
        return records.write(record);
    }

    private UploadRecord read(byte[] bytes) {
        return records.readOrFail(bytes, UploadRecord.class);
    }
}
