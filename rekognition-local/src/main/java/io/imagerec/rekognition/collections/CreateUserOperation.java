package io.imagerec.rekognition.collections;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.CreateUser}: an empty user (UserStatus CREATED) in a collection. */
@ApplicationScoped
public class CreateUserOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final ObjectMapper json;

    public CreateUserOperation(FaceCollections collections, ObjectMapper json) {
        this.collections = collections;
        this.json = json;
    }

    @Override
    public String name() {
        return "CreateUser";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        String userId = UserShapes.userId(request);
        FaceUsers users = c.users();
        return users.create(userId, UserShapes.once(json, name(), request, userId), Map.of());
    }
}
