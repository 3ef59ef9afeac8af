package io.imagerec.results.images;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.reactivestreams.FlowAdapters;

import io.imagerec.results.client.ResultPayloads;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The stored bytes of a tenant's image, read from S3 where ingest put them: {@code images/<tenant>/<imageId>}
 * for uploads, {@code direct/<tenant>/<imageId>} for direct uploads (the upload id is the image id). The
 * tenant is part of the key, so another tenant's image id finds nothing, exactly like an unknown one.
 * Images of backfills stay in their own buckets and are not served.
 */
@ApplicationScoped
public class ImageContents {

    /** Ids ingest makes are UUIDs; anything else (a slash, dots, control characters) cannot name an image. */
    private static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9-]{1,128}");
    private static final List<String> PREFIXES = List.of("images/", "direct/");
    /** The only types served as they are; anything else goes out as bytes a browser will not render. */
    private static final List<String> IMAGE_TYPES = List.of("image/jpeg", "image/png");

    /** An image being read: its content type and its bytes as they arrive. */
    public record Content(String contentType, Multi<byte[]> bytes) {
    }

    /** The image is not there (or belongs to another tenant). */
    public static class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }

    private final ResultPayloads s3;
    private final String bucket;

    public ImageContents(ResultPayloads s3, ImagesConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** The image's bytes, streamed from S3; fails with {@link NotFound} when the tenant has no such image. */
    public Uni<Content> read(String tenant, String imageId) {
        if (imageId == null || !IMAGE_ID.matcher(imageId).matches()) {
            return Uni.createFrom().failure(new NotFound());
        }
        return read(tenant, imageId, 0);
    }

    private Uni<Content> read(String tenant, String imageId, int prefix) {
        if (prefix == PREFIXES.size()) {
            return Uni.createFrom().failure(new NotFound());
        }
        String key = PREFIXES.get(prefix) + tenant + "/" + imageId;
        return Uni.createFrom()
                .completionStage(() -> s3.s3().getObject(b -> b.bucket(bucket).key(key),
                        AsyncResponseTransformer.<GetObjectResponse>toPublisher()))
                .map(ImageContents::content)
                .onFailure(ImageContents::isMissing).recoverWithUni(() -> read(tenant, imageId, prefix + 1));
    }

    private static Content content(ResponsePublisher<GetObjectResponse> published) {
        GetObjectResponse response = published.response();
        String type = response.contentType() == null ? "" : response.contentType().toLowerCase(Locale.ROOT);
        Multi<byte[]> bytes = Multi.createFrom().publisher(FlowAdapters.toFlowPublisher(published))
                .map(ImageContents::bytes);
        return new Content(IMAGE_TYPES.contains(type) ? type : "application/octet-stream", bytes);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static boolean isMissing(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchKeyException || (t instanceof S3Exception e && e.statusCode() == 404)) {
                return true;
            }
        }
        return false;
    }
}
