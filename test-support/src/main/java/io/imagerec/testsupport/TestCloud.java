package io.imagerec.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.imagerec.localcloud.LocalCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real neighbours of a service under test, in this JVM: ElasticMQ, S3Proxy and PostgreSQL from
 * local-cloud, and optionally the packaged rekognition-local as a child process. Every one of them is
 * reached through a {@link FaultProxy}, so a test can make it unreachable, silent or lossy while the
 * server itself keeps its state.
 */
public final class TestCloud implements AutoCloseable {

    /** The operator's API key of the services under test (BOOTSTRAP_API_KEY): every scope, any tenant. */
    public static final String OPERATOR_KEY = "test-operator-key-0123456789abcdef";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "test-secret";
    public static final String REGION = "us-east-1";
    public static final String BUCKET = "images";
    public static final String JOBS_QUEUE = LocalCloud.JOBS_QUEUE;
    public static final String RESULTS_QUEUE = LocalCloud.RESULTS_QUEUE;
    public static final String UPLOADS_QUEUE = LocalCloud.UPLOADS_QUEUE;

    private final Path data;
    private final LocalCloud cloud;
    private final FaultProxy sqs;
    private final FaultProxy s3;
    private final FaultProxy postgres;
    private final EngineProcess engine;
    private final FaultProxy engineProxy;
    private final SqsClient sqsClient;
    private final S3Client s3Client;

