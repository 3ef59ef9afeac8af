package io.imagerec.results.client;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.results.config.ResultsConfig;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.payloadoffloading.PayloadS3Pointer;
import software.amazon.payloadoffloading.S3AsyncDao;
import software.amazon.payloadoffloading.S3BackedPayloadStoreAsync;

/**
 * Reads a result message in either form: the result itself, or a pointer to it in S3 (a claim check
 * in the SQS Extended Client Library's format, marked by its {@code ExtendedPayloadSize} attribute),
 * which the worker sends when a result is larger than a queue message.
 */
@ApplicationScoped
public class ResultPayloads {

    /** The message attributes that mark a claim check (current and legacy names). */
    public static final String SIZE_ATTRIBUTE = "ExtendedPayloadSize";
    public static final String LEGACY_SIZE_ATTRIBUTE = "SQSLargePayloadSize";
    /** The only key prefix a claim check may point into. */
    static final String PAYLOAD_PREFIX = "results/";

    /** A claim check that can never be resolved: it points elsewhere, or its object is gone. */
    public static class UnresolvableException extends RuntimeException {
        UnresolvableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final S3AsyncClient s3;
    private final S3BackedPayloadStoreAsync store;
    private final String bucket;

    public ResultPayloads(ResultsConfig config) {
        var builder = S3AsyncClient.builder()
                .region(Region.of(config.sqs().region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .forcePathStyle(config.s3().pathStyle());
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
        this.bucket = config.s3().payloadBucket();
        this.store = new S3BackedPayloadStoreAsync(new S3AsyncDao(s3), bucket);
    }

    /** The S3 client (also the API keys' store). */
    public S3AsyncClient s3() {
        return s3;
    }

    /** The result's JSON: the body itself, or the S3 object a claim check points to. */
    public Uni<String> read(String body, Map<String, MessageAttributeValue> attributes) {
        if (!attributes.containsKey(SIZE_ATTRIBUTE) && !attributes.containsKey(LEGACY_SIZE_ATTRIBUTE)) {
            return Uni.createFrom().item(body);
        }
        PayloadS3Pointer pointer;
        try {
            pointer = PayloadS3Pointer.fromJson(body);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(new UnresolvableException("the claim check is not readable", e));
        }
        if (!bucket.equals(pointer.getS3BucketName()) || !pointer.getS3Key().startsWith(PAYLOAD_PREFIX)
                || pointer.getS3Key().contains("..")) {
            return Uni.createFrom().failure(new UnresolvableException("the claim check points outside "
                    + bucket + "/" + PAYLOAD_PREFIX, null));
        }
        return Uni.createFrom().completionStage(() -> store.getOriginalPayload(body))
                .onFailure(ResultPayloads::isGone).transform(e -> new UnresolvableException(
                        "the claimed result " + pointer.getS3Key() + " is not in S3", e));
    }

    /** S3 answered that the object is missing or not ours to read: retrying cannot help. */
    private static boolean isGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof S3Exception s3 && (s3.statusCode() == 404 || s3.statusCode() == 403)) {
                return true;
            }
            if (!(t instanceof SdkException) && t.getCause() == null) {
                return false;
            }
        }
        return false;
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
