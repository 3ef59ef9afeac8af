package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.faces.AnalyzedFace;
import io.imagerec.rekognition.faces.DetectFacesOperation;
import io.imagerec.rekognition.faces.FaceAnalyzer;
import io.imagerec.rekognition.faces.FaceService;
import io.imagerec.rekognition.faces.QualityFilter;
import io.imagerec.rekognition.shape.FaceDetail;

/**
 * {@code RekognitionService.SearchUsersByImage}: the users most like the largest face of an image that
 * passes QualityFilter (default NONE); the image's other faces are UnsearchedFaces. An image with no such
 * face answers no matches and no SearchedFace, as Rekognition does.
 */
@ApplicationScoped
public class SearchUsersByImageOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final FaceService faces;

    public SearchUsersByImageOperation(FaceCollections collections, FaceService faces) {
        this.collections = collections;
        this.faces = faces;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(@JsonProperty("UserMatches") List<UserShapes.UserMatch> userMatches,
                           @JsonProperty("FaceModelVersion") String faceModelVersion,
                           @JsonProperty("SearchedFace") SearchedFace searchedFace,
                           @JsonProperty("UnsearchedFaces") List<UnsearchedFace> unsearchedFaces) {
    }

    public record SearchedFace(@JsonProperty("FaceDetail") FaceDetail faceDetail) {
    }

    public record UnsearchedFace(@JsonProperty("FaceDetails") FaceDetail faceDetails,
                                 @JsonProperty("Reasons") List<String> reasons) {
    }

    @Override
    public String name() {
        return "SearchUsersByImage";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        c.users();
        SearchUsersOperation.Limits limits = SearchUsersOperation.Limits.of(request);
        QualityFilter filter = QualityFilter.parse(Params.optionalString(request, "QualityFilter"), QualityFilter.NONE);
        AnalyzedFace searched = null;
        List<UnsearchedFace> unsearched = new ArrayList<>();
        // Largest first: the first that passes the filter is searched.
        for (AnalyzedFace face : faces.analyze(request.get("Image"), "Image", FaceAnalyzer.Attributes.NONE, c.descriptor())) {
            List<String> reasons = new ArrayList<>(filter.reasons(face));
            if (reasons.isEmpty() && searched == null) {
                searched = face;
                continue;
            }
            if (reasons.isEmpty()) {
                reasons.add("FACE_NOT_LARGEST");
            }
            unsearched.add(new UnsearchedFace(DetectFacesOperation.select(face.detail(), List.of()), reasons));
        }
        if (searched == null) {
            return new Response(List.of(), c.descriptor().modelVersion(), null, unsearched);
        }
        List<UserShapes.UserMatch> matches = SearchUsersOperation.matches(c, List.of(searched.descriptor()), limits, null);
        return new Response(matches, c.descriptor().modelVersion(),
                new SearchedFace(DetectFacesOperation.select(searched.detail(), List.of())), unsearched);
    }
}
