package io.imagerec.rekognition.faces;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.ComparedFace;

/**
 * {@code RekognitionService.CompareFaces}: the largest face of the source image against every face
 * of the target image.
 */
@ApplicationScoped
public class CompareFacesOperation implements RekognitionOperation {

    static final float DEFAULT_SIMILARITY_THRESHOLD = 80f;

    private final FaceService faces;

    public CompareFacesOperation(FaceService faces) {
        this.faces = faces;
    }

    public record SourceFace(@JsonProperty("BoundingBox") BoundingBox boundingBox,
                             @JsonProperty("Confidence") float confidence) {
    }

    public record FaceMatch(@JsonProperty("Similarity") float similarity, @JsonProperty("Face") ComparedFace face) {
    }

    public record Response(@JsonProperty("SourceImageFace") SourceFace sourceImageFace,
                           @JsonProperty("FaceMatches") List<FaceMatch> faceMatches,
                           @JsonProperty("UnmatchedFaces") List<ComparedFace> unmatchedFaces) {
    }

    @Override
    public String name() {
        return "CompareFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        Float thresholdParam = Params.optionalFloat(request, "SimilarityThreshold", 0f, 100f);
        float threshold = thresholdParam == null ? DEFAULT_SIMILARITY_THRESHOLD : thresholdParam;
        QualityFilter filter = QualityFilter.parse(Params.optionalString(request, "QualityFilter"), QualityFilter.NONE);

        FaceDescriptor descriptor = faces.descriptor();
        AnalyzedFace source = faces.largestFace(request.get("SourceImage"), "SourceImage", filter, descriptor);
        List<FaceMatch> matches = new ArrayList<>();
        List<ComparedFace> unmatched = new ArrayList<>();
        for (AnalyzedFace target : faces.analyze(request.get("TargetImage"), "TargetImage",
                FaceAnalyzer.Attributes.EXPRESSION, descriptor)) {
            if (!filter.reasons(target).isEmpty()) {
                continue;
            }
            float similarity = descriptor.similarity().of(source.descriptor(), target.descriptor());
            if (similarity >= threshold) {
                matches.add(new FaceMatch(similarity, ComparedFace.of(target.detail())));
            } else {
                unmatched.add(ComparedFace.of(target.detail()));
            }
        }
        matches.sort(Comparator.comparing(FaceMatch::similarity).reversed());
        return new Response(new SourceFace(source.box(), source.detail().confidence()), matches, unmatched);
    }
}
