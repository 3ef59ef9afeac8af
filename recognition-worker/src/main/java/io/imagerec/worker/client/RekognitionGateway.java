package io.imagerec.worker.client;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.imagerec.contracts.Feature;
import io.imagerec.contracts.RecognitionJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rekognition.RekognitionAsyncClient;
import software.amazon.awssdk.services.rekognition.model.Attribute;
import software.amazon.awssdk.services.rekognition.model.BoundingBox;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsFeatureName;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsImageQuality;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsRequest;
import software.amazon.awssdk.services.rekognition.model.DetectLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.DominantColor;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.Label;
import software.amazon.awssdk.services.rekognition.model.TextDetection;

/**
 * Calls Rekognition for a job by S3 reference and turns the answer back into Rekognition's own JSON
 * shapes. Owns the calls' metrics: {@code worker.rekognition.calls} (per operation),
 * {@code worker.feature.duration} (per feature the call answers, with percentiles for dashboards) and
 * {@code worker.rekognition.errors} (per operation and error code, after the SDK's retries); the
 * client's timeouts are set where it is built. Each call is made with the trace context current where
 * {@link #analyse} was called, so the client's span (and the engine's) join the job's trace.
 */
@ApplicationScoped
public class RekognitionGateway {

    /** Header rekognition-local adds to every answer; Amazon Rekognition does not send it. */
    static final String ENGINE_HEADER = "x-rekognition-engine";

    /** What one job's analysis produced, in Rekognition's JSON shapes; null for parts not asked for. */
    public record Analysis(JsonNode labels, JsonNode imageProperties, JsonNode textDetections, JsonNode faceDetails,
            JsonNode moderationLabels, String modelVersion, String engine) {

        /** This analysis with the parts of {@code other} that this one lacks. */
        Analysis join(Analysis other) {
            return new Analysis(labels != null ? labels : other.labels,
                    imageProperties != null ? imageProperties : other.imageProperties,
                    textDetections != null ? textDetections : other.textDetections,
                    faceDetails != null ? faceDetails : other.faceDetails,
                    moderationLabels != null ? moderationLabels : other.moderationLabels,
                    modelVersion != null ? modelVersion : other.modelVersion,
                    engine != null ? engine : other.engine);
        }
    }

    private static final Analysis NOTHING = new Analysis(null, null, null, null, null, null, null);

    private final RekognitionAsyncClient rekognition;
    private final ObjectMapper json;
    private final Timer labelCalls;
    private final Timer textCalls;
    private final Timer faceCalls;
    private final Timer moderationCalls;
    private final MeterRegistry metrics;
    private final Map<Feature, Timer> featureSucceeded = new EnumMap<>(Feature.class);
    private final Map<Feature, Timer> featureFailed = new EnumMap<>(Feature.class);

    public RekognitionGateway(RekognitionAsyncClient rekognition, ObjectMapper json, MeterRegistry metrics) {
        this.rekognition = rekognition;
        this.json = json;
        this.metrics = metrics;
        for (Feature feature : Feature.values()) {
            featureSucceeded.put(feature, featureTimer(feature, "success", metrics));
            featureFailed.put(feature, featureTimer(feature, "error", metrics));
        }
        this.labelCalls = Timer.builder("worker.rekognition.calls").tag("operation", "DetectLabels")
                .description("Rekognition calls").register(metrics);
        this.textCalls = Timer.builder("worker.rekognition.calls").tag("operation", "DetectText")
                .description("Rekognition calls").register(metrics);
        this.faceCalls = Timer.builder("worker.rekognition.calls").tag("operation", "DetectFaces")
                .description("Rekognition calls").register(metrics);
        this.moderationCalls = Timer.builder("worker.rekognition.calls").tag("operation", "DetectModerationLabels")
                .description("Rekognition calls").register(metrics);
    }

    private static Timer featureTimer(Feature feature, String outcome, MeterRegistry metrics) {
        return Timer.builder("worker.feature.duration").tag("feature", feature.name()).tag("outcome", outcome)
                .description("Time Rekognition took to answer a job's feature, retries included")
                .publishPercentileHistogram().register(metrics);
    }

