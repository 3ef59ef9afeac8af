package io.imagerec.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged rekognition-local started as its own process, as run.sh starts it: the real models on
 * the real API. Built by the reactor before the services that use it ({@code ./mvnw verify}).
 */
public final class EngineProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final int managementPort;

    private EngineProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** The repository's root: {@code repo.root} (set by the build) or the parent of the module. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    static Path jar() {
        return repositoryRoot().resolve("rekognition-local/target/quarkus-app/quarkus-run.jar");
    }

    public static boolean isBuilt() {
        return Files.isRegularFile(jar())
                && Files.isDirectory(repositoryRoot().resolve("rekognition-local/models/node_modules"));
    }

    static EngineProcess start(Path data, String s3Endpoint) throws Exception {
        return start(data, s3Endpoint, Map.of());
    }

    /**
     * Starts the engine with these system properties besides the ports and directories of the test; its
     * log and file-store collections go under {@code data}, so engines started side by side need their own.
     */
    public static EngineProcess start(Path data, String s3Endpoint, Map<String, String> properties) throws Exception {
        int port = TestCloud.freePort();
        int managementPort = TestCloud.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = data.resolve("rekognition-local.log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx1g",
                "-Dquarkus.http.port=" + port,
                // Metrics and OpenAPI are on the management port (8084 by default): a free one, so that
                // engines of concurrent test runs, or one started by run.sh, do not collide.
                "-Dquarkus.management.port=" + managementPort,
                "-Drekognition.s3.endpoint=" + s3Endpoint,
                "-Drekognition.models.dir=" + repositoryRoot().resolve("rekognition-local/models/node_modules"),
                "-Drekognition.faces.collections-dir=" + data.resolve("collections")));
        properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
        command.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", TestCloud.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", TestCloud.SECRET_KEY);
        builder.environment().put("AWS_REGION", TestCloud.REGION);
        EngineProcess engine = new EngineProcess(builder.start(), port, managementPort);
        engine.awaitReady(log);
        return engine;
    }

    public int port() {
        return port;
    }

    /** The management interface: metrics and OpenAPI. */
    public int managementPort() {
        return managementPort;
    }

    private void awaitReady(Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rekognition-local exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new IllegalStateException("rekognition-local was not ready within 180 s; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
