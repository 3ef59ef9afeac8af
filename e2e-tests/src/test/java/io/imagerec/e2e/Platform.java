package io.imagerec.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.imagerec.testsupport.FaultProxy;
import io.imagerec.testsupport.FreePorts;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The packaged platform started as real processes, the way run.sh starts it: local-cloud (ElasticMQ,
 * S3Proxy, PostgreSQL), rekognition-local and the three services, each on a free port so several
 * platforms can run side by side. The services reach SQS, S3, PostgreSQL and the engine through
 * {@link FaultProxy}s in this JVM, so a test can make one unreachable while it keeps its state. Each
 * process logs to {@code target/e2e-logs/<platform>/<name>.log}.
 */
final class Platform implements AutoCloseable {

    static final String LOCAL_CLOUD = "local-cloud";
    static final String ENGINE = "rekognition-local";
    static final String RESULTS = "results-service";
    /** A second results-service replica (same database and queue), as behind a load balancer. */
    static final String RESULTS_2 = "results-service-2";
    static final String WORKER = "recognition-worker";
    static final String INGEST = "ingest-service";

    private final Path root;
    private final Path data;
    private final Path logs;
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, List<String>> settings = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The operator's API key of this platform (BOOTSTRAP_API_KEY of ingest and results). */
    private final String operatorKey = "e2e-operator-" + java.util.UUID.randomUUID();
    private final int sqsPort = freePort();
    private final int s3Port = freePort();
    private final int postgresPort = freePort();
    private final int enginePort = freePort();
    private final int ingestPort = freePort();
    private final int resultsPort = freePort();
    private final int resultsManagementPort = freePort();
    private final int results2Port = freePort();
    private final int results2ManagementPort = freePort();
    private final int ingestManagementPort = freePort();
    private final int workerPort = freePort();
    final FaultProxy sqs;
    final FaultProxy s3;
    final FaultProxy postgres;
    final FaultProxy engine;

    Platform(String name, Path data) throws IOException {
        this.root = repositoryRoot();
        this.data = data;
        this.logs = root.resolve("e2e-tests/target/e2e-logs").resolve(name);
        Files.createDirectories(logs);
        this.sqs = new FaultProxy("sqs", 0, "127.0.0.1", sqsPort);
        this.s3 = new FaultProxy("s3", 0, "127.0.0.1", s3Port);
        this.postgres = new FaultProxy("postgres", 0, "127.0.0.1", postgresPort);
        this.engine = new FaultProxy("engine", 0, "127.0.0.1", enginePort);
    }

    static Path repositoryRoot() {
        String configured = System.getProperty("repo.root");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    /** Extra system properties (-Dkey=value) for one process, from its next start on. */
    Platform configure(String name, String... properties) {
        settings.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(properties));
        return this;
    }

    /** The operator's API key: every scope, any tenant (named by X-Tenant-Id). */
    String operatorKey() {
        return operatorKey;
    }

    String ingestUrl() {
        return "http://localhost:" + ingestPort;
    }

    String resultsUrl() {
        return "http://localhost:" + resultsPort;
    }

    /** The second results-service replica's public API (once {@link #startSecondResults()} ran). */
    String secondResultsUrl() {
        return "http://localhost:" + results2Port;
    }

    String workerUrl() {
        return "http://localhost:" + workerPort;
    }

    /** rekognition-local itself, not through its fault proxy. */
    String engineUrl() {
        return "http://localhost:" + enginePort;
    }

    /** The process id of a running service (its JVM), for reading /proc/<pid>/status. */
    long pid(String name) {
        Process p = processes.get(name);
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        return p.pid();
    }

    /** The file a service logs to. */
    Path logFile(String name) {
        return logs.resolve(name + ".log");
    }

    /** results-service's management interface: health, metrics, dead letters. */
    String resultsManagementUrl() {
        return "http://localhost:" + resultsManagementPort;
    }

