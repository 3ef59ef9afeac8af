package io.imagerec.testcontainers;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.lifecycle.Startables;

/**
 * The whole platform in containers on one Docker network, as docker-compose.yml runs it: local-cloud,
 * rekognition-local, results-service, recognition-worker and ingest-service, each reaching the others by
 * name. From the test: upload to {@link #ingestUrl()}, read results at {@link #resultsUrl()}, with
 * {@link #bootstrapApiKey()} (the operator's key, generated for this stack) in {@code X-Api-Key}.
 *
 * <pre>{@code
 * try (var stack = new ImagerecStack()) {
 *     stack.start();                         // about a minute on two cores
 *     // POST stack.ingestUrl() + "/v1/images", GET stack.resultsUrl() + "/v1/jobs/{jobId}"
 * }
 * }</pre>
 *
 * Ports are mapped to free host ports, so links the services hand out ({@code Location}, {@code links})
 * name the services as the network knows them ({@code http://results-service:8081/...}); build URLs from
 * {@link #resultsUrl()} instead. Without Ryuk ({@code TESTCONTAINERS_RYUK_DISABLED=true}) call
 * {@link #stop()} (or use try-with-resources), or the containers outlive the test.
 */
public class ImagerecStack implements Startable {

    private final Network network = Network.newNetwork();
    private final String bootstrapApiKey = randomKey();
    private final LocalCloudContainer localCloud;
    private final RekognitionLocalContainer engine;
    private final GenericContainer<?> results;
    private final GenericContainer<?> worker;
    private final GenericContainer<?> ingest;

    public ImagerecStack() {
        localCloud = new LocalCloudContainer().withNetwork(network).withNetworkAliases(LocalCloudContainer.NETWORK_ALIAS);
        String s3 = "http://" + LocalCloudContainer.NETWORK_ALIAS + ":" + LocalCloudContainer.S3_PORT;
        String sqs = "http://" + LocalCloudContainer.NETWORK_ALIAS + ":" + LocalCloudContainer.SQS_PORT;
        engine = new RekognitionLocalContainer().withNetwork(network)
                .withNetworkAliases(RekognitionLocalContainer.NETWORK_ALIAS).withS3Endpoint(s3);
        results = service(ImagerecImages.RESULTS_SERVICE, 8083, 8081, 8083)
                .withEnv("DATABASE_URL", "jdbc:postgresql://" + LocalCloudContainer.NETWORK_ALIAS + ":"
                        + LocalCloudContainer.POSTGRES_PORT + "/recognition")
                .withEnv("BOOTSTRAP_API_KEY", bootstrapApiKey);
        worker = service(ImagerecImages.RECOGNITION_WORKER, 8082, 8082)
                .withEnv("REKOGNITION_ENDPOINT", "http://" + RekognitionLocalContainer.NETWORK_ALIAS + ":"
                        + RekognitionLocalContainer.PORT);
        ingest = service(ImagerecImages.INGEST_SERVICE, 8080, 8080, 8086)
                .withEnv("BOOTSTRAP_API_KEY", bootstrapApiKey)
                .withEnv("RESULTS_BASE_URL", "http://" + ImagerecImages.RESULTS_SERVICE + ":8081")
                .withEnv("INGEST_BASE_URL", "http://" + ImagerecImages.INGEST_SERVICE + ":8080");
        for (GenericContainer<?> c : List.of(results, worker, ingest)) {
            c.withEnv("S3_ENDPOINT", s3).withEnv("SQS_ENDPOINT", sqs);
        }
    }

    private GenericContainer<?> service(String name, int healthPort, Integer... ports) {
        GenericContainer<?> container = new GenericContainer<>(ImagerecImages.image(name));
        return container.withNetwork(network).withNetworkAliases(name).withExposedPorts(ports)
                .withEnv("AWS_ACCESS_KEY_ID", "local").withEnv("AWS_SECRET_ACCESS_KEY", "local")
                .withEnv("AWS_REGION", "us-east-1")
                .waitingFor(Wait.forHttp("/q/health/ready").forPort(healthPort).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(3)));
    }

    /**
     * Starts local-cloud and the engine together, then the three services together once PostgreSQL's
     * password can be handed to results-service. Returns when every container is ready.
     */
    @Override
    public void start() {
        try {
            Startables.deepStart(localCloud, engine).join();
            results.withEnv("DATABASE_PASSWORD", localCloud.postgresPassword());
            Startables.deepStart(results, worker, ingest).join();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** Stops every container (in reverse order) and removes the network. */
    @Override
    public void stop() {
        for (Startable c : List.of(ingest, worker, results, engine, localCloud)) {
            try {
                c.stop();
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
        try {
            network.close();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    /** ingest-service's public API ({@code POST /v1/images}, {@code /v1/keys}, ...), from this host. */
    public URI ingestUrl() {
        return url(ingest, 8080);
    }

    /** results-service's public API ({@code GET /v1/jobs/{id}}, the web UI at {@code /ui/}), from this host. */
    public URI resultsUrl() {
        return url(results, 8081);
    }

    /** The operator's API key of this stack (every scope, any tenant via {@code X-Tenant-Id}). */
    public String bootstrapApiKey() {
        return bootstrapApiKey;
    }

    public LocalCloudContainer localCloud() {
        return localCloud;
    }

    public RekognitionLocalContainer engine() {
        return engine;
    }

    public GenericContainer<?> resultsService() {
        return results;
    }

    public GenericContainer<?> recognitionWorker() {
        return worker;
    }

    public GenericContainer<?> ingestService() {
        return ingest;
    }

    private static URI url(GenericContainer<?> container, int port) {
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(port));
    }

    private static String randomKey() {
        byte[] bytes = new byte[30];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
