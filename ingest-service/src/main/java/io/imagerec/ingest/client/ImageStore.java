package io.imagerec.ingest.client;

import static io.imagerec.ingest.client.SdkCalls.call;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.imagerec.ingest.config.IngestConfig;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The S3 side of ingest, non-blocking (the async client over Netty): image objects, idempotency,
 * upload and backfill records in one bucket. Records are written with S3's conditional writes
 * ({@code If-None-Match: *}, {@code If-Match}), so that two requests never both believe they own one
 * record. Failures arrive as the SDK's exceptions, unwrapped from the futures.
 */
@ApplicationScoped
public class ImageStore {

    /** An object and the ETag it had when read. */
    public record Versioned(byte[] bytes, String etag) {
    }

    /** An object's size and type as S3 holds them. */
    public record Head(long size, String contentType) {
    }

    /** A conditional write found the object not as expected: someone else wrote it. */
    public static class ConditionFailedException extends RuntimeException {
        ConditionFailedException(S3Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final S3AsyncClient s3;
    private final S3Presigner presigner;
    /** The presigner this store made itself (for {@code ingest.direct-uploads.s3-endpoint}), closed with it. */
    private final S3Presigner ownPresigner;
    private final String bucket;

    public ImageStore(S3AsyncClient s3, S3Presigner presigner, IngestConfig config,
            @ConfigProperty(name = "quarkus.s3.aws.region", defaultValue = "us-east-1") String region,
            @ConfigProperty(name = "quarkus.s3.path-style-access", defaultValue = "true") boolean pathStyle) {
        this.s3 = s3;
        this.ownPresigner = config.directUploads().s3Endpoint()
                .map(endpoint -> presigner(endpoint, region, pathStyle, DefaultCredentialsProvider.builder().build()))
                .orElse(null);
        this.presigner = ownPresigner != null ? ownPresigner : presigner;
        this.bucket = config.bucket();
    }

    /**
     * A presigner whose URLs name S3 at {@code endpoint}: S3 as the uploading client reaches it, where
     * that differs from ingest's own endpoint (ingest in a container reaches S3 by a name the client's
     * machine does not know). SigV4 signs the host, so the URL cannot be rewritten afterwards.
     */
    static S3Presigner presigner(String endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials) {
        return S3Presigner.builder()
                .endpointOverride(java.net.URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build())
                .build();
    }

    @PreDestroy
    void close() {
        if (ownPresigner != null) {
            ownPresigner.close();
        }
    }

    public String bucket() {
        return bucket;
    }

    /** Writes the bytes as they are, without a copy: the buffer must not change until the Uni ends. */
    public Uni<Void> put(String key, ByteBuffer bytes, String contentType) {
        return call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                .contentLength((long) bytes.remaining()), AsyncRequestBody.fromByteBufferUnsafe(bytes)))
                .replaceWithVoid();
    }

    public Uni<Void> put(String key, byte[] bytes, String contentType) {
        return put(key, ByteBuffer.wrap(bytes), contentType);
    }

    /** Writes the object only if no object has the key; its ETag. */
    public Uni<String> putIfAbsent(String key, byte[] bytes, String contentType) {
        return conditional(call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                .ifNoneMatch("*"), AsyncRequestBody.fromBytes(bytes))).map(r -> r.eTag()));
    }

    /** Replaces the object only if it is still the version with this ETag; the new ETag. */
    public Uni<String> replace(String key, byte[] bytes, String contentType, String etag) {
        return conditional(call(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                .ifMatch(etag), AsyncRequestBody.fromBytes(bytes))).map(r -> r.eTag()));
    }

    public Uni<Optional<Versioned>> get(String key) {
        return get(key, null);
    }

    /** The first bytes of an object (a range read), for the format check of an upload made straight to S3. */
    public Uni<Optional<byte[]>> firstBytes(String key, int count) {
        return get(key, "bytes=0-" + (count - 1)).map(o -> o.map(Versioned::bytes));
    }

    private Uni<Optional<Versioned>> get(String key, String range) {
        return call(() -> s3.getObject(b -> b.bucket(bucket).key(key).range(range),
                AsyncResponseTransformer.toBytes()))
                .map(o -> Optional.of(new Versioned(o.asByteArray(), o.response().eTag())))
                .onFailure(NoSuchKeyException.class).recoverWithItem(Optional.empty());
    }

    /** An object's size and content type, or empty when there is none. */
    public Uni<Optional<Head>> head(String key) {
        return call(() -> s3.headObject(b -> b.bucket(bucket).key(key)))
                .map(h -> Optional.of(new Head(h.contentLength(), h.contentType())))
                .onFailure(e -> e instanceof S3Exception s && s.statusCode() == 404).recoverWithItem(Optional.empty());
    }

    public Uni<Void> delete(String key) {
        return call(() -> s3.deleteObject(b -> b.bucket(bucket).key(key))).replaceWithVoid();
    }

    /** An object's key, size and when it was last written. */
    public record Listed(String key, long size, Instant lastModified) {
    }

    /** One page of a listing and the key to start the next after (null after the last page). */
    public record Page(List<Listed> objects, String next) {
    }

    /** Up to {@code max} objects of any bucket under a prefix, in key order, after a key (exclusive). */
    public Uni<Page> page(String bucketName, String prefix, String startAfter, int max) {
        return call(() -> s3.listObjectsV2(b -> b.bucket(bucketName).prefix(prefix).startAfter(startAfter)
                .maxKeys(max))).map(ImageStore::page);
    }

    private static Page page(ListObjectsV2Response r) {
        List<Listed> objects = r.contents().stream().map(ImageStore::listed).toList();
        String next = Boolean.TRUE.equals(r.isTruncated()) && !objects.isEmpty()
                ? objects.get(objects.size() - 1).key() : null;
        return new Page(objects, next);
    }

    private static Listed listed(S3Object o) {
        return new Listed(o.key(), o.size() == null ? 0 : o.size(), o.lastModified());
    }

    /** Every object of the images bucket under a prefix (all pages). */
    public Uni<List<Listed>> list(String prefix) {
        return Uni.createFrom().deferred(() -> {
            List<Listed> all = new ArrayList<>();
            return call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .subscribe(o -> all.add(listed(o)))).replaceWith(all);
        });
    }

    /**
     * A URL that lets its holder PUT exactly one object: this key, this content type and this length,
     * until it expires. S3 refuses a PUT whose signed headers differ.
     */
    public String presignPut(String key, String contentType, long length, Duration ttl) {
        return presigner.presignPutObject(p -> p.signatureDuration(ttl).putObjectRequest(
                b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(length))).url().toString();
    }

    /** For readiness: the bucket exists and is reachable with our credentials. */
    public Uni<Void> check() {
        return call(() -> s3.headBucket(b -> b.bucket(bucket))).replaceWithVoid();
    }

    private static <T> Uni<T> conditional(Uni<T> write) {
        // 412 PreconditionFailed; 409 ConditionalRequestConflict when two conditional writes race.
        return write.onFailure(e -> e instanceof S3Exception s && (s.statusCode() == 412 || s.statusCode() == 409))
                .transform(e -> new ConditionFailedException((S3Exception) e));
    }
}
