package io.imagerec.rekognition.collections;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * Writes a face collection of random unit descriptors straight to disk, for the SearchFacesByImage
 * benchmark at sizes that IndexFaces would take hours to reach here. A scan costs the same whatever
 * the vectors hold. Run by benchmarks/bench-engine.sh:
 * {@code java -cp rekognition-local/target/classes:rekognition-local/target/test-classes
 * io.imagerec.rekognition.collections.SyntheticCollection DIR ID COUNT [arcface|faceres]}; the descriptor
 * (default arcface, the engine's default) sets the vectors' length and what the collection records.
 */
public final class SyntheticCollection {

    private SyntheticCollection() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String id = args[1];
        int count = Integer.parseInt(args[2]);
        FaceDescriptor descriptor = FaceDescriptor.fromConfig(args.length > 3 ? args[3] : "arcface");
        Random random = new Random(42);
        try (FaceCollection c = FileFaceCollection.create(root.resolve(id), id, descriptor)) {
            List<FaceCollection.NewFace> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(new FaceCollection.NewFace(new StoredFace(UUID.randomUUID(), UUID.randomUUID(),
                        "synthetic-" + i, new BoundingBox(0.2f, 0.3f, 0.4f, 0.2f), 99f, System.currentTimeMillis()),
                        FaceCollectionTest.randomUnit(random, descriptor.dimensions())));
                if (batch.size() == 5000) {
                    c.add(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                c.add(batch);
            }
            System.out.println("collection " + id + ": " + c.faceCount() + " faces in " + root.resolve(id));
        }
    }
}