    /**
     * local-cloud first (results-service migrates its database at start, and the engine keeps its face
     * collections there), then the rest side by side.
     */
    void startAll() throws Exception {
        startLocalCloud();
        CompletableFuture.allOf(async(this::startEngine), async(this::startResults), async(this::startWorker),
                async(this::startIngest)).join();
    }

    void startLocalCloud() throws Exception {
        Path ready = data.resolve("local-cloud.ready");
        Files.deleteIfExists(ready);
        start(LOCAL_CLOUD, List.of("-jar", jar("local-cloud/target/local-cloud-0.1.0-SNAPSHOT-runner.jar")));
        awaitTrue(LOCAL_CLOUD, () -> Files.exists(ready), Duration.ofSeconds(120));
    }

    void startEngine() throws Exception {
        start(ENGINE, List.of("-Dquarkus.http.port=" + enginePort,
                "-Dquarkus.management.port=" + freePort(),
                "-Drekognition.s3.endpoint=http://localhost:" + s3.port(),
                // Face collections in PostgreSQL, as run.sh runs the engine; straight to the server, not through
                // the proxy that database-outage tests cut (its login comes from the environment).
                "-Drekognition.collections.store=postgresql",
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:" + postgresPort + "/recognition",
                "-jar", jar("rekognition-local/target/quarkus-app/quarkus-run.jar")));
        awaitReady(ENGINE, enginePort);
    }

    void startResults() throws Exception {
        start(RESULTS, List.of("-Dquarkus.http.port=" + resultsPort,
                "-Dquarkus.management.port=" + resultsManagementPort,
                "-jar", jar("results-service/target/quarkus-app/quarkus-run.jar")));
        awaitReady(RESULTS, resultsManagementPort);
    }

    /** Starts a second results-service replica; {@link #configure} it under {@link #RESULTS_2}. */
    void startSecondResults() throws Exception {
        start(RESULTS_2, List.of("-Dquarkus.http.port=" + results2Port,
                "-Dquarkus.management.port=" + results2ManagementPort,
                "-jar", jar("results-service/target/quarkus-app/quarkus-run.jar")));
        awaitReady(RESULTS_2, results2ManagementPort);
    }

    void startWorker() throws Exception {
        start(WORKER, List.of("-Dquarkus.http.port=" + workerPort,
                "-jar", jar("recognition-worker/target/quarkus-app/quarkus-run.jar")));
        awaitReady(WORKER, workerPort);
    }

    void startIngest() throws Exception {
        start(INGEST, List.of("-Dquarkus.http.port=" + ingestPort,
                "-Dquarkus.management.port=" + ingestManagementPort,
                "-jar", jar("ingest-service/target/quarkus-app/quarkus-run.jar")));
        awaitReady(INGEST, ingestPort);
    }

    /** Stops one process as Ctrl-C or a container stop would (SIGTERM); how long it took to exit. */
    Duration stop(String name) throws InterruptedException {
        Process p = processes.remove(name);
        long start = System.nanoTime();
        if (p != null) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                kill(p);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Kills one process and everything it started (PostgreSQL under local-cloud), as a crash would. */
    void kill(String name) throws InterruptedException {
        Process p = processes.remove(name);
        if (p != null) {
            kill(p);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> h).join();
        }
    }

