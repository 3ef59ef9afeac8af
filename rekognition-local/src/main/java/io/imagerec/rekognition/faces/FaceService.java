package io.imagerec.rekognition.faces;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.config.EngineConfig;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.image.ImageSource;
import io.imagerec.rekognition.model.ModelRegistry;

/** The face models behind every face operation: reads a request's image and analyses its faces. */
@ApplicationScoped
public class FaceService {

    /** Rekognition analyses the 100 largest faces of an image. */
    public static final int MAX_FACES = 100;

    private final ImageSource images;
    private final FaceAnalyzer analyzer;
    private final FaceDescriptor descriptor;

    public FaceService(ImageSource images, ModelRegistry models, EngineConfig config) {
        this.images = images;
        this.descriptor = FaceDescriptor.fromConfig(config.faces().descriptor());
        this.analyzer = new FaceAnalyzer(
                new BlazeFaceDetector(models.blazeface(), config.faces().smallFaceTiles()),
                new FaceMeshModel(models.facemesh()),
                new FaceTraitsModel(models.faceres()),
                new EmotionModel(models.emotion()),
                new ArcFaceModel(models.arcFace()));
    }

    /** The configured descriptor ({@code rekognition.faces.descriptor}): CompareFaces' and new collections'. */
    public FaceDescriptor descriptor() {
        return descriptor;
    }

    /**
     * The faces of a request's {@code Image} (largest first, at most {@link #MAX_FACES}).
     *
     * @param parameter the request field holding the image, for error messages
     * @param descriptor the identity descriptor to compute, or null for none
     */
    public List<AnalyzedFace> analyze(JsonNode image, String parameter, FaceAnalyzer.Attributes attributes,
                                      FaceDescriptor descriptor) {
        if (image == null || image.isNull()) {
            throw RekognitionException.invalidParameter(parameter + " is required");
        }
        DecodedImage decoded = ImageDecoder.decode(images.read(image), ImageLimits.FACES);
        List<AnalyzedFace> faces = analyzer.analyze(decoded, attributes, descriptor);
        return faces.size() > MAX_FACES ? faces.subList(0, MAX_FACES) : faces;
    }

    /**
     * The largest face of the image that passes {@code filter}, with its descriptor, as CompareFaces'
     * source and SearchFacesByImage use it; InvalidParameterException when there is none.
     */
    public AnalyzedFace largestFace(JsonNode image, String parameter, QualityFilter filter, FaceDescriptor descriptor) {
        return analyze(image, parameter, FaceAnalyzer.Attributes.NONE, descriptor).stream()
                .filter(f -> filter.reasons(f).isEmpty())
                .findFirst()
                .orElseThrow(() -> RekognitionException.invalidParameter(
                        "There are no faces in " + parameter + " that pass the quality filter. Should be at least 1."));
    }
}
