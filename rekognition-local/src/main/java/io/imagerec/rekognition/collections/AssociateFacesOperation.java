package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;

/**
 * {@code RekognitionService.AssociateFaces}: up to 100 faces to a user (100 a user at most), each matching
 * the user's faces with at least UserMatchThreshold (default 75) when it has any.
 */
@ApplicationScoped
public class AssociateFacesOperation implements RekognitionOperation {

    static final float DEFAULT_THRESHOLD = 75f;

    private final FaceCollections collections;
    private final ObjectMapper json;

    public AssociateFacesOperation(FaceCollections collections, ObjectMapper json) {
        this.collections = collections;
        this.json = json;
    }

    public record Response(@JsonProperty("AssociatedFaces") List<UserShapes.FaceIdOnly> associatedFaces,
                           @JsonProperty("UnsuccessfulFaceAssociations") List<UserShapes.Unsuccessful> unsuccessful,
                           @JsonProperty("UserStatus") String userStatus) {
    }

    @Override
    public String name() {
        return "AssociateFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        String userId = UserShapes.userId(request);
        List<UUID> faceIds = UserShapes.faceIds(request);
        Float asked = Params.optionalFloat(request, "UserMatchThreshold", 0f, 100f);
        float threshold = asked == null ? DEFAULT_THRESHOLD : asked;
        FaceUsers users = c.users();
        return users.associate(userId, faceIds, threshold,
                UserShapes.once(json, name(), request, userId + " " + faceIds + " " + threshold),
                changed -> new Response(UserShapes.faceIds(changed), UserShapes.unsuccessful(changed), changed.user().status()));
    }
}
