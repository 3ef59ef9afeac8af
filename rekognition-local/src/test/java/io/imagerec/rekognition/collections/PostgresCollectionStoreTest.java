package io.imagerec.rekognition.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.testsupport.TestCloud;

/**
 * Two PostgreSQL stores on one database, as two engine replicas hold them: each sees the other's
 * writes on its next call, deletions and a collection deleted and created again included; concurrent
 * writers on both lose no face; a store started after faces were indexed loads them from the tables.
 * The real PostgreSQL of local-cloud, migrated by the engine's own Flyway scripts.
 */
class PostgresCollectionStoreTest {

    private static final FaceDescriptor MODEL = FaceDescriptor.ARCFACE;
    private static TestCloud cloud;
    private static PGSimpleDataSource database;
    private static final Random RANDOM = new Random(5);

    @BeforeAll
    static void startDatabase() throws Exception {
        cloud = TestCloud.start(false);
        database = new PGSimpleDataSource();
        database.setUrl(cloud.config().get("DATABASE_URL"));
        // as the engine's own role: the store needs nothing beyond schema rekognition
        database.setUser("rekognition");
        database.setPassword(cloud.engineDatabasePassword());
        CollectionsSchema.migrate(database);
    }

    @AfterAll
    static void stopDatabase() {
        if (cloud != null) {
            cloud.close();
        }
    }

    static FaceCollection.NewFace face(String external) {
        return new FaceCollection.NewFace(new StoredFace(UUID.randomUUID(), UUID.randomUUID(), external,
                new BoundingBox(0.1f, 0.2f, 0.3f, 0.4f), 99.5f, 1234L), FaceCollectionTest.randomUnit(RANDOM, 512));
    }

    @Test
    void aReplicaSeesTheOtherOnesWritesOnItsNextCall() {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        PostgresCollectionStore b = new PostgresCollectionStore(database);
        a.create("shared", MODEL);
        assertThrows(RekognitionException.class, () -> b.create("shared", MODEL), "the id is taken for both");
        FaceCollection.NewFace first = face("first");
        a.get("shared").add(List.of(first));
        FaceCollection onB = b.get("shared");
        assertEquals(1, onB.faceCount());
        assertEquals(first.face(), onB.get(first.face().faceId()));
        List<FaceCollection.Match> hits = onB.search(first.descriptor(), 0.9, 5, null);
        assertEquals(first.face().faceId(), hits.get(0).face().faceId());

        FaceCollection.NewFace second = face("second");
        b.get("shared").add(List.of(second));
        assertEquals(2, a.get("shared").faceCount(), "A's cache catches up with B's IndexFaces");
        assertEquals(2, a.get("shared").list(null, 10).size());

        assertEquals(List.of(first.face().faceId()), b.get("shared").delete(List.of(first.face().faceId(),
                UUID.randomUUID())));
        assertNull(a.get("shared").get(first.face().faceId()), "A drops the face B deleted");
        assertEquals(1, a.get("shared").faceCount());
        assertEquals(List.of(), a.get("shared").delete(List.of(first.face().faceId())), "deleted once only");

        // Deleted on A and created again on B: A must not answer from its cache of the old one.
        a.delete("shared");
        assertThrows(RekognitionException.class, () -> b.get("shared"));
        b.create("shared", MODEL);
        assertEquals(0, a.get("shared").faceCount());
        b.delete("shared");
        assertThrows(RekognitionException.class, () -> a.get("shared").add(List.of(face("late"))));
    }

    @Test
    void aCollectionDeletedAndCreatedAgainBetweenTwoCallsIsLoadedAfresh() {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        PostgresCollectionStore b = new PostgresCollectionStore(database);
        a.create("again", MODEL).add(List.of(face("old")));
        assertEquals(1, b.get("again").faceCount());
        a.delete("again");
        a.create("again", MODEL).add(List.of(face("new-1"), face("new-2")));
        FaceCollection onB = b.get("again");
        assertEquals(2, onB.faceCount());
        assertTrue(onB.list(null, 10).stream().noneMatch(f -> "old".equals(f.externalImageId())));
        a.delete("again");
    }

