package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.api.Params;
import io.imagerec.rekognition.api.RekognitionException;

/** Request members and response shapes of the user operations (CreateUser, AssociateFaces, SearchUsers, ...). */
final class UserShapes {

    /** Rekognition's UserId: 1-128 of these characters. */
    private static final Pattern USER_ID = Pattern.compile("[a-zA-Z0-9_.\\-:]{1,128}");
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9\\-_]{1,64}");
    static final float DEFAULT_USER_MATCH = 80f;
    static final int MAX_USERS = 500;

    private UserShapes() {
    }

    /** Rekognition's User and MatchedUser. */
    record User(@JsonProperty("UserId") String userId, @JsonProperty("UserStatus") String userStatus) {

        static User of(FaceUsers.User u) {
            return new User(u.userId(), u.status());
        }
    }

    record UserMatch(@JsonProperty("Similarity") float similarity, @JsonProperty("User") User user) {
    }

    record FaceIdOnly(@JsonProperty("FaceId") String faceId) {
    }

    /** UnsuccessfulFaceAssociation and UnsuccessfulFaceDisassociation (which has no Confidence). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Unsuccessful(@JsonProperty("FaceId") String faceId, @JsonProperty("UserId") String userId,
                        @JsonProperty("Confidence") Float confidence, @JsonProperty("Reasons") List<String> reasons) {

        static Unsuccessful of(FaceUsers.Unsuccessful u) {
            return new Unsuccessful(u.faceId().toString(), u.userId(), u.confidence(), u.reasons());
        }
    }

    /** The faces a change (dis)associated, as AssociatedFaces and DisassociatedFaces list them. */
    static List<FaceIdOnly> faceIds(FaceUsers.Changed changed) {
        return changed.faces().stream().map(id -> new FaceIdOnly(id.toString())).toList();
    }

    /** The faces a change left, as UnsuccessfulFaceAssociations and UnsuccessfulFaceDisassociations list them. */
    static List<Unsuccessful> unsuccessful(FaceUsers.Changed changed) {
        return changed.unsuccessful().stream().map(Unsuccessful::of).toList();
    }

    static String userId(JsonNode request) {
        String id = Params.requiredString(request, "UserId");
        return checkedUserId(id);
    }

    static String checkedUserId(String id) {
        if (!USER_ID.matcher(id).matches()) {
            throw RekognitionException.invalidParameter(
                    "UserId must be 1-128 characters of letters, digits, '_', '.', '-' and ':'");
        }
        return id;
    }

    /** FaceIds of AssociateFaces and DisassociateFaces: 1 to 100. */
    static List<UUID> faceIds(JsonNode request) {
        List<String> ids = Params.stringList(request.get("FaceIds"), "FaceIds", Set.of());
        if (ids.isEmpty() || ids.size() > FaceUsers.MAX_FACES) {
            throw RekognitionException.invalidParameter("FaceIds must hold 1 to " + FaceUsers.MAX_FACES + " face ids");
        }
        List<UUID> parsed = new ArrayList<>();
        for (String id : ids) {
            parsed.add(DeleteFacesOperation.faceId(id, "FaceIds"));
        }
        return parsed;
    }

    /**
     * A call's ClientRequestToken, bound to its {@code parameters}: a repeat with the same token and
     * parameters gets the first answer (a CreateUser retried after a lost response succeeds again instead
     * of answering ConflictException), one with other parameters IdempotentParameterMismatchException.
     */
    static FaceUsers.Once once(ObjectMapper json, String operation, JsonNode request, String parameters) {
        String token = Params.optionalString(request, "ClientRequestToken");
        if (token != null && !TOKEN.matcher(token).matches()) {
            throw RekognitionException.invalidParameter(
                    "ClientRequestToken must be 1-64 characters of letters, digits, '-' and '_'");
        }
        return new FaceUsers.Once(operation, token, parameters, answer -> {
            try {
                return json.writeValueAsString(answer);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an answer could not be recorded: " + e.getMessage(), e);
            }
        }, recorded -> {
            try {
                return json.readTree(recorded);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a recorded answer could not be read: " + e.getMessage(), e);
            }
        });
    }
}