    /**
     * Calls DetectLabels, DetectText, DetectFaces and DetectModerationLabels, as the job's features ask, side by side, and
     * joins their answers. Each subscription makes the calls anew.
     */
    public Uni<Analysis> analyse(RecognitionJob job) {
        Context trace = Context.current();
        List<Feature> asked = job.features() == null || job.features().isEmpty() ? List.of(Feature.LABELS)
                : job.features();
        boolean text = job.features() != null && job.features().contains(Feature.TEXT);
        boolean faces = job.features() != null && job.features().contains(Feature.FACES);
        boolean moderation = job.features() != null && job.features().contains(Feature.MODERATION);
        boolean labels = job.features() == null || job.features().isEmpty() || job.features().contains(Feature.LABELS)
                || job.features().contains(Feature.IMAGE_PROPERTIES);
        List<Uni<Analysis>> calls = new ArrayList<>();
        if (labels) {
            calls.add(call(trace, "DetectLabels", asked.stream()
                    .filter(f -> f == Feature.LABELS || f == Feature.IMAGE_PROPERTIES).toList(), () -> detectLabels(job)));
        }
        if (text) {
            calls.add(call(trace, "DetectText", List.of(Feature.TEXT), () -> detectText(job)));
        }
        if (faces) {
            calls.add(call(trace, "DetectFaces", List.of(Feature.FACES), () -> detectFaces(job)));
        }
        if (moderation) {
            calls.add(call(trace, "DetectModerationLabels", List.of(Feature.MODERATION), () -> detectModeration(job)));
        }
        if (calls.isEmpty()) {
            return Uni.createFrom().item(NOTHING);
        }
        return Uni.combine().all().unis(calls).with(Analysis.class, parts -> parts.stream()
                .reduce(NOTHING, Analysis::join));
    }

    /** One call, made in the job's trace context, timed for the features it answers. */
    private Uni<Analysis> call(Context trace, String operation, List<Feature> features,
            Supplier<CompletableFuture<Analysis>> call) {
        return Uni.createFrom().completionStage(() -> {
            long start = System.nanoTime();
            CompletableFuture<Analysis> answer;
            try (Scope scope = trace.makeCurrent()) {
                answer = call.get();
            }
            return answer.whenComplete((r, e) -> {
                long took = System.nanoTime() - start;
                for (Feature f : features) {
                    (e == null ? featureSucceeded : featureFailed).get(f).record(took, TimeUnit.NANOSECONDS);
                }
                if (e != null) {
                    metrics.counter("worker.rekognition.errors", "operation", operation, "error", errorCode(e))
                            .increment();
                }
            });
        });
    }

    /** Rekognition's error code (ThrottlingException, InvalidImageFormatException, ...) or the kind of fault. */
    static String errorCode(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && aws.awsErrorDetails().errorCode() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return cause.getClass().getSimpleName();
    }

    private CompletableFuture<Analysis> detectFaces(RecognitionJob job) {
        Timer.Sample sample = Timer.start();
        return rekognition.detectFaces(r -> r.image(Image.builder()
                        .s3Object(s -> s.bucket(job.bucket()).name(job.key())).build())
                        .attributes(Attribute.ALL))
                .whenComplete((r, e) -> sample.stop(faceCalls))
                .thenApply(response -> new Analysis(null, null, null,
                        SdkJson.toJson(json, response.faceDetails()), null, null, engine(response)));
    }

    /** The job's minConfidence applies here as to DetectLabels: moderation labels below it are not reported. */
    private CompletableFuture<Analysis> detectModeration(RecognitionJob job) {
        Timer.Sample sample = Timer.start();
        return rekognition.detectModerationLabels(r -> r.image(Image.builder()
                        .s3Object(s -> s.bucket(job.bucket()).name(job.key())).build())
                        .minConfidence(job.minConfidence()))
                .whenComplete((r, e) -> sample.stop(moderationCalls))
                .thenApply(response -> new Analysis(null, null, null, null,
                        SdkJson.toJson(json, response.moderationLabels()), null, engine(response)));
    }

    private CompletableFuture<Analysis> detectText(RecognitionJob job) {
        Timer.Sample sample = Timer.start();
        return rekognition.detectText(r -> r.image(Image.builder()
                        .s3Object(s -> s.bucket(job.bucket()).name(job.key())).build()))
                .whenComplete((r, e) -> sample.stop(textCalls))
                .thenApply(response -> {
                    ArrayNode detections = json.createArrayNode();
                    for (TextDetection t : response.textDetections()) {
                        ObjectNode node = detections.addObject().put("DetectedText", t.detectedText())
                                .put("Type", t.typeAsString()).put("Id", t.id());
                        if (t.parentId() != null) {
                            node.put("ParentId", t.parentId());
                        }
                        node.put("Confidence", t.confidence());
                        ObjectNode geometry = node.putObject("Geometry");
                        geometry.set("BoundingBox", box(t.geometry().boundingBox()));
                        ArrayNode polygon = geometry.putArray("Polygon");
                        t.geometry().polygon().forEach(p -> polygon.addObject().put("X", p.x()).put("Y", p.y()));
                    }
                    return new Analysis(null, null, detections, null, null, response.textModelVersion(), engine(response));
                });
    }

