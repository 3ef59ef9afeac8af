package io.imagerec.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A recognition job on the {@code recognition-jobs} queue.
 *
 * @param schema always {@link #SCHEMA}; a consumer refuses versions it does not know
 * @param bucket and {@code key}: where the image is stored
 * @param minConfidence labels below this confidence are not reported (null: the engine's default, 55)
 * @param maxLabels at most this many labels (null: all)
 * @param traceContext W3C trace context ({@code traceparent}) of the upload, to join the traces
 * @param callbackUrl where the job's end is to be posted (a webhook of the tenant's); null when none
 */
public record RecognitionJob(
        String schema,
        String jobId,
        String imageId,
        String tenant,
        String bucket,
        String key,
        List<Feature> features,
        Float minConfidence,
        Integer maxLabels,
        Instant submittedAt,
        Map<String, String> traceContext,
        String callbackUrl) {

    public static final String SCHEMA = "recognition-job/v1";

    /** A job without a callback URL. */
    public RecognitionJob(String schema, String jobId, String imageId, String tenant, String bucket, String key,
            List<Feature> features, Float minConfidence, Integer maxLabels, Instant submittedAt,
            Map<String, String> traceContext) {
        this(schema, jobId, imageId, tenant, bucket, key, features, minConfidence, maxLabels, submittedAt, traceContext,
                null);
    }
}
