package io.imagerec.rekognition.labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.config.EngineConfig;
import io.imagerec.rekognition.faces.BlazeFaceDetector;
import io.imagerec.rekognition.faces.ArcFaceModel;
import io.imagerec.rekognition.moderation.ContentClassifier;
import io.imagerec.rekognition.faces.EmotionModel;
import io.imagerec.rekognition.faces.FaceAnalyzer;
import io.imagerec.rekognition.faces.FaceMeshModel;
import io.imagerec.rekognition.faces.FaceTraitsModel;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.image.ImageSource;
import io.imagerec.rekognition.model.ModelRegistry;
import io.imagerec.rekognition.text.TextDetector;
import io.imagerec.rekognition.text.TextRecognizer;

/** {@code RekognitionService.DetectLabels}: request parsing and validation over {@link DetectLabelsService}. */
@ApplicationScoped
public class DetectLabelsOperation implements RekognitionOperation {

    /** Rekognition's default MinConfidence. */
    static final float DEFAULT_MIN_CONFIDENCE = 55f;
    static final int DEFAULT_DOMINANT_COLORS = 10;
    /** The service model's DetectLabelsMaxDominantColors maximum. */
    static final int MAX_DOMINANT_COLORS = 20;
    /**
     * Exponent of {@link ScoreCalibration} for CenterNet: raw 0.28 maps to confidence 50, 0.31 to 55
     * (the default cut-off), 0.5 to 78 and 0.8 to 97. Chosen on ../shared/testdata, where raw 0.28 is
     * the lowest score at which no absent label is reported.
     */
    static final double CENTERNET_CALIBRATION = 2.15;

    private final ImageSource images;
    private final DetectLabelsService service;

    public DetectLabelsOperation(ImageSource images, ModelRegistry models, EngineConfig config,
            ContentClassifier classifier) {
        this.images = images;
        LabelTaxonomy taxonomy = LabelTaxonomy.load();
        EngineConfig.Labels settings = config.labels();
        FaceAnalyzer faces = settings.faces()
                ? new FaceAnalyzer(new BlazeFaceDetector(models.blazeface(), config.faces().smallFaceTiles()),
                        new FaceMeshModel(models.facemesh()), new FaceTraitsModel(models.faceres()),
                        new EmotionModel(models.emotion()), new ArcFaceModel(models.arcFace()))
                : null;
        TextDetector text = settings.textSide() > 0 ? new TextDetector(models.textDetection()) : null;
        TextRecognizer recognizer;
        try {
            recognizer = settings.textSide() > 0
                    ? new TextRecognizer(models.textRecognition(), models.textDictionary()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the text recognizer's dictionary: " + e.getMessage(), e);
        }
        this.service = new DetectLabelsService(new CocoObjectDetector(models.centernet(), taxonomy.classCount()),
                taxonomy, new ScoreCalibration(CENTERNET_CALIBRATION), settings.tiles(), faces, text,
                recognizer, settings.textSide(), settings.art() ? classifier : null);
    }

    @Override
    public String name() {
        return "DetectLabels";
    }

    @Override
    public Object handle(JsonNode request) {
        DetectLabelsOptions options = options(request);
        DecodedImage image = ImageDecoder.decode(images.read(request.get("Image")), ImageLimits.DETECT_LABELS);
        return service.detect(image, options);
    }

    static DetectLabelsOptions options(JsonNode request) {
        Integer maxLabels = Params.optionalInt(request, "MaxLabels", 0, 1000);
        Float minConfidence = Params.optionalFloat(request, "MinConfidence", 0f, 100f);
        List<String> features = Params.stringList(request.get("Features"), "Features",
                Set.of("GENERAL_LABELS", "IMAGE_PROPERTIES"));
        JsonNode general = request.path("Settings").path("GeneralLabels");
        Integer maxColors = Params.optionalInt(request.path("Settings").path("ImageProperties"), "MaxDominantColors",
                0, MAX_DOMINANT_COLORS);
        return new DetectLabelsOptions(
                maxLabels,
                minConfidence == null ? DEFAULT_MIN_CONFIDENCE : minConfidence,
                features.isEmpty() || features.contains("GENERAL_LABELS"),
                features.contains("IMAGE_PROPERTIES"),
                maxColors == null ? DEFAULT_DOMINANT_COLORS : maxColors,
                Params.stringList(general.get("LabelInclusionFilters"), "LabelInclusionFilters", Set.of()),
                Params.stringList(general.get("LabelExclusionFilters"), "LabelExclusionFilters", Set.of()),
                Params.stringList(general.get("LabelCategoryInclusionFilters"), "LabelCategoryInclusionFilters", Set.of()),
                Params.stringList(general.get("LabelCategoryExclusionFilters"), "LabelCategoryExclusionFilters", Set.of()));
    }
}