    @Test
    void aReplicaStartedLaterLoadsTheFacesFromTheTables() {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        FaceCollection c = a.create("later", MODEL);
        List<FaceCollection.NewFace> faces = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            faces.add(face("f" + i));
        }
        c.add(faces);
        c.delete(List.of(faces.get(7).face().faceId()));
        PostgresCollectionStore late = new PostgresCollectionStore(database);
        FaceCollection loaded = late.get("later");
        assertEquals(299, loaded.faceCount());
        assertNull(loaded.get(faces.get(7).face().faceId()));
        FaceCollection.NewFace probe = faces.get(123);
        assertEquals(probe.face(), loaded.search(probe.descriptor(), 0.9, 1, null).get(0).face());
        assertTrue(late.ids(null, 1000).contains("later"));
        assertEquals(MODEL, late.descriptorOf("later"));
        a.delete("later");
    }

    @Test
    void concurrentWritersOnTwoReplicasLoseNoFaceAndKeepTheSequence() throws Exception {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        PostgresCollectionStore b = new PostgresCollectionStore(database);
        a.create("busy", MODEL);
        int writers = 4;
        int rounds = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers * 2);
        List<Future<List<UUID>>> done = new ArrayList<>();
        for (int w = 0; w < writers * 2; w++) {
            PostgresCollectionStore store = w % 2 == 0 ? a : b;
            Callable<List<UUID>> work = () -> {
                List<UUID> ids = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    FaceCollection.NewFace f1 = face("x");
                    FaceCollection.NewFace f2 = face("y");
                    store.get("busy").add(List.of(f1, f2));
                    ids.add(f1.face().faceId());
                    ids.add(f2.face().faceId());
                    // Deleting one face now and then interleaves deletions with the additions.
                    if (r % 5 == 0) {
                        assertEquals(List.of(f2.face().faceId()), store.get("busy").delete(List.of(f2.face().faceId())));
                        ids.remove(f2.face().faceId());
                    }
                }
                return ids;
            };
            done.add(pool.submit(work));
        }
        Set<UUID> expected = new HashSet<>();
        for (Future<List<UUID>> f : done) {
            expected.addAll(f.get());
        }
        pool.shutdown();
        int total = writers * 2 * rounds * 2 - writers * 2 * (rounds / 5);
        assertEquals(total, expected.size());
        for (PostgresCollectionStore store : List.of(a, b, new PostgresCollectionStore(database))) {
            FaceCollection c = store.get("busy");
            Set<UUID> held = new HashSet<>();
            c.list(null, 10_000).forEach(f -> held.add(f.faceId()));
            assertEquals(expected, held);
        }
        try (Connection c = database.getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT last_seq, face_count, "
                     // The most faces one number stamps (an addition writes two), and numbers both an addition's
                     // and a deletion's: a number taken twice shows in one or the other.
                     + "(SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM rekognition.faces f "
                     + "  WHERE f.collection_version = c.version GROUP BY seq) per_seq), "
                     + "(SELECT count(*) FROM rekognition.deleted_faces d JOIN rekognition.faces f "
                     + "  ON f.collection_version = d.collection_version AND f.seq = d.seq WHERE d.collection_version = c.version) "
                     + "FROM rekognition.collections c WHERE id = 'busy'")) {
            rs.next();
            int writes = writers * 2 * rounds + writers * 2 * (rounds / 5);
            assertEquals(writes, rs.getLong(1), "one number per write, none taken twice");
            assertEquals(total, rs.getLong(2));
            assertTrue(rs.getLong(3) <= 2, "one addition's two faces at most under one number: " + rs.getLong(3));
            assertEquals(0, rs.getLong(4), "no number both an addition's and a deletion's");
        }
        a.delete("busy");
    }

    @Test
    void collectionsAreListedInIdOrderAsTheFileStoreListsThem() {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        List<String> ids = List.of("Zeta-1", "alpha.2", "alpha_1", "beta-3", "_x");
        ids.forEach(id -> a.create(id, MODEL));
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(String::compareTo);
        List<String> listed = a.ids(null, 1000).stream().filter(ids::contains).toList();
        assertEquals(sorted, listed);
        assertEquals(sorted.subList(2, 4), a.ids(sorted.get(1), 2));
        ids.forEach(a::delete);
        assertTrue(a.ids(null, 1000).stream().noneMatch(ids::contains), "deleted collections are not listed");
    }

    /** Calls without a ClientRequestToken: their answer is what they return. */
    private static final FaceUsers.Once NO_TOKEN = new FaceUsers.Once("test", null, "", String::valueOf, s -> s);

    private static FaceUsers.Changed associate(FaceCollection c, String userId, List<UUID> faceIds, float min) {
        return (FaceUsers.Changed) c.users().associate(userId, faceIds, min, NO_TOKEN, changed -> changed);
    }

    @Test
    void usersAreSharedByReplicasAndHoldAtMostOneHundredFaces() {
        PostgresCollectionStore a = new PostgresCollectionStore(database);
        PostgresCollectionStore b = new PostgresCollectionStore(database);
        FaceCollection c = a.create("with-users", MODEL);
        List<FaceCollection.NewFace> faces = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            faces.add(face("f" + i));
        }
        c.add(faces);
        List<UUID> ids = faces.stream().map(f -> f.face().faceId()).toList();
        a.get("with-users").users().create("u", NO_TOKEN, "created");
        // Random vectors match nothing: threshold 0 lets them in after the first.
        FaceUsers.Changed first = associate(a.get("with-users"), "u", ids.subList(0, 60), 0f);
        assertEquals(60, first.faces().size());
        assertEquals("ACTIVE", first.user().status());
        FaceCollection onB = b.get("with-users");
        assertEquals("u", onB.userOf(ids.get(0)), "B learns the association with its next call");
        assertEquals(60, onB.list(null, 1000, "u").size());
        RekognitionException full = assertThrows(RekognitionException.class,
                () -> associate(b.get("with-users"), "u", ids.subList(60, 101), 0f));
        assertEquals("ServiceQuotaExceededException", full.type());
        assertEquals(40, associate(b.get("with-users"), "u", ids.subList(60, 100), 0f).faces().size());
        FaceUsers.Changed strict = associate(b.get("with-users"), "u", ids.subList(100, 101), 99f);
        assertTrue(strict.faces().isEmpty());
        b.get("with-users").users().delete("u", NO_TOKEN, "deleted");
        assertNull(a.get("with-users").userOf(ids.get(0)), "A learns the deletion too");
        assertEquals(101, a.get("with-users").faceCount(), "the faces stay");
        a.delete("with-users");
    }
}
