package io.imagerec.rekognition.moderation;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.image.ImageSource;

/**
 * {@code RekognitionService.DetectModerationLabels}: nsfwjs' InceptionV3 classifier ({@link ContentClassifier})
 * mapped onto Rekognition's moderation taxonomy by {@link ModerationTaxonomy}.
 */
@ApplicationScoped
public class DetectModerationLabelsOperation implements RekognitionOperation {

    /** Rekognition's default MinConfidence for moderation labels. */
    static final float DEFAULT_MIN_CONFIDENCE = 50f;
    /**
     * The same sides as DetectLabels. The classifier sees 299x299, so a decode of 1024-2048 pixels loses
     * nothing it could use.
     */
    static final ImageLimits LIMITS = new ImageLimits(80, 10_000, 1024);
    /** Rekognition's HumanLoopName and ProjectVersionId patterns (service model). */
    private static final Pattern HUMAN_LOOP_NAME = Pattern.compile("[a-z0-9](-*[a-z0-9])*");
    private static final Pattern PROJECT_VERSION = Pattern.compile(
            "arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project/[a-zA-Z0-9_.\\-]{1,255}/version/"
                    + "[a-zA-Z0-9_.\\-]{1,255}/[0-9]+");

    private final ImageSource images;
    private final ContentClassifier classifier;

    public DetectModerationLabelsOperation(ImageSource images, ContentClassifier classifier) {
        this.images = images;
        this.classifier = classifier;
    }

    @Override
    public String name() {
        return "DetectModerationLabels";
    }

    @Override
    public Object handle(JsonNode request) {
        Float min = Params.optionalFloat(request, "MinConfidence", 0f, 100f);
        float minConfidence = min == null ? DEFAULT_MIN_CONFIDENCE : min;
        checkHumanLoop(request.get("HumanLoopConfig"));
        String projectVersion = Params.optionalString(request, "ProjectVersion");
        if (projectVersion != null && !PROJECT_VERSION.matcher(projectVersion).matches()) {
            throw RekognitionException.invalidParameter("ProjectVersion is not a project version ARN");
        }
        if (projectVersion != null) {
            throw RekognitionException.resourceNotFound("The project version " + projectVersion
                    + " was not found: this engine has no custom moderation adapters");
        }
        DecodedImage image = ImageDecoder.decode(images.read(request.get("Image")), LIMITS);
        ContentClassifier.Scores scores = classifier.classify(image);
        return new DetectModerationLabelsResult(ModerationTaxonomy.labels(scores, minConfidence),
                ModerationTaxonomy.MODEL_VERSION, ModerationTaxonomy.contentTypes(scores, minConfidence));
    }

    /**
     * HumanLoopConfig is checked as Rekognition checks its shape, then not acted on: no human review is
     * started, which Rekognition also answers (without HumanLoopActivationOutput) when a loop's activation
     * conditions are not met.
     */
    static void checkHumanLoop(JsonNode config) {
        if (config == null || config.isNull()) {
            return;
        }
        if (!config.isObject()) {
            throw RekognitionException.serialization("HumanLoopConfig must be a structure, not " + config.getNodeType());
        }
        String name = Params.optionalString(config, "HumanLoopName");
        String arn = Params.optionalString(config, "FlowDefinitionArn");
        if (name == null || arn == null) {
            throw RekognitionException.invalidParameter("HumanLoopConfig needs HumanLoopName and FlowDefinitionArn");
        }
        if (name.isEmpty() || name.length() > 63 || !HUMAN_LOOP_NAME.matcher(name).matches()) {
            throw RekognitionException.invalidParameter("HumanLoopConfig.HumanLoopName must be 1-63 lower-case "
                    + "letters, digits and hyphens, starting and ending with a letter or digit");
        }
        if (arn.isEmpty() || arn.length() > 256) {
            throw RekognitionException.invalidParameter("HumanLoopConfig.FlowDefinitionArn must be 1-256 characters");
        }
        JsonNode attributes = config.get("DataAttributes");
        if (attributes != null && !attributes.isNull()) {
            Params.stringList(attributes.get("ContentClassifiers"), "ContentClassifiers",
                    java.util.Set.of("FreeOfPersonallyIdentifiableInformation", "FreeOfAdultContent"));
        }
    }
}
