package io.imagerec.rekognition.collections;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.faces.AnalyzedFace;
import io.imagerec.rekognition.faces.FaceService;
import io.imagerec.rekognition.faces.QualityFilter;
import io.imagerec.rekognition.shape.BoundingBox;

/** {@code RekognitionService.SearchFacesByImage}: the largest face of an image searched in a collection. */
@ApplicationScoped
public class SearchFacesByImageOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final FaceService faces;

    public SearchFacesByImageOperation(FaceCollections collections, FaceService faces) {
        this.collections = collections;
        this.faces = faces;
    }

    public record Response(@JsonProperty("SearchedFaceBoundingBox") BoundingBox searchedFaceBoundingBox,
                           @JsonProperty("SearchedFaceConfidence") float searchedFaceConfidence,
                           @JsonProperty("FaceMatches") List<CollectionShapes.FaceMatch> faceMatches,
                           @JsonProperty("FaceModelVersion") String faceModelVersion) {
    }

    @Override
    public String name() {
        return "SearchFacesByImage";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        QualityFilter filter = QualityFilter.parse(Params.optionalString(request, "QualityFilter"), QualityFilter.NONE);
        // The image is described with the collection's own model, so its vectors are never compared
        // with another model's.
        AnalyzedFace face = faces.largestFace(request.get("Image"), "Image", filter, c.descriptor());
        return new Response(face.box(), face.detail().confidence(),
                SearchFacesOperation.matches(c, face.descriptor(), request, null), c.descriptor().modelVersion());
    }
}
