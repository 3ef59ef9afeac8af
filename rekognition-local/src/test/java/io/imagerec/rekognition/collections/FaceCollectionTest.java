package io.imagerec.rekognition.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/** The collection's log and index on their own: durability across reopening, and search against brute force. */
class FaceCollectionTest {

    private static final FaceDescriptor MODEL = FaceDescriptor.FACERES;
    private static final int DIMENSIONS = MODEL.dimensions();

    @TempDir
    Path dir;

    static float[] randomUnit(Random random) {
        return randomUnit(random, DIMENSIONS);
    }

    static float[] randomUnit(Random random, int dimensions) {
        float[] v = new float[dimensions];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(sum);
        }
        return v;
    }

    private static FaceCollection.NewFace face(float[] descriptor, String external) {
        return new FaceCollection.NewFace(new StoredFace(UUID.randomUUID(), UUID.randomUUID(), external,
                new BoundingBox(0.1f, 0.2f, 0.3f, 0.4f), 99.5f, 1234L), descriptor);
    }

    @Test
    void facesAndDeletionsSurviveReopeningAndATornTailIsCutOff() throws Exception {
        Random random = new Random(7);
        List<FaceCollection.NewFace> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(face(randomUnit(random), "img-" + i));
        }
        UUID deleted = added.get(2).face().faceId();
        try (FaceCollection c = FileFaceCollection.open("c", 1L, dir, MODEL)) {
            c.add(added);
            assertEquals(List.of(deleted), c.delete(List.of(deleted, UUID.randomUUID())));
        }
        // A crash in the middle of a record: a few bytes of a sixth record at the end of the log.
        try (FileChannel log = FileChannel.open(dir.resolve(FileFaceCollection.LOG), StandardOpenOption.APPEND)) {
            log.write(java.nio.ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 0, 0, 0}));
        }
        try (FaceCollection c = FileFaceCollection.open("c", 1L, dir, MODEL)) {
            assertEquals(4, c.faceCount());
            assertNull(c.get(deleted));
            StoredFace kept = c.get(added.get(4).face().faceId());
            assertEquals(added.get(4).face(), kept);
            // The query is face 4's own descriptor: it finds itself with a cosine of about 1.
            List<FaceCollection.Match> hits = c.search(added.get(4).descriptor(), 0.9, 3, null);
            assertEquals(1, hits.size());
            assertEquals(kept.faceId(), hits.get(0).face().faceId());
            assertTrue(hits.get(0).cosine() > 0.99f, "cosine " + hits.get(0).cosine());
            c.add(List.of(face(randomUnit(random), null)));
        }
        try (FaceCollection c = FileFaceCollection.open("c", 1L, dir, MODEL)) {
            assertEquals(5, c.faceCount(), "a record appended after the cut is read back too");
        }
    }

    @Test
    void aCollectionKeepsItsDescriptorAndOneWrittenBeforeDescriptorsWereRecordedIsFaceRes() throws Exception {
        Path arc = dir.resolve("arc");
        try (FaceCollection c = FileFaceCollection.create(arc, "arc", FaceDescriptor.ARCFACE)) {
            c.add(List.of(face(randomUnit(new Random(1), 512), "a")));
        }
        try (FaceCollection c = FileFaceCollection.openExisting(arc)) {
            assertEquals(FaceDescriptor.ARCFACE, c.descriptor());
            assertEquals(1, c.faceCount());
        }
        // collection.properties as engines before 2.0 wrote it: no descriptor, FaceRes' 1024-value records.
        Path old = dir.resolve("old");
        java.nio.file.Files.createDirectories(old);
        java.nio.file.Files.writeString(old.resolve(FileFaceCollection.META), "id=old\ncreatedAt=5\n");
        float[] v = randomUnit(new Random(2), 1024);
        try (FaceCollection c = FileFaceCollection.open("old", 5L, old, FaceDescriptor.FACERES)) {
            c.add(List.of(face(v, "b")));
        }
        try (FaceCollection c = FileFaceCollection.openExisting(old)) {
            assertEquals(FaceDescriptor.FACERES, c.descriptor());
            assertEquals("1.0", c.descriptor().modelVersion());
            assertTrue(c.search(v, 0.9, 1, null).get(0).cosine() > 0.99f, "its 1024-value vectors read back whole");
        }
    }

    @Test
    void theFileStoreKeepsNoUsersAndSaysSo() throws Exception {
        try (FaceCollection c = FileFaceCollection.open("c", 1L, dir, MODEL)) {
            var refused = org.junit.jupiter.api.Assertions.assertThrows(
                    io.imagerec.rekognition.api.RekognitionException.class, c::users);
            assertEquals("InvalidParameterException", refused.type());
            assertTrue(refused.getMessage().contains("rekognition.collections.store=postgresql"), refused.getMessage());
        }
    }

    @Test
    void quantizedSearchRanksAsExactCosinesDo() {
        Random random = new Random(11);
        FaceVectorIndex index = new FaceVectorIndex(DIMENSIONS);
        List<float[]> vectors = new ArrayList<>();
        float[] query = randomUnit(random);
        for (int i = 0; i < 30_000; i++) {
            float[] v = randomUnit(random);
            if (i % 1000 == 0) {
                // Plant vectors near the query at known distances.
                for (int k = 0; k < DIMENSIONS; k++) {
                    v[k] = query[k] * (1 - i / 60_000f) + v[k] * (i / 60_000f);
                }
                v = unit(v);
            }
            vectors.add(v);
            index.add(v);
        }
        List<FaceVectorIndex.Hit> hits = index.search(query, 0.3, 10, -1);
        assertEquals(10, hits.size());
        for (int i = 0; i < hits.size(); i++) {
            int slot = hits.get(i).slot();
            assertEquals(i * 1000, slot, "rank " + i);
            double exact = 0;
            for (int k = 0; k < DIMENSIONS; k++) {
                exact += query[k] * vectors.get(slot)[k];
            }
            assertEquals(exact, hits.get(i).cosine(), 0.01);
        }
    }

    private static float[] unit(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(sum);
        }
        return v;
    }
}
