import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load generator for rekognition-local, with no dependencies beyond the JDK:
 *
 *   java benchmarks/RekognitionBench.java OPERATION ENDPOINT REQUESTS CONCURRENCY IMAGE...
 *
 * Sends REQUESTS calls of OPERATION (e.g. DetectLabels) over CONCURRENCY connections, cycling through
 * the images, after a warm-up of 10 calls per image, and prints p50/p90/p99 latency and images/s.
 * Every answer must be HTTP 200, or the run fails.
 */
public class RekognitionBench {

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: RekognitionBench OPERATION ENDPOINT REQUESTS CONCURRENCY IMAGE...");
            System.exit(2);
        }
        String operation = args[0];
        URI endpoint = URI.create(args[1]);
        int requests = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);
        List<String> images = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(args[i])));
            images.add("{\"Bytes\":\"" + b64 + "\"}");
        }
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String image = images.get(i);
            bodies.add(switch (operation) {
                case "DetectFaces" -> "{\"Image\":" + image + ",\"Attributes\":[\"ALL\"]}";
                // Each image against the next one (a single image against itself).
                case "CompareFaces" -> "{\"SourceImage\":" + image + ",\"TargetImage\":"
                        + images.get((i + 1) % images.size()) + "}";
                case "SearchFacesByImage" -> "{\"CollectionId\":\"" + System.getenv("BENCH_COLLECTION")
                        + "\",\"Image\":" + image + ",\"MaxFaces\":10}";
                // The scan alone: a face already in the collection against all the others (images unused).
                case "SearchFaces" -> "{\"CollectionId\":\"" + System.getenv("BENCH_COLLECTION")
                        + "\",\"FaceId\":\"" + System.getenv("BENCH_FACE_ID") + "\",\"MaxFaces\":10}";
                default -> "{\"Image\":" + image + "}";
            });
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int w = 0; w < 10; w++) {
            for (String body : bodies) {
                call(http, endpoint, operation, body);
            }
        }
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < requests) {
                    long t = System.nanoTime();
                    call(http, endpoint, operation, bodies.get(i % bodies.size()));
                    latencies.add(System.nanoTime() - t);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT,
                "%s concurrency=%d requests=%d images=%d  p50=%.1f ms  p90=%.1f ms  p99=%.1f ms  throughput=%.1f images/s%n",
                operation, concurrency, requests, bodies.size(), pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
                requests / seconds);
    }

    private static double pct(List<Long> sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    private static void call(HttpClient http, URI endpoint, String operation, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "RekognitionService." + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }
}