    /** Messages in a queue (visible and in flight), asked straight of the SQS server. */
    long queueDepth(String queue) {
        try (SqsClient sqs = sqsClient()) {
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl("http://localhost:" + sqsPort + "/000000000000/"
                    + queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                    + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    long deadLetters(String queue) {
        return queueDepth(queue);
    }

    /** Jobs some worker holds now (received, neither deleted nor released). */
    long jobsInFlight() {
        try (SqsClient sqs = sqsClient()) {
            return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl("http://localhost:" + sqsPort
                    + "/000000000000/recognition-jobs").attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes()
                    .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
        }
    }

    private SqsClient sqsClient() {
        return SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e", "e2e-secret")))
                .endpointOverride(URI.create("http://localhost:" + sqsPort)).build();
    }

    /** A client straight to the S3 server, bypassing the proxy. */
    S3Client s3Client() {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("e2e", "e2e-secret")))
                .forcePathStyle(true).endpointOverride(URI.create("http://localhost:" + s3Port)).build();
    }

    /** A connection straight to PostgreSQL, bypassing the proxy. */
    Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/recognition", "postgres",
                databasePassword());
    }

    /** local-cloud's generated PostgreSQL password, from its data directory. */
    String databasePassword() {
        return password("postgres-password");
    }

    /** A password local-cloud generated into its data directory on its first start. */
    private String password(String file) {
        try {
            return Files.readString(data.resolve(file)).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One Prometheus sample of a service, e.g. results_messages_total{applied="true",status="SUCCEEDED"}. */
    double metric(String baseUrl, String name, Map<String, String> labels) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double total = 0;
        for (String sample : body.split("\n")) {
            // An OpenMetrics exemplar (` # {trace_id="..."} 1.0 ...`, with OpenTelemetry) follows the value.
            String line = sample.contains(" # ") ? sample.substring(0, sample.indexOf(" # ")) : sample;
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean matches = labels.entrySet().stream().allMatch(e -> line.contains(e.getKey() + "=\"" + e.getValue()
                    + "\""));
            if (matches) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        for (String name : List.of(INGEST, WORKER, RESULTS, RESULTS_2, ENGINE, LOCAL_CLOUD)) {
            stop(name);
        }
        sqs.close();
        s3.close();
        postgres.close();
        engine.close();
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
        command.add(name.equals(ENGINE) ? "-Xmx1g" : "-Xmx512m");
        settings.getOrDefault(name, List.of()).forEach(p -> command.add("-D" + p));
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
        env.put("LOCAL_CLOUD_SQS_PORT", Integer.toString(sqsPort));
        env.put("LOCAL_CLOUD_SQS_ADVERTISED_PORT", Integer.toString(sqs.port()));
        env.put("LOCAL_CLOUD_S3_PORT", Integer.toString(s3Port));
        env.put("LOCAL_CLOUD_POSTGRES_PORT", Integer.toString(postgresPort));
        env.put("S3_ENDPOINT", "http://localhost:" + s3.port());
        env.put("SQS_ENDPOINT", "http://localhost:" + sqs.port());
        env.put("REKOGNITION_ENDPOINT", "http://localhost:" + engine.port());
        env.put("REKOGNITION_MODELS_DIR", root.resolve("rekognition-local/models/node_modules").toString());
        env.put("DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.port() + "/recognition");
        if (name.equals(ENGINE)) { // its own role, limited to schema rekognition, as run.sh starts it
            env.put("DATABASE_USER", "rekognition");
            env.put("DATABASE_PASSWORD", password("engine/rekognition-password"));
        } else if (Files.exists(data.resolve("postgres-password"))) { // written by local-cloud on its first start
            env.put("DATABASE_PASSWORD", databasePassword());
        }
        env.put("RESULTS_BASE_URL", resultsUrl());
        env.put("INGEST_BASE_URL", ingestUrl());
        env.put("BOOTSTRAP_API_KEY", operatorKey);
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
        }, Duration.ofSeconds(300));
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static CompletableFuture<Void> async(Step step) {
        return CompletableFuture.runAsync(() -> {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void awaitTrue(String name, Check check, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Process p = processes.get(name);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(name + " exited with " + p.exitValue() + "; see " + logs.resolve(name
                        + ".log") + "; it ended:\n" + logTail(name, 25));
            }
            if (check.ok()) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logs.resolve(name
                + ".log") + "; it ended:\n" + logTail(name, 25));
    }

    /** The last lines of a process's log, for a failure message that says why without the file. */
    private String logTail(String name, int lines) {
        try {
            List<String> all = Files.readAllLines(logs.resolve(name + ".log"), java.nio.charset.StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .map(line -> line.length() > 400 ? line.substring(0, 400) + "..." : line).toList());
        } catch (IOException | RuntimeException e) {
            return "(log not readable: " + e + ")";
        }
    }

    private static int freePort() {
        return FreePorts.next();
    }
}
