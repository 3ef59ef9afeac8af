package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;

/**
 * {@code RekognitionService.ListFaces}, in face-id order with NextToken paging; {@code FaceIds} narrows
 * the listing to those faces (ids of no face in the collection are left out, as a filter does) and
 * {@code UserId} to the faces associated with that user; both together narrow by both.
 */
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
        String after = CollectionShapes.afterKey(request, DeleteFacesOperation.FACE_ID);
        String userIdParam = Params.optionalString(request, "UserId");
        String userId = userIdParam == null ? null : UserShapes.checkedUserId(userIdParam);
        if (userId != null) {
            c.users(); // a store without users says so rather than listing no face
        }
        List<StoredFace> fetched;
        if (request.hasNonNull("FaceIds")) {
            List<String> ids = Params.stringList(request.get("FaceIds"), "FaceIds", Set.of());
            if (ids.isEmpty() || ids.size() > DeleteFacesOperation.MAX_FACE_IDS) {
                throw RekognitionException.invalidParameter("FaceIds must hold 1 to " + DeleteFacesOperation.MAX_FACE_IDS
                        + " face ids");
            }
            // In the listing's order, face-id text, which is what NextToken holds.
            fetched = ids.stream().map(id -> DeleteFacesOperation.faceId(id, "FaceIds")).map(UUID::toString)
                    .distinct().sorted().filter(id -> after == null || id.compareTo(after) > 0)
                    .map(UUID::fromString).filter(id -> userId == null || userId.equals(c.userOf(id)))
                    .map(c::get).filter(Objects::nonNull).limit(limit + 1L).toList();
        } else {
            fetched = c.list(after, limit + 1, userId);
        }
        CollectionShapes.Page<StoredFace> page = CollectionShapes.page(fetched, limit, f -> f.faceId().toString());
        return new Response(page.items().stream().map(f -> CollectionShapes.Face.of(f, c)).toList(), page.nextToken(),
                c.descriptor().modelVersion());
    }
}
