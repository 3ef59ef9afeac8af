package io.imagerec.ingest.client;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 side of ingest: image objects and idempotency records in one bucket. Records are written
 * with S3's conditional writes ({@code If-None-Match: *}, {@code If-Match}), so that two requests
 * never both believe they own one record.
 */
@ApplicationScoped
public class ImageStore {

    /** An object and the ETag it had when read. */
    public record Versioned(byte[] bytes, String etag) {
    }

    /** A conditional write found the object not as expected: someone else wrote it. */
    public static class ConditionFailedException extends RuntimeException {
        ConditionFailedException(S3Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final S3Client s3;
    private final String bucket;

    public ImageStore(S3Client s3, IngestConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    public String bucket() {
        return bucket;
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** Writes the object only if no object has the key; returns its ETag. */
    public String putIfAbsent(String key, byte[] bytes, String contentType) {
        return conditional(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"),
                RequestBody.fromBytes(bytes)).eTag());
    }

    /** Replaces the object only if it is still the version with this ETag; returns the new ETag. */
    public String replace(String key, byte[] bytes, String contentType, String etag) {
        return conditional(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifMatch(etag),
                RequestBody.fromBytes(bytes)).eTag());
    }

    public Optional<Versioned> get(String key) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(new Versioned(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** An object's key and when it was last written. */
    public record Listed(String key, Instant lastModified) {
    }

    /** Every object under a prefix, page by page. */
    public Stream<Listed> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> new Listed(o.key(), o.lastModified()));
    }

    /** For readiness: the bucket exists and is reachable with our credentials. */
    public void check() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    private static String conditional(Supplier<String> write) {
        try {
            return write.get();
        } catch (S3Exception e) {
            // 412 PreconditionFailed; 409 ConditionalRequestConflict when two conditional writes race.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new ConditionFailedException(e);
            }
            throw e;
        }
    }
}
