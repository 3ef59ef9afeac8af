package io.imagerec.rekognition.collections;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.config.EngineConfig;

/** {@code RekognitionService.CreateCollection}. */
@ApplicationScoped
public class CreateCollectionOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final String region;

    public CreateCollectionOperation(FaceCollections collections, EngineConfig config) {
        this.collections = collections;
        this.region = config.s3().region();
    }

    public record Response(@JsonProperty("StatusCode") int statusCode,
                           @JsonProperty("CollectionArn") String collectionArn,
                           @JsonProperty("FaceModelVersion") String faceModelVersion) {
    }

    @Override
    public String name() {
        return "CreateCollection";
    }

    @Override
    public Object handle(JsonNode request) {
        String id = CollectionShapes.collectionId(request);
        FaceCollection c = collections.create(id);
        // Rekognition's CreateCollection answers the ARN without its "arn:" prefix.
        return new Response(200, CollectionShapes.collectionArn(region, id).substring("arn:".length()),
                c.descriptor().modelVersion());
    }
}
