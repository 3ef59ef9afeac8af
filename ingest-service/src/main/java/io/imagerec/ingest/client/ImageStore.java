package io.imagerec.ingest.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.ingest.config.IngestConfig;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The S3 side of ingest: image objects and idempotency records in one bucket. */
@ApplicationScoped
public class ImageStore {

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

    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** For readiness: the bucket exists and is reachable with our credentials. */
    public void check() {
        s3.headBucket(b -> b.bucket(bucket));
    }
}
