package io.imagerec.rekognition.collections;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.DeleteCollection}: the collection and every face in it, from disk too. */
@ApplicationScoped
public class DeleteCollectionOperation implements RekognitionOperation {

    private final FaceCollections collections;

    public DeleteCollectionOperation(FaceCollections collections) {
        this.collections = collections;
    }

    public record Response(@JsonProperty("StatusCode") int statusCode) {
    }

    @Override
    public String name() {
        return "DeleteCollection";
    }

    @Override
    public Object handle(JsonNode request) {
        collections.delete(CollectionShapes.collectionId(request));
        return new Response(200);
    }
}
