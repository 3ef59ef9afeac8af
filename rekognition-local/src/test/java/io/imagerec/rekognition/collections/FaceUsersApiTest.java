package io.imagerec.rekognition.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.TestImages;
import io.imagerec.rekognition.api.SdkClientTest;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.model.AssociateFacesResponse;
import software.amazon.awssdk.services.rekognition.model.ConflictException;
import software.amazon.awssdk.services.rekognition.model.Face;
import software.amazon.awssdk.services.rekognition.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.rekognition.model.Image;
import software.amazon.awssdk.services.rekognition.model.InvalidParameterException;
import software.amazon.awssdk.services.rekognition.model.ResourceNotFoundException;
import software.amazon.awssdk.services.rekognition.model.UnsuccessfulFaceAssociation;
import software.amazon.awssdk.services.rekognition.model.UnsuccessfulFaceAssociationReason;
import software.amazon.awssdk.services.rekognition.model.UnsuccessfulFaceDisassociationReason;
import software.amazon.awssdk.services.rekognition.model.UserStatus;

/** Users of a collection through the real SDK client, on the sample faces (PostgreSQL store, as the tests run). */
@QuarkusTest
class FaceUsersApiTest extends SdkClientTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private static Image image(Path file) throws IOException {
        return Image.builder().bytes(SdkBytes.fromByteArray(Files.readAllBytes(file))).build();
    }

    private String index(String collection, Path file) throws IOException {
        Image image = image(file);
        return rekognition.indexFaces(r -> r.collectionId(collection).image(image).maxFaces(1))
                .faceRecords().get(0).face().faceId();
    }

    /**
     * Calls repeated with one ClientRequestToken at the same moment, as an SDK retrying a call that timed out
     * may send them: each gets the answer of the one call that ran. With the token looked up before the change
     * and recorded after it (outside its transaction), two CreateUsers both ran and one answered
     * ConflictException; two DeleteUsers, ResourceNotFoundException.
     */
    @Test
    void callsWithOneTokenAtOnceRunOnce() throws Exception {
        String collection = "users-once-" + RUN;
        rekognition.createCollection(r -> r.collectionId(collection));
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int round = 0; round < 5; round++) {
                String user = "u" + round;
                String createToken = "create-" + round + "-" + RUN;
                String deleteToken = "delete-" + round + "-" + RUN;
                List<String> failures = new ArrayList<>();
                failures.addAll(atOnce(pool, callers, () -> rekognition.createUser(r -> r.collectionId(collection)
                        .userId(user).clientRequestToken(createToken))));
                assertEquals(List.of(user), rekognition.listUsers(r -> r.collectionId(collection)).users().stream()
                        .map(u -> u.userId()).toList());
                failures.addAll(atOnce(pool, callers, () -> rekognition.deleteUser(r -> r.collectionId(collection)
                        .userId(user).clientRequestToken(deleteToken))));
                assertEquals(List.of(), failures, "round " + round);
                assertEquals(List.of(), rekognition.listUsers(r -> r.collectionId(collection)).users());
            }
        } finally {
            pool.shutdownNow();
            rekognition.deleteCollection(r -> r.collectionId(collection));
        }
    }

    /** Runs {@code call} on {@code callers} threads released together; the errors they got. */
    private static List<String> atOnce(ExecutorService pool, int callers, Runnable call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try {
                    call.run();
                    return null;
                } catch (RuntimeException e) {
                    return e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }));
        }
        List<String> errors = new ArrayList<>();
        for (Future<String> result : results) {
            String error = result.get(60, TimeUnit.SECONDS);
            if (error != null) {
                errors.add(error);
            }
        }
        return errors;
    }

    @Test
    void usersGroupFacesOfOnePersonAndAreFoundByAnotherPhoto() throws IOException {
        Path faces = TestImages.testdata().resolve("faces");
        String collection = "users-" + RUN;
        rekognition.createCollection(r -> r.collectionId(collection));
        try {
            String obama1 = index(collection, faces.resolve("obama.jpg"));
            String obama2 = index(collection, faces.resolve("obama2.jpg"));
            String biden = index(collection, faces.resolve("biden_portrait.jpg"));

            String token = "create-obama-" + RUN;
            rekognition.createUser(r -> r.collectionId(collection).userId("obama").clientRequestToken(token));
            // The same call again (a retry after a lost answer) succeeds; another one with the id is a conflict.
            rekognition.createUser(r -> r.collectionId(collection).userId("obama").clientRequestToken(token));
            assertThrows(ConflictException.class, () -> rekognition.createUser(r -> r.collectionId(collection).userId("obama")));
            assertThrows(IdempotentParameterMismatchException.class,
                    () -> rekognition.createUser(r -> r.collectionId(collection).userId("other").clientRequestToken(token)));
            assertThrows(InvalidParameterException.class, () -> rekognition.createUser(r -> r.collectionId(collection).userId("no/slash")));
            assertEquals(List.of(UserStatus.CREATED), rekognition.listUsers(r -> r.collectionId(collection)).users()
                    .stream().map(u -> u.userStatus()).toList());

            String missing = UUID.randomUUID().toString();
            AssociateFacesResponse first = rekognition.associateFaces(r -> r.collectionId(collection).userId("obama")
                    .faceIds(obama1));
            assertEquals(List.of(obama1), first.associatedFaces().stream().map(f -> f.faceId()).toList());
            assertEquals(UserStatus.ACTIVE, first.userStatus());
            // Against Obama's face: the other photo of him matches (default threshold 75), Biden does not.
            AssociateFacesResponse more = rekognition.associateFaces(r -> r.collectionId(collection).userId("obama")
                    .faceIds(obama2, biden, missing, obama1));
            assertEquals(List.of(obama2), more.associatedFaces().stream().map(f -> f.faceId()).toList());
            Map<String, UnsuccessfulFaceAssociation> failed = more.unsuccessfulFaceAssociations().stream()
                    .collect(Collectors.toMap(UnsuccessfulFaceAssociation::faceId, f -> f));
            assertEquals(List.of(UnsuccessfulFaceAssociationReason.LOW_MATCH_CONFIDENCE), failed.get(biden).reasons());
            assertTrue(failed.get(biden).confidence() < 75f, "confidence " + failed.get(biden).confidence());
            assertEquals(List.of(UnsuccessfulFaceAssociationReason.FACE_NOT_FOUND), failed.get(missing).reasons());
            assertEquals(2, failed.size(), "a face already the user's is left out: " + failed);

            rekognition.createUser(r -> r.collectionId(collection).userId("biden"));
            AssociateFacesResponse toBiden = rekognition.associateFaces(r -> r.collectionId(collection).userId("biden")
                    .faceIds(biden, obama1));
            assertEquals(List.of(biden), toBiden.associatedFaces().stream().map(f -> f.faceId()).toList());
            assertEquals(List.of(UnsuccessfulFaceAssociationReason.ASSOCIATED_TO_A_DIFFERENT_USER),
                    toBiden.unsuccessfulFaceAssociations().get(0).reasons());
            assertEquals("obama", toBiden.unsuccessfulFaceAssociations().get(0).userId());

            // ListFaces: the UserId filter, and each face's UserId.
            assertEquals(List.of(obama1, obama2).stream().sorted().toList(), rekognition.listFaces(r -> r
                    .collectionId(collection).userId("obama")).faces().stream().map(Face::faceId).sorted().toList());
            Map<String, String> userOf = rekognition.listFaces(r -> r.collectionId(collection)).faces().stream()
                    .collect(Collectors.toMap(Face::faceId, Face::userId));
            assertEquals(Map.of(obama1, "obama", obama2, "obama", biden, "biden"), userOf);
            assertEquals(2L, rekognition.describeCollection(r -> r.collectionId(collection)).userCount());

            // Another photo of Biden finds his user; of Obama (both in one), his.
            var byImage = rekognition.searchUsersByImage(r -> {
                try {
                    r.collectionId(collection).image(image(faces.resolve("biden_standing.jpg")));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals("biden", byImage.userMatches().get(0).user().userId());
            assertTrue(byImage.userMatches().get(0).similarity() >= 80f, "similarity " + byImage.userMatches().get(0).similarity());
            assertTrue(byImage.searchedFace().faceDetail().boundingBox().width() > 0);
            assertTrue(byImage.userMatches().stream().noneMatch(m -> m.user().userId().equals("obama")), byImage.toString());

            var byFace = rekognition.searchUsers(r -> r.collectionId(collection).faceId(obama2));
            assertEquals(obama2, byFace.searchedFace().faceId());
            assertEquals("obama", byFace.userMatches().get(0).user().userId());
            assertEquals(UserStatus.ACTIVE, byFace.userMatches().get(0).user().userStatus());
            var byUser = rekognition.searchUsers(r -> r.collectionId(collection).userId("biden").userMatchThreshold(0f));
            assertEquals("biden", byUser.searchedUser().userId());
            assertEquals(List.of("obama"), byUser.userMatches().stream().map(m -> m.user().userId()).toList(),
                    "every other user at threshold 0, never the searched one");
            assertThrows(InvalidParameterException.class,
                    () -> rekognition.searchUsers(r -> r.collectionId(collection).userId("biden").faceId(obama2)));
            assertThrows(ResourceNotFoundException.class,
                    () -> rekognition.searchUsers(r -> r.collectionId(collection).userId("nobody")));

            var released = rekognition.disassociateFaces(r -> r.collectionId(collection).userId("obama").faceIds(obama2, biden));
            assertEquals(List.of(obama2), released.disassociatedFaces().stream().map(f -> f.faceId()).toList());
            assertEquals(List.of(UnsuccessfulFaceDisassociationReason.ASSOCIATED_TO_A_DIFFERENT_USER),
                    released.unsuccessfulFaceDisassociations().get(0).reasons());

            rekognition.deleteUser(r -> r.collectionId(collection).userId("obama"));
            assertThrows(ResourceNotFoundException.class, () -> rekognition.deleteUser(r -> r.collectionId(collection).userId("obama")));
            assertThrows(ResourceNotFoundException.class, () -> rekognition.associateFaces(r -> r.collectionId(collection)
                    .userId("obama").faceIds(obama1)));
            assertNull(rekognition.listFaces(r -> r.collectionId(collection)).faces().stream()
                    .filter(f -> f.faceId().equals(obama1)).findFirst().orElseThrow().userId(), "its faces stay, without a user");
            assertEquals(List.of("biden"), rekognition.listUsers(r -> r.collectionId(collection)).users().stream()
                    .map(u -> u.userId()).toList());
            assertThrows(InvalidParameterException.class, () -> rekognition.associateFaces(r -> r.collectionId(collection)
                    .userId("biden").faceIds(Collections.nCopies(101, obama1))));
        } finally {
            rekognition.deleteCollection(r -> r.collectionId(collection));
        }
    }
}
