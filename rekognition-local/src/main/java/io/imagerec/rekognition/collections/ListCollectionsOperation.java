package io.imagerec.rekognition.collections;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionOperation;

/** {@code RekognitionService.ListCollections}, in id order with NextToken paging. */
@ApplicationScoped
public class ListCollectionsOperation implements RekognitionOperation {

    static final int MAX_RESULTS = 4096;
    static final int DEFAULT_RESULTS = 1000;

    private final FaceCollections collections;

    public ListCollectionsOperation(FaceCollections collections) {
        this.collections = collections;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(@JsonProperty("CollectionIds") List<String> collectionIds,
                           @JsonProperty("NextToken") String nextToken,
                           @JsonProperty("FaceModelVersions") List<String> faceModelVersions) {
    }

    @Override
    public String name() {
        return "ListCollections";
    }

    @Override
    public Object handle(JsonNode request) {
        Integer max = Params.optionalInt(request, "MaxResults", 0, MAX_RESULTS);
        int limit = max == null ? DEFAULT_RESULTS : max;
        CollectionShapes.Page<String> page = CollectionShapes.page(
                collections.ids(CollectionShapes.afterKey(request, CollectionShapes.COLLECTION_ID), limit + 1), limit, id -> id);
        return new Response(page.items(), page.nextToken(),
                page.items().stream().map(id -> collections.descriptorOf(id).modelVersion()).toList());
    }
}
