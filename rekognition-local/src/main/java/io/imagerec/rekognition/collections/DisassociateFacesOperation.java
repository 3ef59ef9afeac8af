package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.DisassociateFaces}: up to 100 of a user's faces back to no user. */
@ApplicationScoped
public class DisassociateFacesOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final ObjectMapper json;

    public DisassociateFacesOperation(FaceCollections collections, ObjectMapper json) {
        this.collections = collections;
        this.json = json;
    }

    public record Response(@JsonProperty("DisassociatedFaces") List<UserShapes.FaceIdOnly> disassociatedFaces,
                           @JsonProperty("UnsuccessfulFaceDisassociations") List<UserShapes.Unsuccessful> unsuccessful,
                           @JsonProperty("UserStatus") String userStatus) {
    }

    @Override
    public String name() {
        return "DisassociateFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        String userId = UserShapes.userId(request);
        List<UUID> faceIds = UserShapes.faceIds(request);
        FaceUsers users = c.users();
        return users.disassociate(userId, faceIds, UserShapes.once(json, name(), request, userId + " " + faceIds),
                changed -> new Response(UserShapes.faceIds(changed), UserShapes.unsuccessful(changed), changed.user().status()));
    }
}
