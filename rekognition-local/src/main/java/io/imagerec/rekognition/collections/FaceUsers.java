package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The users of one collection: named groups of up to {@value #MAX_FACES} of its faces, a face in at
 * most one. Kept by the PostgreSQL store ({@link PostgresFaceUsers}).
 */
interface FaceUsers {

    int MAX_FACES = 100;

    /** ConflictException when the user exists; answers {@code answer}. */
    Object create(String userId, Once once, Object answer);

    /**
     * Deletes the user after disassociating its faces and answers {@code answer};
     * ResourceNotFoundException when absent.
     */
    Object delete(String userId, Once once, Object answer);

    /** The user, or null. */
    User find(String userId);

    /** Users in creation order after the one numbered {@code afterOrdinal}, at most {@code max}. */
    List<User> list(long afterOrdinal, int max);

    /**
     * Associates the faces that exist, belong to no other user and, when the user has faces already, match
     * them with at least {@code minSimilarity}; faces already the user's are left out of the answer.
     * ResourceNotFoundException when the user is absent, ServiceQuotaExceededException past 100 faces.
     */
    Object associate(String userId, List<UUID> faceIds, float minSimilarity, Once once, Function<Changed, Object> answer);

    /** Disassociates the faces that are the user's; ResourceNotFoundException when the user is absent. */
    Object disassociate(String userId, List<UUID> faceIds, Once once, Function<Changed, Object> answer);

    /**
     * A change's ClientRequestToken (null when the call has none) and the parameters it is bound to. The
     * change and the record of its answer commit together, and a call with a recorded token gets the
     * recorded answer (read with {@code read}) instead of changing anything again; with other parameters,
     * IdempotentParameterMismatchException.
     */
    record Once(String operation, String token, String parameters, Function<Object, String> write,
                Function<String, Object> read) {
    }

    /** A user: ACTIVE with faces, CREATED without. */
    record User(String userId, long ordinal, boolean hasFaces) {

        String status() {
            return hasFaces ? "ACTIVE" : "CREATED";
        }
    }

    /** A face not (dis)associated, the user it belongs to if another, its match confidence if measured. */
    record Unsuccessful(UUID faceId, String userId, Float confidence, List<String> reasons) {
    }

    /** The faces (dis)associated, those that were not, and whether the user has faces afterwards. */
    record Changed(List<UUID> faces, List<Unsuccessful> unsuccessful, User user) {
    }
}
