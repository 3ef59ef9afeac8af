package io.imagerec.rekognition.faces;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.shape.FaceDetail;

/** {@code RekognitionService.DetectFaces}. */
@ApplicationScoped
public class DetectFacesOperation implements RekognitionOperation {

    /**
     * Every value Rekognition accepts in {@code Attributes} and IndexFaces' {@code DetectionAttributes};
     * the ones no model here estimates are accepted and left out (README, differences from AWS).
     */
    public static final Set<String> ATTRIBUTES = Set.of("DEFAULT", "ALL", "AGE_RANGE", "BEARD", "EMOTIONS", "EYE_DIRECTION",
            "EYEGLASSES", "EYES_OPEN", "FACE_OCCLUDED", "GENDER", "MOUTH_OPEN", "MUSTACHE", "SMILE", "SUNGLASSES");

    private final FaceService faces;

    public DetectFacesOperation(FaceService faces) {
        this.faces = faces;
    }

    public record Response(@JsonProperty("FaceDetails") List<FaceDetail> faceDetails) {
    }

    @Override
    public String name() {
        return "DetectFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        List<String> attributes = Params.stringList(request.get("Attributes"), "Attributes", ATTRIBUTES);
        List<FaceDetail> details = new ArrayList<>();
        for (AnalyzedFace face : faces.analyze(request.get("Image"), "Image", models(attributes), null)) {
            details.add(select(face.detail(), attributes));
        }
        return new Response(details);
    }

    /** The attribute models to run: all of them when any attribute beyond the default ones is asked for. */
    public static FaceAnalyzer.Attributes models(List<String> attributes) {
        return attributes.stream().anyMatch(a -> !a.equals("DEFAULT")) ? FaceAnalyzer.Attributes.ALL
                : FaceAnalyzer.Attributes.NONE;
    }

    /** The default fields plus the extended attributes asked for ({@code ALL} means every one). */
    public static FaceDetail select(FaceDetail d, List<String> attributes) {
        if (attributes.contains("ALL")) {
            return d;
        }
        return new FaceDetail(d.boundingBox(),
                attributes.contains("AGE_RANGE") ? d.ageRange() : null,
                attributes.contains("SMILE") ? d.smile() : null,
                attributes.contains("GENDER") ? d.gender() : null,
                attributes.contains("EYES_OPEN") ? d.eyesOpen() : null,
                attributes.contains("MOUTH_OPEN") ? d.mouthOpen() : null,
                attributes.contains("EMOTIONS") ? d.emotions() : null,
                d.landmarks(), d.pose(), d.quality(), d.confidence());
    }
}
