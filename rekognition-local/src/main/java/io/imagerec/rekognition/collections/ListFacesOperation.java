package io.imagerec.rekognition.collections;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.ListFaces}, in face-id order with NextToken paging. */
@ApplicationScoped
public class ListFacesOperation implements RekognitionOperation {

    static final int MAX_RESULTS = 4096;
    static final int DEFAULT_RESULTS = 1000;

    private final FaceCollections collections;

    public ListFacesOperation(FaceCollections collections) {
        this.collections = collections;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(@JsonProperty("Faces") List<CollectionShapes.Face> faces,
                           @JsonProperty("NextToken") String nextToken,
                           @JsonProperty("FaceModelVersion") String faceModelVersion) {
    }

    @Override
    public String name() {
        return "ListFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        Integer max = Params.optionalInt(request, "MaxResults", 0, MAX_RESULTS);
        int limit = max == null ? DEFAULT_RESULTS : max;
        String userId = Params.optionalString(request, "UserId");
        CollectionShapes.Page<StoredFace> page = CollectionShapes.page(userId == null
                ? c.list(CollectionShapes.afterKey(request), limit + 1)
                : c.list(CollectionShapes.afterKey(request), limit + 1, UserShapes.checkedUserId(userId)),
                limit, f -> f.faceId().toString());
        return new Response(page.items().stream().map(f -> CollectionShapes.Face.of(f, c)).toList(), page.nextToken(),
                c.descriptor().modelVersion());
    }
}
