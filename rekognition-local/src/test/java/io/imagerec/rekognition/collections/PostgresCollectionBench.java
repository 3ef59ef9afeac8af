package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * Fills a PostgreSQL-store collection with random unit ArcFace descriptors through the store's own
 * code, then measures what a replica pays around a search: loading the collection on first use, the
 * freshness check before each read when nothing changed, catching up with one face another replica
 * indexed, and the in-memory scan. Run by benchmarks/bench-collections-pg.sh:
 * {@code java -cp rekognition-local/target/classes:rekognition-local/target/test-classes:<dependencies>
 * io.imagerec.rekognition.collections.PostgresCollectionBench JDBC_URL USER PASSWORD COLLECTION COUNT}.
 */
public final class PostgresCollectionBench {

    private PostgresCollectionBench() {
    }

    public static void main(String[] args) throws Exception {
        // A pool, as the engine's Agroal datasource is: a new connection per call would cost more than the query.
        AgroalDataSource database = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(4).connectionFactoryConfiguration(factory -> factory
                        .jdbcUrl(args[0]).principal(new NamePrincipal(args[1])).credential(new SimplePassword(args[2])))));
        String id = args[3];
        int count = Integer.parseInt(args[4]);
        CollectionsSchema.migrate(database);
        FaceDescriptor model = FaceDescriptor.ARCFACE;
        Random random = new Random(42);

        PostgresCollectionStore writer = new PostgresCollectionStore(database);
        long started = System.nanoTime();
        FaceCollection c = writer.create(id, model);
        List<FaceCollection.NewFace> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(face(random, "synthetic-" + i));
            if (batch.size() == 5000) {
                c.add(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            c.add(batch);
        }
        System.out.printf("insert: %d faces in %.1f s%n", count, (System.nanoTime() - started) / 1e9);

        writer.close();
        writer = new PostgresCollectionStore(database);
        long heapBefore = usedHeap();
        PostgresCollectionStore replica = new PostgresCollectionStore(database);
        started = System.nanoTime();
        FaceCollection loaded = replica.get(id);
        System.out.printf("first use on a new replica (one bulk SELECT): %d faces in %.0f ms%n", loaded.faceCount(),
                (System.nanoTime() - started) / 1e6);
        long heap = usedHeap() - heapBefore;
        System.out.printf("replica heap for the collection: %.0f MB, %d bytes a face (vectors: %d)%n", heap / 1e6,
                heap / loaded.faceCount(), model.dimensions() + 4);

        int rounds = 2000;
        double[] fresh = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            replica.get(id);
            fresh[i] = (System.nanoTime() - t) / 1e6;
        }
        System.out.println("freshness check, nothing changed (one primary-key SELECT): " + percentiles(fresh));

        double[] catchUp = new double[200];
        for (int i = 0; i < catchUp.length; i++) {
            writer.get(id).add(List.of(face(random, "another-replica-" + i)));
            long t = System.nanoTime();
            replica.get(id);
            catchUp[i] = (System.nanoTime() - t) / 1e6;
        }
        System.out.println("freshness check after one face indexed elsewhere (check + changes SELECT): "
                + percentiles(catchUp));

        double[] scan = new double[200];
        for (int i = 0; i < scan.length; i++) {
            float[] query = FaceCollectionTest.randomUnit(random, model.dimensions());
            long t = System.nanoTime();
            replica.get(id).search(query, 0.3, 80, null);
            scan[i] = (System.nanoTime() - t) / 1e6;
        }
        System.out.println("get + search in memory at " + loaded.faceCount() + " faces: " + percentiles(scan));
        writer.close();
        replica.close();
        database.close();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static FaceCollection.NewFace face(Random random, String external) {
        return new FaceCollection.NewFace(new StoredFace(UUID.randomUUID(), UUID.randomUUID(), external,
                new BoundingBox(0.2f, 0.3f, 0.4f, 0.2f), 99f, System.currentTimeMillis()),
                FaceCollectionTest.randomUnit(random, 512));
    }

    private static String percentiles(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms (%d calls)", sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.9)], sorted[(int) (sorted.length * 0.99)], sorted.length);
    }
}