    private TestCloud(Path data, LocalCloud cloud, FaultProxy sqs, FaultProxy s3, FaultProxy postgres,
            EngineProcess engine, FaultProxy engineProxy) {
        this.data = data;
        this.cloud = cloud;
        this.sqs = sqs;
        this.s3 = s3;
        this.postgres = postgres;
        this.engine = engine;
        this.engineProxy = engineProxy;
        // The test's own clients go straight to the servers, so they work while a proxy is cut.
        this.sqsClient = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .credentialsProvider(credentials()).endpointOverride(URI.create("http://localhost:"
                        + cloud.settings().sqsPort())).build();
        this.s3Client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(REGION))
                .credentialsProvider(credentials()).forcePathStyle(true)
                .endpointOverride(URI.create("http://localhost:" + cloud.settings().s3Port())).build();
    }

    /**
     * Starts the servers on free ports under a fresh directory.
     *
     * @param withEngine also start the packaged engine; it is left out (and {@link #engineAvailable()}
     *        is false) when its jar has not been built, as in {@code ./mvnw test} from a clean tree
     */
    public static TestCloud start(boolean withEngine) throws Exception {
        return start(withEngine, Map.of());
    }

    /**
     * As {@link #start(boolean)}, with system properties for the engine (such as
     * {@code rekognition.quota.calls-per-second}).
     */
    public static TestCloud start(boolean withEngine, Map<String, String> engineProperties) throws Exception {
        Path data = Files.createTempDirectory("test-cloud");
        int sqsPort = freePort();
        int s3Port = freePort();
        int pgPort = freePort();
        FaultProxy sqsProxy = new FaultProxy("sqs", 0, "127.0.0.1", sqsPort);
        FaultProxy s3Proxy = new FaultProxy("s3", 0, "127.0.0.1", s3Port);
        FaultProxy pgProxy = new FaultProxy("postgres", 0, "127.0.0.1", pgPort);
        LocalCloud cloud = LocalCloud.start(new LocalCloud.Settings(data, sqsPort, sqsProxy.port(), s3Port, pgPort, true,
                BUCKET, 30, 30, ACCESS_KEY, SECRET_KEY));
        EngineProcess engine = null;
        FaultProxy engineProxy = null;
        if (withEngine && EngineProcess.isBuilt()) {
            engine = EngineProcess.start(data, "http://localhost:" + s3Proxy.port(), engineProperties);
            engineProxy = new FaultProxy("engine", 0, "127.0.0.1", engine.port());
        }
        return new TestCloud(data, cloud, sqsProxy, s3Proxy, pgProxy, engine, engineProxy);
    }

    /**
     * Configuration for the service under test: every endpoint through its proxy. Queues are given by
     * URL only, with names that do not exist, so a service that ignored a queue URL would fail.
     */
    public Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("S3_ENDPOINT", "http://localhost:" + s3.port());
        config.put("SQS_ENDPOINT", "http://localhost:" + sqs.port());
        config.put("JOBS_QUEUE_URL", queueUrl(JOBS_QUEUE));
        config.put("JOBS_QUEUE_NAME", "no-such-queue-use-the-url");
        config.put("RESULTS_QUEUE_URL", queueUrl(RESULTS_QUEUE));
        config.put("RESULTS_QUEUE_NAME", "no-such-queue-use-the-url");
        config.put("UPLOAD_EVENTS_QUEUE_URL", queueUrl(UPLOADS_QUEUE));
        config.put("UPLOAD_EVENTS_QUEUE_NAME", "no-such-queue-use-the-url");
        config.put("DATABASE_URL", "jdbc:postgresql://localhost:" + postgres.port() + "/recognition");
        config.put("DATABASE_PASSWORD", cloud.postgresPassword());
        // rekognition-local's own role (user rekognition, schema rekognition only); its test profile reads this
        config.put("ENGINE_DATABASE_PASSWORD", cloud.enginePassword());
        config.put("AWS_REGION", REGION);
        config.put("BOOTSTRAP_API_KEY", OPERATOR_KEY);
        config.put("IMAGES_BUCKET", BUCKET);
        if (engineProxy != null) {
            config.put("REKOGNITION_ENDPOINT", "http://localhost:" + engineProxy.port());
        }
        // The services use the AWS SDK's default credentials chain; system properties come first in it.
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        return config;
    }

    public FaultProxy sqs() {
        return sqs;
    }

    public FaultProxy s3() {
        return s3;
    }

    public FaultProxy postgres() {
        return postgres;
    }

    public boolean engineAvailable() {
        return engineProxy != null;
    }

    /** The engine's own port, bypassing the proxy; only when {@link #engineAvailable()}. */
    public int directEnginePort() {
        if (engine == null) {
            throw new IllegalStateException("the engine was not started");
        }
        return engine.port();
    }

    /** The engine's management port (metrics: {@code /q/metrics}); only when {@link #engineAvailable()}. */
    public int engineManagementPort() {
        if (engine == null) {
            throw new IllegalStateException("the engine was not started");
        }
        return engine.managementPort();
    }

    /** The engine's proxy; only when {@link #engineAvailable()}. */
    public FaultProxy engine() {
        if (engineProxy == null) {
            throw new IllegalStateException("the engine was not started");
        }
        return engineProxy;
    }

    /** The SQS server's own port, bypassing the proxy. */
    public int directSqsPort() {
        return cloud.settings().sqsPort();
    }

    /** The S3 server's own port, bypassing the proxy. */
    public int directS3Port() {
        return cloud.settings().s3Port();
    }

    /** A client straight to the SQS server, bypassing the proxy. */
    public SqsClient sqsClient() {
        return sqsClient;
    }

    /** A client straight to the S3 server, bypassing the proxy. */
    public S3Client s3Client() {
        return s3Client;
    }

    /** A queue's URL as the services know it; the test's own client reaches it too. */
    public String queueUrl(String name) {
        return "http://localhost:" + sqs.port() + "/000000000000/" + name;
    }

    /** Deletes every message of the named queues (straight to the server). */
    public void purge(String... names) {
        for (String name : names) {
            sqsClient.purgeQueue(b -> b.queueUrl(queueUrl(name)));
        }
    }

    /** A queue attribute such as ApproximateNumberOfMessages, read straight from the server. */
    public long queueCount(String name, String attribute) {
        return Long.parseLong(sqsClient.getQueueAttributes(b -> b.queueUrl(queueUrl(name))
                .attributeNamesWithStrings(attribute)).attributesAsStrings().get(attribute));
    }

    /** A connection straight to PostgreSQL, bypassing the proxy. */
    public Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + cloud.settings().postgresPort()
                + "/recognition", "postgres", cloud.postgresPassword());
    }

    /** The password of PostgreSQL's postgres user (local-cloud generates it; DATABASE_PASSWORD in {@link #config()}). */
    public String databasePassword() {
        return cloud.postgresPassword();
    }

    /**
     * The password of rekognition-local's role {@code rekognition}, limited to schema rekognition
     * (local-cloud generates it; ENGINE_DATABASE_PASSWORD in {@link #config()}).
     */
    public String engineDatabasePassword() {
        return cloud.enginePassword();
    }

    /** Puts every proxy back to {@link FaultProxy.Mode#PASS}. */
    public void healAll() throws IOException {
        sqs.pass();
        s3.pass();
        postgres.pass();
        if (engineProxy != null) {
            engineProxy.pass();
        }
    }

    public Path data() {
        return data;
    }

    @Override
    public void close() {
        sqsClient.close();
        s3Client.close();
        if (engineProxy != null) {
            engineProxy.close();
        }
        if (engine != null) {
            engine.close();
        }
        sqs.close();
        s3.close();
        postgres.close();
        cloud.close();
        deleteQuietly(data);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; the system cleans it eventually
        }
    }

    static int freePort() {
        return FreePorts.next();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
