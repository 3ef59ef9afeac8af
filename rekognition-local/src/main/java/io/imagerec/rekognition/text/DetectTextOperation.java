package io.imagerec.rekognition.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.api.RequestGate;
import io.imagerec.rekognition.config.EngineConfig;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.image.ImageSource;
import io.imagerec.rekognition.model.ModelRegistry;
import io.imagerec.rekognition.shape.BoundingBox;

/** {@code RekognitionService.DetectText}: request parsing and validation over {@link DetectTextService}. */
@ApplicationScoped
public class DetectTextOperation implements RekognitionOperation {

    /** Rekognition accepts at most 10 regions of interest. */
    static final int MAX_REGIONS = 10;

    private final ImageSource images;
    private final DetectTextService service;

    public DetectTextOperation(ImageSource images, ModelRegistry models, RequestGate gate, EngineConfig config) {
        this.images = images;
        try {
            // The detector on more threads only while this is the one request in flight (or none is,
            // when a test calls the service directly).
            this.service = new DetectTextService(new TextDetector(models.textDetection()),
                    new TextDetector(models.idleTextDetection()), () -> gate.inFlight() <= 1,
                    new TextDirectionClassifier(models.textDirection()),
                    new TextRecognizer(models.textRecognition(), models.textDictionary(),
                            config.text().lineWidthFactor()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service behind the operation (its tests look at the readings before the line cut-off). */
    DetectTextService service() {
        return service;
    }

    @Override
    public String name() {
        return "DetectText";
    }

    @Override
    public Object handle(JsonNode request) {
        DetectTextOptions options = options(request);
        return service.detect(ImageDecoder.decode(images.read(request.get("Image")), ImageLimits.DETECT_TEXT), options);
    }

    static DetectTextOptions options(JsonNode request) {
        JsonNode filters = request.path("Filters");
        JsonNode word = filters.path("WordFilter");
        Float minConfidence = Params.optionalFloat(word, "MinConfidence", 0f, 100f);
        Float minHeight = Params.optionalFloat(word, "MinBoundingBoxHeight", 0f, 1f);
        Float minWidth = Params.optionalFloat(word, "MinBoundingBoxWidth", 0f, 1f);
        List<BoundingBox> regions = new ArrayList<>();
        JsonNode rois = filters.path("RegionsOfInterest");
        if (!rois.isMissingNode() && !rois.isNull()) {
            if (!rois.isArray() || rois.size() > MAX_REGIONS) {
                throw RekognitionException.invalidParameter("RegionsOfInterest must be a list of at most "
                        + MAX_REGIONS + " regions");
            }
            for (JsonNode roi : rois) {
                regions.add(region(roi));
            }
        }
        return new DetectTextOptions(minConfidence == null ? 0f : minConfidence, minHeight == null ? 0f : minHeight,
                minWidth == null ? 0f : minWidth, regions);
    }

    /** A region given as a BoundingBox, or as a Polygon (its bounding box is used). */
    private static BoundingBox region(JsonNode roi) {
        JsonNode box = roi.path("BoundingBox");
        if (box.isObject()) {
            return new BoundingBox((float) box.path("Width").asDouble(), (float) box.path("Height").asDouble(),
                    (float) box.path("Left").asDouble(), (float) box.path("Top").asDouble());
        }
        JsonNode polygon = roi.path("Polygon");
        if (polygon.isArray() && polygon.size() >= 3) {
            float minX = 1;
            float minY = 1;
            float maxX = 0;
            float maxY = 0;
            for (JsonNode p : polygon) {
                minX = Math.min(minX, (float) p.path("X").asDouble());
                minY = Math.min(minY, (float) p.path("Y").asDouble());
                maxX = Math.max(maxX, (float) p.path("X").asDouble());
                maxY = Math.max(maxY, (float) p.path("Y").asDouble());
            }
            return new BoundingBox(maxX - minX, maxY - minY, minX, minY);
        }
        throw RekognitionException.invalidParameter("Each region of interest needs a BoundingBox or a Polygon");
    }
}
