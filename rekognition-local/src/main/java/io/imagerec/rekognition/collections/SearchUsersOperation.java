package io.imagerec.rekognition.collections;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.rekognition.faces.FaceSimilarity;

/**
 * {@code RekognitionService.SearchUsers}: the users most like one of the collection's faces (FaceId) or
 * one of its users (UserId, which is left out of its own matches). A user's similarity is that of its
 * face most like the searched one (Rekognition compares with a "user vector" it does not describe).
 */
@ApplicationScoped
public class SearchUsersOperation implements RekognitionOperation {

    private final FaceCollections collections;

    public SearchUsersOperation(FaceCollections collections) {
        this.collections = collections;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Response(@JsonProperty("UserMatches") List<UserShapes.UserMatch> userMatches,
                           @JsonProperty("FaceModelVersion") String faceModelVersion,
                           @JsonProperty("SearchedFace") UserShapes.FaceIdOnly searchedFace,
                           @JsonProperty("SearchedUser") SearchedUser searchedUser) {
    }

    public record SearchedUser(@JsonProperty("UserId") String userId) {
    }

    @Override
    public String name() {
        return "SearchUsers";
    }

    @Override
    public Object handle(JsonNode request) {
        FaceCollection c = collections.get(CollectionShapes.collectionId(request));
        Limits limits = Limits.of(request);
        String userId = Params.optionalString(request, "UserId");
        String faceId = Params.optionalString(request, "FaceId");
        if ((userId == null) == (faceId == null)) {
            throw RekognitionException.invalidParameter("Give either UserId or FaceId");
        }
        FaceUsers users = c.users();
        if (faceId != null) {
            UUID face = DeleteFacesOperation.faceId(faceId, "FaceId");
            float[] query = c.descriptor(face);
            if (query == null) {
                throw RekognitionException.invalidParameter("FaceId " + face + " is not in collection " + c.id());
            }
            return new Response(matches(c, List.of(query), limits, null), c.descriptor().modelVersion(),
                    new UserShapes.FaceIdOnly(face.toString()), null);
        }
        UserShapes.checkedUserId(userId);
        if (users.find(userId) == null) {
            throw PostgresFaceUsers.notFound(userId);
        }
        List<float[]> queries = c.facesOf(userId).stream().map(c::descriptor).filter(v -> v != null).toList();
        return new Response(matches(c, queries, limits, userId), c.descriptor().modelVersion(), null,
                new SearchedUser(userId));
    }

    /** A request's MaxUsers (default 500) and UserMatchThreshold (default 80). */
    record Limits(int maxUsers, float threshold) {

        /** Read before any work, so that an invalid one is refused whatever the rest of the request holds. */
        static Limits of(JsonNode request) {
            Integer max = Params.optionalInt(request, "MaxUsers", 1, UserShapes.MAX_USERS);
            Float threshold = Params.optionalFloat(request, "UserMatchThreshold", 0f, 100f);
            return new Limits(max == null ? UserShapes.MAX_USERS : max,
                    threshold == null ? UserShapes.DEFAULT_USER_MATCH : threshold);
        }
    }

    /** The users above the UserMatchThreshold, best first, at most MaxUsers. */
    static List<UserShapes.UserMatch> matches(FaceCollection c, List<float[]> queries, Limits limits, String exclude) {
        int limit = limits.maxUsers();
        FaceSimilarity similarity = c.descriptor().similarity();
        double minCosine = similarity.cosineFor(limits.threshold());
        Map<String, Float> best = new HashMap<>();
        for (float[] query : queries) {
            for (FaceCollection.UserMatch m : c.searchUsers(query, minCosine, limit, exclude)) {
                best.merge(m.userId(), m.cosine(), Math::max);
            }
        }
        return best.entrySet().stream()
                .sorted((a, b) -> Float.compare(b.getValue(), a.getValue()))
                .limit(limit)
                // A user with a matching face has faces: ACTIVE.
                .map(e -> new UserShapes.UserMatch(similarity.fromCosine(e.getValue()),
                        new UserShapes.User(e.getKey(), "ACTIVE")))
                .toList();
    }
}
