package io.imagerec.rekognition.collections;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.config.EngineConfig;

/** {@code RekognitionService.DescribeCollection}. */
@ApplicationScoped
public class DescribeCollectionOperation implements RekognitionOperation {

    private final FaceCollections collections;
    private final String region;

    public DescribeCollectionOperation(FaceCollections collections, EngineConfig config) {
        this.collections = collections;
        this.region = config.s3().region();
    }

    public record Response(@JsonProperty("FaceCount") long faceCount,
                           @JsonProperty("FaceModelVersion") String faceModelVersion,
                           @JsonProperty("CollectionARN") String collectionArn,
                           @JsonProperty("CreationTimestamp") double creationTimestamp,
                           @JsonProperty("UserCount") long userCount) {
    }

    @Override
    public String name() {
        return "DescribeCollection";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        return new Response(c.faceCount(), c.descriptor().modelVersion(),
                CollectionShapes.collectionArn(region, c.id()), c.createdAt() / 1000.0, c.userCount());
    }
}
