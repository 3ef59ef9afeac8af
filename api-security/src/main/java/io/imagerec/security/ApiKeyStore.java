package io.imagerec.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * API key records in S3, one object per key ({@code apikeys/<keyId>.json} in the images bucket): both
 * public services already reach that bucket, and ingest needs no database. A replica sees another's
 * change when its cache entry expires ({@code security.keys.cache-ttl}).
 */
public class ApiKeyStore {

    static final String PREFIX = "apikeys/";
    /** Listing reads every record; a deployment with more keys than this needs a database index. */
    static final int MAX_KEYS = 10_000;

    private final S3AsyncClient s3;
    private final String bucket;
    private final ObjectMapper json;

    public ApiKeyStore(S3AsyncClient s3, String bucket, ObjectMapper json) {
        this.s3 = s3;
        this.bucket = bucket;
        this.json = json;
    }

    /** A record as read, with the ETag its change must match. */
    public record Versioned(ApiKeyRecord record, String etag) {
    }

    /** A conditional write lost to another change of the same record. */
    public static final class ChangedMeanwhile extends RuntimeException {
        ChangedMeanwhile() {
            super("The API key was changed by another request meanwhile; try again", null, false, false);
        }
    }

    /** The record of this key id; empty when there is none. Fails when S3 cannot answer. */
    public Uni<Optional<ApiKeyRecord>> get(String keyId) {
        return versioned(keyId).map(found -> found.map(Versioned::record));
    }

    public Uni<Optional<Versioned>> versioned(String keyId) {
        return Uni.createFrom().completionStage(() -> s3.getObject(b -> b.bucket(bucket).key(key(keyId)),
                        AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(new Versioned(read(bytes.asByteArray()), bytes.response().eTag())))
                .onFailure(ApiKeyStore::notFound).recoverWithItem(Optional.empty());
    }

    /** Writes a new key's record. */
    public Uni<Void> put(ApiKeyRecord record) {
        return write(record, null);
    }

    /**
     * Replaces a record only if it is still the version read ({@code If-Match}): a rotation racing a
     * revocation can never bring a revoked key back. Fails with {@link ChangedMeanwhile} otherwise.
     */
    public Uni<Void> replace(ApiKeyRecord record, String etag) {
        return write(record, etag);
    }

    private Uni<Void> write(ApiKeyRecord record, String etag) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Uni.createFrom().completionStage(() -> s3.putObject(b -> {
                    b.bucket(bucket).key(key(record.keyId())).contentType("application/json");
                    if (etag != null) {
                        b.ifMatch(etag);
                    } else {
                        b.ifNoneMatch("*");
                    }
                }, AsyncRequestBody.fromBytes(body)))
                .onFailure(ApiKeyStore::preconditionFailed).transform(e -> new ChangedMeanwhile())
                .replaceWithVoid();
    }

    /** Every key record (at most {@link #MAX_KEYS}). */
    public Uni<List<ApiKeyRecord>> all() {
        return keys(null, new ArrayList<>()).onItem().transformToMulti(keys -> Multi.createFrom().iterable(keys))
                .filter(k -> k.endsWith(".json"))
                .onItem().transformToUni(k -> get(k.substring(PREFIX.length(), k.length() - ".json".length())))
                .merge(8)
                .filter(Optional::isPresent)
                .map(Optional::get)
                .collect().asList();
    }

    /** The object keys under {@link #PREFIX}, page by page, at most {@link #MAX_KEYS}. */
    private Uni<List<String>> keys(String token, List<String> found) {
        return Uni.createFrom().completionStage(() -> s3.listObjectsV2(b -> b.bucket(bucket).prefix(PREFIX)
                        .continuationToken(token)))
                .chain(page -> {
                    page.contents().stream().map(S3Object::key).forEach(found::add);
                    return Boolean.TRUE.equals(page.isTruncated()) && found.size() < MAX_KEYS
                            ? keys(page.nextContinuationToken(), found)
                            : Uni.createFrom().item(found);
                });
    }

    private ApiKeyRecord read(byte[] bytes) {
        try {
            return json.readValue(bytes, ApiKeyRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an API key record is not readable", e);
        }
    }

    private static String key(String keyId) {
        return PREFIX + keyId + ".json";
    }

    private static boolean preconditionFailed(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 409);
    }

    private static boolean notFound(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof NoSuchKeyException || t instanceof S3Exception s3 && s3.statusCode() == 404;
    }
}
