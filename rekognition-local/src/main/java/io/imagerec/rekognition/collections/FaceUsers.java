package io.imagerec.rekognition.collections;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The users of one collection: named groups of up to {@value #MAX_FACES} of its faces, a face in at
 * most one. Kept by the PostgreSQL store ({@link PostgresFaceUsers}).
 */
interface FaceUsers {

    int MAX_FACES = 100;

    /** ConflictException when the user exists. */
    void create(String userId);

    /** Deletes the user after disassociating its faces; ResourceNotFoundException when absent. */
    void delete(String userId);

    /** The user, or null. */
    User find(String userId);

    /** Users in creation order after the one numbered {@code afterOrdinal}, at most {@code max}. */
    List<User> list(long afterOrdinal, int max);

    /**
     * Associates the faces that exist, belong to no other user and, when the user has faces already, match
     * them with at least {@code minSimilarity}; faces already the user's are left out of the answer.
     * ResourceNotFoundException when the user is absent, ServiceQuotaExceededException past 100 faces.
     */
    Changed associate(String userId, List<UUID> faceIds, float minSimilarity);

    /** Disassociates the faces that are the user's; ResourceNotFoundException when the user is absent. */
    Changed disassociate(String userId, List<UUID> faceIds);

    /**
     * The answer a call with this ClientRequestToken got, when one was recorded with the same parameters;
     * IdempotentParameterMismatchException when it was recorded with other parameters.
     */
    Optional<String> answered(String operation, String token, String parameters);

    /** Records the answer of a call with this token (the first one recorded stays). */
    void remember(String operation, String token, String parameters, String response);

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
