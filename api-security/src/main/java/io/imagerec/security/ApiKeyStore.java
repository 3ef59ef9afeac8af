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

    /** The record of this key id; empty when there is none. Fails when S3 cannot answer. */
    public Uni<Optional<ApiKeyRecord>> get(String keyId) {
        return Uni.createFrom().completionStage(() -> s3.getObject(b -> b.bucket(bucket).key(key(keyId)),
                        AsyncResponseTransformer.toBytes()))
                .map(bytes -> Optional.of(read(bytes.asByteArray())))
                .onFailure(ApiKeyStore::notFound).recoverWithItem(Optional.empty());
    }

    public Uni<Void> put(ApiKeyRecord record) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Uni.createFrom().completionStage(() -> s3.putObject(b -> b.bucket(bucket).key(key(record.keyId()))
                        .contentType("application/json"), AsyncRequestBody.fromBytes(body)))
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

    private static boolean notFound(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof NoSuchKeyException || t instanceof S3Exception s3 && s3.statusCode() == 404;
    }
}
