package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.DeleteFaces}. */
@ApplicationScoped
public class DeleteFacesOperation implements RekognitionOperation {

    static final Pattern FACE_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    static final int MAX_FACE_IDS = 4096;

    private final FaceCollections collections;

    public DeleteFacesOperation(FaceCollections collections) {
        this.collections = collections;
    }

    public record Unsuccessful(@JsonProperty("FaceId") String faceId, @JsonProperty("Reasons") List<String> reasons) {
    }

    /** DeletedFaces holds 1 to 4096 ids in the service model: when nothing was deleted it is left out. */
    public record Response(@JsonInclude(JsonInclude.Include.NON_EMPTY) @JsonProperty("DeletedFaces") List<String> deletedFaces,
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
            parsed.add(faceId(id, "FaceIds"));
        }
        List<UUID> deleted = c.delete(parsed);
        for (UUID id : parsed) {
            if (!deleted.contains(id)) {
                unsuccessful.add(new Unsuccessful(id.toString(), List.of("FACE_NOT_FOUND")));
            }
        }
        return new Response(deleted.stream().map(UUID::toString).toList(), unsuccessful);
    }

    /**
     * The UUID of a face id. One that does not have Rekognition's FaceId form (lowercase hex
     * 8-4-4-4-12) can name no face and is refused as InvalidParameterException, as Rekognition refuses
     * a value outside a member's pattern; it is not echoed.
     */
    static UUID faceId(String id, String member) {
        if (!FACE_ID.matcher(id).matches()) {
            throw RekognitionException.invalidParameter(member + " must be face ids of the form "
                    + "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (lowercase hexadecimal)");
        }
        return UUID.fromString(id);
    }
}
