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

import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import com.typesafe.config.ConfigFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The cloud on one machine, for running the platform with no AWS account: real SQS-compatible
 * (ElasticMQ), S3-compatible (S3Proxy on a directory) and PostgreSQL servers in one process. All
 * data lives under one directory and survives a restart: stored images, queued messages (ElasticMQ's
 * H2 message store) and the database.
 *
 * <p>Run as a program ({@link #main}) it is configured by environment variables (all optional):
 * <ul>
 *   <li>{@code LOCAL_CLOUD_DATA_DIR} (default {@code .data})</li>
 *   <li>{@code LOCAL_CLOUD_SQS_PORT} (9324), {@code LOCAL_CLOUD_S3_PORT} (9000),
 *       {@code LOCAL_CLOUD_POSTGRES_PORT} (15432)</li>
 *   <li>{@code LOCAL_CLOUD_SQS_ADVERTISED_PORT} (the SQS port): the port in queue URLs, when clients
 *       reach SQS through a proxy</li>
 *   <li>{@code LOCAL_CLOUD_POSTGRES=false} to use an existing PostgreSQL instead</li>
 *   <li>{@code LOCAL_CLOUD_BUCKET} (images), {@code LOCAL_CLOUD_JOB_VISIBILITY_SECONDS} (60),
 *       {@code LOCAL_CLOUD_RESULT_VISIBILITY_SECONDS} (30)</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}: the one key pair S3 accepts
 *       (default local / local)</li>
 * </ul>
 * When everything is up it writes {@code <data>/local-cloud.ready} and prints the endpoints. Tests
 * embed it with {@link #start(Settings)} instead.
 */
public final class LocalCloud implements AutoCloseable {

    public static final String JOBS_QUEUE = "recognition-jobs";
    public static final String RESULTS_QUEUE = "recognition-results";
    /** S3 event notifications of direct uploads (S3Proxy sends none; clients complete uploads by call). */
    public static final String UPLOADS_QUEUE = "image-uploads";
    public static final int MAX_RECEIVE_COUNT = 5;

    /**
     * Where and how the servers run.
     *
     * @param sqsAdvertisedPort the port in the queue URLs ElasticMQ hands out; differs from {@code sqsPort}
     *        when clients reach it through a proxy (tests that cut the connection)
     * @param postgres false to start no PostgreSQL (an existing server is used)
     */
    public record Settings(Path data, int sqsPort, int sqsAdvertisedPort, int s3Port, int postgresPort,
            boolean postgres, String bucket, int jobVisibilitySeconds, int resultVisibilitySeconds, String accessKey,
            String secretKey) {

        public static Settings fromEnvironment() {
            int sqsPort = Integer.parseInt(env("LOCAL_CLOUD_SQS_PORT", "9324"));
            return new Settings(Path.of(env("LOCAL_CLOUD_DATA_DIR", ".data")).toAbsolutePath().normalize(),
                    sqsPort, Integer.parseInt(env("LOCAL_CLOUD_SQS_ADVERTISED_PORT", Integer.toString(sqsPort))),
                    Integer.parseInt(env("LOCAL_CLOUD_S3_PORT", "9000")),
                    Integer.parseInt(env("LOCAL_CLOUD_POSTGRES_PORT", "15432")),
                    Boolean.parseBoolean(env("LOCAL_CLOUD_POSTGRES", "true")),
                    env("LOCAL_CLOUD_BUCKET", "images"),
                    Integer.parseInt(env("LOCAL_CLOUD_JOB_VISIBILITY_SECONDS", "60")),
                    Integer.parseInt(env("LOCAL_CLOUD_RESULT_VISIBILITY_SECONDS", "30")),
                    env("AWS_ACCESS_KEY_ID", "local"), env("AWS_SECRET_ACCESS_KEY", "local"));
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> running = new ArrayList<>();

    private LocalCloud(Settings settings) {
        this.settings = settings;
    }

    /** Starts ElasticMQ, S3Proxy and (unless disabled) PostgreSQL; {@link #close()} stops them. */
    public static LocalCloud start(Settings settings) throws Exception {
        LocalCloud cloud = new LocalCloud(settings);
        try {
            Files.createDirectories(settings.data());
            cloud.running.add(startSqs(settings));
            cloud.running.add(startS3(settings));
            if (settings.postgres()) {
                cloud.running.add(startPostgres(settings));
            }
            return cloud;
        } catch (Exception e) {
            cloud.close();
            throw e;
        }
    }

    public Settings settings() {
        return settings;
    }

    public String sqsEndpoint() {
        return "http://localhost:" + settings.sqsAdvertisedPort();
    }

    public String s3Endpoint() {
        return "http://localhost:" + settings.s3Port();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + settings.postgresPort() + "/recognition";
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                System.err.println("local-cloud: stopping a server failed: " + e);
            }
        }
        running.clear();
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        Files.createDirectories(settings.data());
        Path ready = settings.data().resolve("local-cloud.ready");
        Files.deleteIfExists(ready);
        LocalCloud cloud = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(ready);
            } catch (IOException ignored) {
                // the marker is advisory
            }
            cloud.close();
        }, "local-cloud-shutdown"));
        String summary = "sqs=" + cloud.sqsEndpoint() + " s3=" + cloud.s3Endpoint() + " bucket=" + settings.bucket()
                + " postgres=" + (settings.postgres() ? cloud.jdbcUrl() : "(external)") + " data=" + settings.data();
        Files.writeString(ready, summary + "\n", StandardCharsets.UTF_8);
        System.out.println("local-cloud ready: " + summary);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** ElasticMQ with both queues, their dead-letter queues and a persistent message store. */
    static AutoCloseable startSqs(Settings s) throws IOException {
        String conf = """
            node-address { protocol = http, host = localhost, port = %2$d, context-path = "" }
            rest-sqs { enabled = true, bind-port = %1$d, bind-hostname = "127.0.0.1", sqs-limits = strict }
            rest-stats { enabled = false }
            generate-node-address = false
            aws { region = us-east-1, accountId = "000000000000" }
            messages-storage { enabled = true, uri = "jdbc:h2:%3$s;WRITE_DELAY=0" }
            queues {
              %4$s { defaultVisibilityTimeout = %5$d seconds, delay = 0 seconds, receiveMessageWait = 0 seconds,
                deadLettersQueue { name = "%4$s-dlq", maxReceiveCount = %8$d } }
              %4$s-dlq { }
              %6$s { defaultVisibilityTimeout = %7$d seconds, delay = 0 seconds, receiveMessageWait = 0 seconds,
                deadLettersQueue { name = "%6$s-dlq", maxReceiveCount = %8$d } }
              %6$s-dlq { }
              %9$s { defaultVisibilityTimeout = 30 seconds, delay = 0 seconds, receiveMessageWait = 0 seconds,
                deadLettersQueue { name = "%9$s-dlq", maxReceiveCount = %8$d } }
              %9$s-dlq { }
            }
            """.formatted(s.sqsPort(), s.sqsAdvertisedPort(),
                s.data().resolve("sqs").resolve("messages").toString().replace("\\", "/"), JOBS_QUEUE,
                s.jobVisibilitySeconds(), RESULTS_QUEUE, s.resultVisibilitySeconds(), MAX_RECEIVE_COUNT, UPLOADS_QUEUE);
        Path file = s.data().resolve("sqs").resolve("elasticmq.conf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        var config = ConfigFactory.parseString(conf)
                .withFallback(ConfigFactory.parseResources(ElasticMQServer.class.getClassLoader(), "application.conf"))
                .withFallback(ConfigFactory.defaultReference(ElasticMQServer.class.getClassLoader()))
                .resolve();
        var stop = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        return stop::apply;
    }

    /** S3Proxy over a directory; a bucket is a directory below it. */
    static AutoCloseable startS3(Settings s) throws Exception {
        Path base = s.data().resolve("s3");
        Files.createDirectories(base.resolve(s.bucket()));
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", base.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem-nio2", properties))
                .endpoint(URI.create("http://127.0.0.1:" + s.s3Port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, s.accessKey(), s.secretKey())
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
        return proxy::stop;
    }

    /** PostgreSQL with a {@code recognition} database; the data directory is kept across restarts. */
    static EmbeddedPostgres startPostgres(Settings s) throws Exception {
        Path dir = s.data().resolve("postgres");
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(s.postgresPort())
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(s.data().resolve("postgres-runtime").toFile())
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'recognition'")) {
                if (!rs.next()) {
                    st.execute("CREATE DATABASE recognition");
                }
            }
        }
        return pg;
    }
}
