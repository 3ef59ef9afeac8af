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
        return UserShapes.once(users, json, name(), request, userId + " " + faceIds, () -> {
            FaceUsers.Changed changed = users.disassociate(userId, faceIds);
            return new Response(changed.faces().stream().map(id -> new UserShapes.FaceIdOnly(id.toString())).toList(),
                    changed.unsuccessful().stream().map(UserShapes.Unsuccessful::of).toList(), changed.user().status());
        });
    }
}
