package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.shape.BoundingBox;

/** Response shapes and paging shared by the collection operations. */
public final class CollectionShapes {

    /** A CollectionId as the service model allows it. */
    static final Pattern COLLECTION_ID = Pattern.compile("[a-zA-Z0-9_.\\-]{1,255}");

    private CollectionShapes() {
    }

    /** Rekognition's Face: a stored face as ListFaces and searches return it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Face(
            @JsonProperty("FaceId") String faceId,
            @JsonProperty("BoundingBox") BoundingBox boundingBox,
            @JsonProperty("ImageId") String imageId,
            @JsonProperty("ExternalImageId") String externalImageId,
            @JsonProperty("Confidence") float confidence,
            @JsonProperty("IndexFacesModelVersion") String indexFacesModelVersion,
            @JsonProperty("UserId") String userId) {

        /** A face of {@code c}, which reports its collection's FaceModelVersion, and its user if it has one. */
        static Face of(StoredFace f, FaceCollection c) {
            return new Face(f.faceId().toString(), f.boundingBox(), f.imageId().toString(), f.externalImageId(),
                    f.confidence(), c.descriptor().modelVersion(), c.userOf(f.faceId()));
        }
    }

    public record FaceMatch(@JsonProperty("Similarity") float similarity, @JsonProperty("Face") Face face) {
    }

    /** One page of a listing and the token for the next one (null on the last page). */
    record Page<T>(List<T> items, String nextToken) {
    }

    /**
     * The page of a listing fetched with one item more than {@code limit}: that extra item only says
     * that another page follows, whose token is the key of this page's last item (a collection id or a
     * face id: at most 255 characters, as the service model's PaginationToken allows).
     */
    static <T> Page<T> page(List<T> fetchedOneMore, int limit, Function<T, String> key) {
        if (fetchedOneMore.size() <= limit) {
            return new Page<>(fetchedOneMore, null);
        }
        List<T> items = fetchedOneMore.subList(0, limit);
        return new Page<>(items, items.isEmpty() ? null : key.apply(items.get(limit - 1)));
    }

    /** The collection's ARN as DescribeCollection gives it (CreateCollection drops the "arn:" prefix). */
    static String collectionArn(String region, String id) {
        return "arn:aws:rekognition:" + region + ":000000000000:collection/" + id;
    }

    static String collectionId(JsonNode request) {
        return Params.requiredString(request, "CollectionId");
    }

    /**
     * The key a NextToken continues after. A token that is not of the listing's key form ({@code keyForm})
     * was not issued by this service: InvalidPaginationTokenException, as Rekognition answers it.
     */
    static String afterKey(JsonNode request, Pattern keyForm) {
        String token = Params.optionalString(request, "NextToken");
        if (token == null) {
            return null;
        }
        if (!keyForm.matcher(token).matches()) {
            throw RekognitionException.invalidPaginationToken("NextToken is not a token this service issued");
        }
        return token;
    }
}
