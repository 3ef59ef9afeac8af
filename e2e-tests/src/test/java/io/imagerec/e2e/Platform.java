package io.imagerec.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged platform started as real processes on test ports, the way run.sh starts it: local-cloud
 * (ElasticMQ, S3Proxy, PostgreSQL), rekognition-local and the three services. Each process logs to
 * {@code target/e2e-logs/<name>.log}.
 */
final class Platform implements AutoCloseable {

    static final int SQS_PORT = 29324;
    static final int S3_PORT = 29000;
    static final int PG_PORT = 25432;
    static final int ENGINE_PORT = 28085;
    static final int INGEST_PORT = 28080;
    static final int RESULTS_PORT = 28081;
    static final int WORKER_PORT = 28082;

    private final Path root;
    private final Path data;
    private final Path logs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Platform(Path root, Path data) throws IOException {
        this.root = root;
        this.data = data;
        this.logs = root.resolve("e2e-tests/target/e2e-logs");
        Files.createDirectories(logs);
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    String ingestUrl() {
        return "http://localhost:" + INGEST_PORT;
    }

    String resultsUrl() {
        return "http://localhost:" + RESULTS_PORT;
    }

    void startAll() throws Exception {
        startLocalCloud();
        startEngine();
        startResults();
        startWorker();
        startIngest();
    }

    void startLocalCloud() throws Exception {
        Path ready = data.resolve("local-cloud.ready");
        Files.deleteIfExists(ready);
        start("local-cloud", List.of("-jar", jar("local-cloud/target/local-cloud-0.1.0-SNAPSHOT.jar")));
        awaitTrue("local-cloud", () -> Files.exists(ready), Duration.ofSeconds(120));
    }

    void startEngine() throws Exception {
        start("rekognition-local", List.of("-Dquarkus.http.port=" + ENGINE_PORT,
                "-Drekognition.s3.endpoint=http://localhost:" + S3_PORT,
                "-jar", jar("rekognition-local/target/quarkus-app/quarkus-run.jar")));
        awaitReady("rekognition-local", ENGINE_PORT);
    }

    void startResults() throws Exception {
        start("results-service", List.of("-Dquarkus.http.port=" + RESULTS_PORT,
                "-jar", jar("results-service/target/quarkus-app/quarkus-run.jar")));
        awaitReady("results-service", RESULTS_PORT);
    }

    void startWorker() throws Exception {
        start("recognition-worker", List.of("-Dquarkus.http.port=" + WORKER_PORT,
                "-jar", jar("recognition-worker/target/quarkus-app/quarkus-run.jar")));
        awaitReady("recognition-worker", WORKER_PORT);
    }

    void startIngest() throws Exception {
        start("ingest-service", List.of("-Dquarkus.http.port=" + INGEST_PORT,
                "-jar", jar("ingest-service/target/quarkus-app/quarkus-run.jar")));
        awaitReady("ingest-service", INGEST_PORT);
    }

    /** Stops one process as Ctrl-C or a container stop would (SIGTERM), and waits for it. */
    void stop(String name) throws InterruptedException {
        Process p = processes.remove(name);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<String> names = new ArrayList<>(processes.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            stop(names.get(i));
        }
    }

    private String jar(String relative) {
        Path jar = root.resolve(relative);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through the reactor (./mvnw verify)");
        }
        return jar.toString();
    }

    private void start(String name, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx768m");
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        Map<String, String> env = builder.environment();
        env.put("AWS_ACCESS_KEY_ID", "e2e");
        env.put("AWS_SECRET_ACCESS_KEY", "e2e-secret");
        env.put("AWS_REGION", "us-east-1");
        env.put("LOCAL_CLOUD_DATA_DIR", data.toString());
        env.put("REKOGNITION_COLLECTIONS_DIR", data.resolve("collections").toString());
        env.put("LOCAL_CLOUD_SQS_PORT", Integer.toString(SQS_PORT));
        env.put("LOCAL_CLOUD_S3_PORT", Integer.toString(S3_PORT));
        env.put("LOCAL_CLOUD_POSTGRES_PORT", Integer.toString(PG_PORT));
        // Short visibility timeout: a job left for redelivery comes back within the test's patience.
        env.put("LOCAL_CLOUD_JOB_VISIBILITY_SECONDS", "10");
        env.put("S3_ENDPOINT", "http://localhost:" + S3_PORT);
        env.put("SQS_ENDPOINT", "http://localhost:" + SQS_PORT);
        env.put("REKOGNITION_ENDPOINT", "http://localhost:" + ENGINE_PORT);
        env.put("REKOGNITION_MODELS_DIR", root.resolve("rekognition-local/models/node_modules").toString());
        env.put("DATABASE_URL", "jdbc:postgresql://localhost:" + PG_PORT + "/recognition");
        env.put("RESULTS_BASE_URL", resultsUrl());
        processes.put(name, builder.start());
    }

    private void awaitReady(String name, int port) throws Exception {
        URI health = URI.create("http://localhost:" + port + "/q/health/ready");
        awaitTrue(name, () -> {
            try {
                return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(120));
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    private void awaitTrue(String name, Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + logs.resolve(name
                        + ".log"));
            }
            if (check.ok()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logs.resolve(name
                + ".log"));
    }
}
