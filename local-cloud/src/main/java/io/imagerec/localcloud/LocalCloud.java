package io.imagerec.localcloud;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The cloud on one machine, for running the platform with no AWS account: real SQS-compatible
 * (ElasticMQ), S3-compatible (S3Proxy on a directory) and PostgreSQL servers in one process. All
 * data lives under one directory and survives a restart: stored images, queued messages (ElasticMQ's
 * H2 message store) and the database.
 *
 * <p>Settings, as environment variables (all optional):
 * <ul>
 *   <li>{@code LOCAL_CLOUD_DATA_DIR} (default {@code .data})</li>
 *   <li>{@code LOCAL_CLOUD_SQS_PORT} (9324), {@code LOCAL_CLOUD_S3_PORT} (9000),
 *       {@code LOCAL_CLOUD_POSTGRES_PORT} (15432)</li>
 *   <li>{@code LOCAL_CLOUD_POSTGRES=false} to use an existing PostgreSQL instead</li>
 *   <li>{@code LOCAL_CLOUD_BUCKET} (images), {@code LOCAL_CLOUD_JOB_VISIBILITY_SECONDS} (60)</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}: the one key pair S3 accepts
 *       (default local / local)</li>
 * </ul>
 * When everything is up it writes {@code <data>/local-cloud.ready} and prints the endpoints.
 */
public final class LocalCloud {

    public static final String JOBS_QUEUE = "recognition-jobs";
    public static final String RESULTS_QUEUE = "recognition-results";
    public static final int MAX_RECEIVE_COUNT = 5;

    private LocalCloud() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(env("LOCAL_CLOUD_DATA_DIR", ".data")).toAbsolutePath().normalize();
        int sqsPort = Integer.parseInt(env("LOCAL_CLOUD_SQS_PORT", "9324"));
        int s3Port = Integer.parseInt(env("LOCAL_CLOUD_S3_PORT", "9000"));
        int pgPort = Integer.parseInt(env("LOCAL_CLOUD_POSTGRES_PORT", "15432"));
        boolean postgres = Boolean.parseBoolean(env("LOCAL_CLOUD_POSTGRES", "true"));
        String bucket = env("LOCAL_CLOUD_BUCKET", "images");
        int jobVisibility = Integer.parseInt(env("LOCAL_CLOUD_JOB_VISIBILITY_SECONDS", "60"));
        Files.createDirectories(data);
        Path ready = data.resolve("local-cloud.ready");
        Files.deleteIfExists(ready);

        List<AutoCloseable> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // the marker is advisory
            }
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("local-cloud: stopping a server failed: " + e);
                }
            }
        }, "local-cloud-shutdown"));

        startSqs(data, sqsPort, jobVisibility);
        running.add(startS3(data, s3Port, bucket));
        String jdbc = "(external)";
        if (postgres) {
            EmbeddedPostgres pg = startPostgres(data, pgPort);
            running.add(pg);
            jdbc = "jdbc:postgresql://localhost:" + pgPort + "/recognition";
        }
        String summary = "sqs=http://localhost:" + sqsPort + " s3=http://localhost:" + s3Port + " bucket=" + bucket
                + " postgres=" + jdbc + " data=" + data;
        Files.writeString(ready, summary + "\n", StandardCharsets.UTF_8);
        System.out.println("local-cloud ready: " + summary);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** ElasticMQ with both queues, their dead-letter queues and a persistent message store. */
    static void startSqs(Path data, int port, int jobVisibilitySeconds) throws IOException {
        String conf = """
            include classpath("application.conf")
            node-address { protocol = http, host = localhost, port = %1$d, context-path = "" }
            rest-sqs { enabled = true, bind-port = %1$d, bind-hostname = "127.0.0.1", sqs-limits = strict }
            rest-stats { enabled = false }
            generate-node-address = false
            aws { region = us-east-1, accountId = "000000000000" }
            messages-storage { enabled = true, uri = "jdbc:h2:%2$s" }
            queues {
              %3$s { defaultVisibilityTimeout = %4$d seconds, delay = 0 seconds, receiveMessageWait = 0 seconds,
                deadLettersQueue { name = "%3$s-dlq", maxReceiveCount = %6$d } }
              %3$s-dlq { }
              %5$s { defaultVisibilityTimeout = 30 seconds, delay = 0 seconds, receiveMessageWait = 0 seconds,
                deadLettersQueue { name = "%5$s-dlq", maxReceiveCount = %6$d } }
              %5$s-dlq { }
            }
            """.formatted(port, data.resolve("sqs").resolve("messages").toString().replace("\\", "/"), JOBS_QUEUE,
                jobVisibilitySeconds, RESULTS_QUEUE, MAX_RECEIVE_COUNT);
        Path file = data.resolve("sqs").resolve("elasticmq.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        System.setProperty("config.file", file.toString());
        org.elasticmq.server.Main.main(new String[0]);
    }

    /** S3Proxy over a directory; a bucket is a directory below it. */
    static AutoCloseable startS3(Path data, int port, String bucket) throws Exception {
        Path base = data.resolve("s3");
        Files.createDirectories(base.resolve(bucket));
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", base.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", properties))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, env("AWS_ACCESS_KEY_ID", "local"),
                        env("AWS_SECRET_ACCESS_KEY", "local"))
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
        return proxy::stop;
    }

    /** PostgreSQL with a {@code recognition} database; the data directory is kept across restarts. */
    static EmbeddedPostgres startPostgres(Path data, int port) throws Exception {
        Path dir = data.resolve("postgres");
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(data.resolve("postgres-runtime").toFile())
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'recognition'")) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE recognition");
                }
            }
        }
        return pg;
    }
}