    private CompletableFuture<Analysis> detectLabels(RecognitionJob job) {
        List<DetectLabelsFeatureName> features = new ArrayList<>();
        if (job.features() == null || job.features().isEmpty() || job.features().contains(Feature.LABELS)) {
            features.add(DetectLabelsFeatureName.GENERAL_LABELS);
        }
        if (job.features() != null && job.features().contains(Feature.IMAGE_PROPERTIES)) {
            features.add(DetectLabelsFeatureName.IMAGE_PROPERTIES);
        }
        DetectLabelsRequest request = DetectLabelsRequest.builder()
                .image(Image.builder().s3Object(s -> s.bucket(job.bucket()).name(job.key())).build())
                .features(features)
                .minConfidence(job.minConfidence())
                .maxLabels(job.maxLabels())
                .build();
        Timer.Sample sample = Timer.start();
        return rekognition.detectLabels(request)
                .whenComplete((r, e) -> sample.stop(labelCalls))
                .thenApply(this::toAnalysis);
    }

    private Analysis toAnalysis(DetectLabelsResponse response) {
        ArrayNode labels = json.createArrayNode();
        for (Label label : response.labels()) {
            labels.add(label(label));
        }
        ObjectNode properties = null;
        if (response.imageProperties() != null) {
            var p = response.imageProperties();
            properties = json.createObjectNode();
            properties.set("Quality", quality(p.quality()));
            properties.set("DominantColors", colors(p.dominantColors()));
            if (p.foreground() != null) {
                properties.set("Foreground", json.createObjectNode().<ObjectNode>set("Quality", quality(p.foreground().quality()))
                        .set("DominantColors", colors(p.foreground().dominantColors())));
            }
            if (p.background() != null) {
                properties.set("Background", json.createObjectNode().<ObjectNode>set("Quality", quality(p.background().quality()))
                        .set("DominantColors", colors(p.background().dominantColors())));
            }
        }
        return new Analysis(labels, properties, null, null, null, response.labelModelVersion(), engine(response));
    }

    private static String engine(software.amazon.awssdk.core.SdkResponse response) {
        return response.sdkHttpResponse().firstMatchingHeader(ENGINE_HEADER).map(h -> "local").orElse("aws");
    }

    private ObjectNode label(Label label) {
        ObjectNode node = json.createObjectNode().put("Name", label.name()).put("Confidence", label.confidence());
        ArrayNode instances = node.putArray("Instances");
        label.instances().forEach(i -> {
            ObjectNode instance = instances.addObject();
            instance.set("BoundingBox", box(i.boundingBox()));
            instance.put("Confidence", i.confidence());
            if (i.hasDominantColors()) {
                instance.set("DominantColors", colors(i.dominantColors()));
            }
        });
        ArrayNode parents = node.putArray("Parents");
        label.parents().forEach(p -> parents.addObject().put("Name", p.name()));
        ArrayNode aliases = node.putArray("Aliases");
        label.aliases().forEach(a -> aliases.addObject().put("Name", a.name()));
        ArrayNode categories = node.putArray("Categories");
        label.categories().forEach(c -> categories.addObject().put("Name", c.name()));
        return node;
    }

    private ObjectNode box(BoundingBox b) {
        return json.createObjectNode().put("Width", b.width()).put("Height", b.height()).put("Left", b.left())
                .put("Top", b.top());
    }

    private ObjectNode quality(DetectLabelsImageQuality q) {
        ObjectNode node = json.createObjectNode();
        if (q != null) {
            node.put("Brightness", q.brightness()).put("Sharpness", q.sharpness());
            if (q.contrast() != null) {
                node.put("Contrast", q.contrast());
            }
        }
        return node;
    }

    private ArrayNode colors(List<DominantColor> colors) {
        ArrayNode array = json.createArrayNode();
        colors.forEach(c -> array.addObject().put("Red", c.red()).put("Green", c.green()).put("Blue", c.blue())
                .put("HexCode", c.hexCode()).put("CSSColor", c.cssColor()).put("SimplifiedColor", c.simplifiedColor())
                .put("PixelPercent", c.pixelPercent()));
        return array;
    }
}
