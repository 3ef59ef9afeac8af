package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.DeleteFaces}. */
@ApplicationScoped
public class DeleteFacesOperation implements RekognitionOperation {

    static final int MAX_FACE_IDS = 4096;

    private final FaceCollections collections;

    public DeleteFacesOperation(FaceCollections collections) {
        this.collections = collections;
    }

    public record Unsuccessful(@JsonProperty("FaceId") String faceId, @JsonProperty("Reasons") List<String> reasons) {
    }

    public record Response(@JsonProperty("DeletedFaces") List<String> deletedFaces,
                           @JsonProperty("UnsuccessfulFaceDeletions") List<Unsuccessful> unsuccessful) {
    }

    @Override
    public String name() {
        return "DeleteFaces";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        List<String> ids = Params.stringList(request.get("FaceIds"), "FaceIds", java.util.Set.of());
        if (ids.isEmpty() || ids.size() > MAX_FACE_IDS) {
            throw RekognitionException.invalidParameter("FaceIds must hold 1 to " + MAX_FACE_IDS + " face ids");
        }
        List<UUID> parsed = new ArrayList<>();
        List<Unsuccessful> unsuccessful = new ArrayList<>();
        for (String id : ids) {
            UUID uuid = faceId(id);
            if (uuid == null) {
                unsuccessful.add(new Unsuccessful(id, List.of("FACE_NOT_FOUND")));
            } else {
                parsed.add(uuid);
            }
        }
        List<UUID> deleted = c.delete(parsed);
        for (UUID id : parsed) {
            if (!deleted.contains(id)) {
                unsuccessful.add(new Unsuccessful(id.toString(), List.of("FACE_NOT_FOUND")));
            }
        }
        return new Response(deleted.stream().map(UUID::toString).toList(), unsuccessful);
    }

    /** The UUID of a face id, or null when it is not one. */
    static UUID faceId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
