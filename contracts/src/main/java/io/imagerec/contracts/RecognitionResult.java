package io.imagerec.contracts;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A status event or final result on the {@code recognition-results} queue. QUEUED and PROCESSING
 * events carry no analysis; SUCCEEDED carries the Rekognition response parts exactly as Rekognition
 * shapes them (PascalCase JSON); FAILED carries a stable error code and a message.
 *
 * @param labels DetectLabels' {@code Labels} array
 * @param imageProperties DetectLabels' {@code ImageProperties} object
 * @param faceDetails DetectFaces' {@code FaceDetails} array
 * @param textDetections DetectText's {@code TextDetections} array
 * @param engine {@code aws} or {@code local}
 * @param attempt which delivery of the job produced this event (SQS receive count)
 * @param callbackUrl the job's callback URL, carried by every event of it; null when none
 * @param traceContext W3C trace context ({@code traceparent}, {@code tracestate}) of the span that sent
 *        this event, so that applying it joins the upload's trace; null or empty when none (older senders)
 * @param moderationLabels DetectModerationLabels' {@code ModerationLabels} array; null when MODERATION was
 *        not asked for (or from older senders)
 */
public record RecognitionResult(
        String schema,
        String jobId,
        String imageId,
        String tenant,
        JobStatus status,
        String errorCode,
        String errorMessage,
        JsonNode labels,
        JsonNode imageProperties,
        JsonNode faceDetails,
        JsonNode textDetections,
        String modelVersion,
        String engine,
        int attempt,
        Instant submittedAt,
        Instant occurredAt,
        String callbackUrl,
        Map<String, String> traceContext,
        JsonNode moderationLabels) {

    public static final String SCHEMA = "recognition-result/v1";

    /** An event without moderation labels. */
    public RecognitionResult(String schema, String jobId, String imageId, String tenant, JobStatus status,
            String errorCode, String errorMessage, JsonNode labels, JsonNode imageProperties, JsonNode faceDetails,
            JsonNode textDetections, String modelVersion, String engine, int attempt, Instant submittedAt,
            Instant occurredAt, String callbackUrl, Map<String, String> traceContext) {
        this(schema, jobId, imageId, tenant, status, errorCode, errorMessage, labels, imageProperties, faceDetails,
                textDetections, modelVersion, engine, attempt, submittedAt, occurredAt, callbackUrl, traceContext, null);
    }

    /** An event without trace context. */
    public RecognitionResult(String schema, String jobId, String imageId, String tenant, JobStatus status,
            String errorCode, String errorMessage, JsonNode labels, JsonNode imageProperties, JsonNode faceDetails,
            JsonNode textDetections, String modelVersion, String engine, int attempt, Instant submittedAt,
            Instant occurredAt, String callbackUrl) {
        this(schema, jobId, imageId, tenant, status, errorCode, errorMessage, labels, imageProperties, faceDetails,
                textDetections, modelVersion, engine, attempt, submittedAt, occurredAt, callbackUrl, null, null);
    }

    /** An event of a job without a callback URL. */
    public RecognitionResult(String schema, String jobId, String imageId, String tenant, JobStatus status,
            String errorCode, String errorMessage, JsonNode labels, JsonNode imageProperties, JsonNode faceDetails,
            JsonNode textDetections, String modelVersion, String engine, int attempt, Instant submittedAt,
            Instant occurredAt) {
        this(schema, jobId, imageId, tenant, status, errorCode, errorMessage, labels, imageProperties, faceDetails,
                textDetections, modelVersion, engine, attempt, submittedAt, occurredAt, null, null, null);
    }

    /** This event carrying another trace context (that of the span sending it). */
    public RecognitionResult withTraceContext(Map<String, String> context) {
        return new RecognitionResult(schema, jobId, imageId, tenant, status, errorCode, errorMessage, labels,
                imageProperties, faceDetails, textDetections, modelVersion, engine, attempt, submittedAt, occurredAt,
                callbackUrl, context, moderationLabels);
    }

    /** A status event without analysis (QUEUED, PROCESSING). */
    public static RecognitionResult status(RecognitionJob job, JobStatus status, int attempt, Instant at) {
        return new RecognitionResult(SCHEMA, job.jobId(), job.imageId(), job.tenant(), status, null, null, null, null,
                null, null, null, null, attempt, job.submittedAt(), at, job.callbackUrl(), job.traceContext());
    }

    /** A FAILED result with a stable error code. */
    public static RecognitionResult failed(RecognitionJob job, String code, String message, String engine, int attempt,
            Instant at) {
        return new RecognitionResult(SCHEMA, job.jobId(), job.imageId(), job.tenant(), JobStatus.FAILED, code, message,
                null, null, null, null, null, engine, attempt, job.submittedAt(), at, job.callbackUrl(),
                job.traceContext());
    }
}
