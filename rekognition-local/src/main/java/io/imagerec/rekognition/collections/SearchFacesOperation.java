package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.faces.FaceSimilarity;

/** {@code RekognitionService.SearchFaces}: the faces of a collection most like one of its own faces. */
@ApplicationScoped
public class SearchFacesOperation implements RekognitionOperation {

    static final int MAX_FACES = 4096;
    static final int DEFAULT_MAX_FACES = 80;
    static final float DEFAULT_THRESHOLD = 80f;

    private final FaceCollections collections;

    public SearchFacesOperation(FaceCollections collections) {
        this.collections = collections;
    }

    public record Response(@JsonProperty("SearchedFaceId") String searchedFaceId,
                           @JsonProperty("FaceMatches") List<CollectionShapes.FaceMatch> faceMatches,
                           @JsonProperty("FaceModelVersion") String faceModelVersion) {
    }

    @Override
    public String name() {
        return "SearchFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        UUID faceId = DeleteFacesOperation.faceId(Params.requiredString(request, "FaceId"), "FaceId");
        float[] query = c.descriptor(faceId);
        if (query == null) {
            throw RekognitionException.invalidParameter("FaceId " + faceId + " is not in collection " + c.id());
        }
        return new Response(faceId.toString(), matches(c, query, request, faceId), c.descriptor().modelVersion());
    }

    /** Matches above the request's FaceMatchThreshold, best first, at most its MaxFaces. */
    static List<CollectionShapes.FaceMatch> matches(FaceCollection c, float[] query, JsonNode request, UUID exclude) {
        Integer max = Params.optionalInt(request, "MaxFaces", 1, MAX_FACES);
        Float threshold = Params.optionalFloat(request, "FaceMatchThreshold", 0f, 100f);
        FaceSimilarity similarity = c.descriptor().similarity();
        double minCosine = similarity.cosineFor(threshold == null ? DEFAULT_THRESHOLD : threshold);
        return c.search(query, minCosine, max == null ? DEFAULT_MAX_FACES : max, exclude).stream()
                .map(m -> new CollectionShapes.FaceMatch(similarity.fromCosine(m.cosine()),
                        CollectionShapes.Face.of(m.face(), c)))
                .toList();
    }
}
