package io.imagerec.localcloud;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.postgresql.PGConnection;

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
 *   <li>{@code LOCAL_CLOUD_BIND_ADDRESS} (127.0.0.1): the interface SQS, S3 and PostgreSQL listen on;
 *       {@code 0.0.0.0} for every interface. PostgreSQL also keeps listening on loopback.</li>
 *   <li>{@code LOCAL_CLOUD_SQS_PORT} (9324), {@code LOCAL_CLOUD_S3_PORT} (9000),
 *       {@code LOCAL_CLOUD_POSTGRES_PORT} (15432)</li>
 *   <li>{@code LOCAL_CLOUD_SQS_ADVERTISED_PORT} (the SQS port): the port in queue URLs, when clients
 *       reach SQS through a proxy</li>
 *   <li>{@code LOCAL_CLOUD_POSTGRES=false} to use an existing PostgreSQL instead</li>
 *   <li>{@code LOCAL_CLOUD_BUCKET} (images), {@code LOCAL_CLOUD_JOB_VISIBILITY_SECONDS} (60),
 *       {@code LOCAL_CLOUD_RESULT_VISIBILITY_SECONDS} (30)</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}: the one key pair S3 accepts
 *       (default local / local); unsigned requests get 403</li>
 * </ul>
 * PostgreSQL's superuser {@code postgres} has a password generated on the first start and kept in
 * {@code <data>/postgres-password} (owner-only); every connection needs it. rekognition-local logs in
 * as its own role {@code rekognition}, limited to schema {@code rekognition} of the recognition
 * database, with the password in {@code <data>/engine/rekognition-password}. When everything is up it
 * writes {@code <data>/local-cloud.ready} and prints the endpoints. Tests embed it with
 * {@link #start(Settings)} instead.
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
     * @param bindAddress the address (or host name) the servers listen on; {@link #LOOPBACK} by default
     */
    public record Settings(Path data, int sqsPort, int sqsAdvertisedPort, int s3Port, int postgresPort,
            boolean postgres, String bucket, int jobVisibilitySeconds, int resultVisibilitySeconds, String accessKey,
            String secretKey, String bindAddress) {

        public static final String LOOPBACK = "127.0.0.1";

        /** Listening on loopback only. */
        public Settings(Path data, int sqsPort, int sqsAdvertisedPort, int s3Port, int postgresPort, boolean postgres,
                String bucket, int jobVisibilitySeconds, int resultVisibilitySeconds, String accessKey,
                String secretKey) {
            this(data, sqsPort, sqsAdvertisedPort, s3Port, postgresPort, postgres, bucket, jobVisibilitySeconds,
                    resultVisibilitySeconds, accessKey, secretKey, LOOPBACK);
        }

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
                    env("AWS_ACCESS_KEY_ID", "local"), env("AWS_SECRET_ACCESS_KEY", "local"),
                    env("LOCAL_CLOUD_BIND_ADDRESS", LOOPBACK));
        }
    }

    private final Settings settings;
    private final InetAddress bind;
    private final List<AutoCloseable> running = new ArrayList<>();
    private String postgresPassword;
    private String enginePassword;

    private LocalCloud(Settings settings, InetAddress bind) {
        this.settings = settings;
        this.bind = bind;
    }

    /** Starts ElasticMQ, S3Proxy and (unless disabled) PostgreSQL; {@link #close()} stops them. */
    public static LocalCloud start(Settings settings) throws Exception {
        LocalCloud cloud = new LocalCloud(settings, bindAddress(settings.bindAddress()));
        try {
            createDataDirectory(settings.data());
            cloud.running.add(cloud.startSqs());
            cloud.running.add(cloud.startS3());
            if (settings.postgres()) {
                cloud.running.add(cloud.startPostgres());
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
        return "http://" + clientHost() + ":" + settings.sqsAdvertisedPort();
    }

    public String s3Endpoint() {
        return "http://" + clientHost() + ":" + settings.s3Port();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + clientHost() + ":" + settings.postgresPort() + "/recognition";
    }

    /** The address the servers listen on, resolved ({@code 127.0.0.1} by default). */
    public InetAddress bindAddress() {
        return bind;
    }

    /** The file holding PostgreSQL's password in a data directory. */
    public static Path postgresPasswordFile(Path data) {
        return data.resolve(PostgresPassword.FILE_NAME);
    }

    /** The password of PostgreSQL's {@code postgres} user; only when this cloud started PostgreSQL. */
    public String postgresPassword() {
        if (postgresPassword == null) {
            throw new IllegalStateException("this local cloud started no PostgreSQL");
        }
        return postgresPassword;
    }

    /**
     * The file holding the password of rekognition-local's own role ({@value #ENGINE_ROLE}) in a data
     * directory: in a directory of its own, {@code engine}, so that a deployment can hand the engine
     * that directory (a volume of its own in docker-compose.yml) and nothing else of local-cloud's data.
     */
    public static Path enginePasswordFile(Path data) {
        return data.resolve("engine").resolve(ENGINE_ROLE + "-password");
    }

    /**
     * The password of rekognition-local's role {@value #ENGINE_ROLE}, which may use schema
     * {@value #ENGINE_ROLE} of the recognition database and nothing else; only when this cloud started PostgreSQL.
     */
    public String enginePassword() {
        if (enginePassword == null) {
            throw new IllegalStateException("this local cloud started no PostgreSQL");
        }
        return enginePassword;
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
        createDataDirectory(settings.data());
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
                + " postgres=" + (settings.postgres() ? cloud.jdbcUrl() + " (user postgres, password in "
                        + postgresPasswordFile(settings.data()) + "; rekognition-local's user " + ENGINE_ROLE
                        + ", password in " + enginePasswordFile(settings.data()) + ")" : "(external)")
                + " bind=" + cloud.bind.getHostAddress() + " data=" + settings.data();
        Files.writeString(ready, summary + "\n", StandardCharsets.UTF_8);
        System.out.println("local-cloud ready: " + summary);
    }

    /**
     * Creates the data directory owner-only if it does not exist. An existing one keeps its mode (it
     * may be any directory); what is private in it (s3, sqs, postgres, postgres-runtime, the password)
     * is owner-only by itself.
     */
    private static void createDataDirectory(Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            Files.createDirectories(data);
            PostgresPassword.restrictToOwner(data);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * The address to listen on: an IP literal or a host name, resolved once. Checked here because it
     * ends up in PostgreSQL's command line.
     */
    static InetAddress bindAddress(String value) throws IOException {
        if (value == null || value.isBlank() || !value.strip().matches("[A-Za-z0-9.:%_-]+")) {
            throw new IllegalArgumentException("LOCAL_CLOUD_BIND_ADDRESS must be an IP address or host name, not '"
                    + value + "'");
        }
        return InetAddress.getByName(value.strip());
    }

    /** How clients on this machine reach the servers: localhost unless they listen on one other interface only. */
    private String clientHost() {
        return bind.isLoopbackAddress() || bind.isAnyLocalAddress() ? "localhost" : urlHost(bind);
    }

    private static String urlHost(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    /** ElasticMQ with both queues, their dead-letter queues and a persistent message store. */
    private AutoCloseable startSqs() throws IOException {
        Settings s = settings;
        String conf = """
            node-address { protocol = http, host = "%10$s", port = %2$d, context-path = "" }
            rest-sqs { enabled = true, bind-port = %1$d, bind-hostname = "%11$s", sqs-limits = strict }
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
                s.jobVisibilitySeconds(), RESULTS_QUEUE, s.resultVisibilitySeconds(), MAX_RECEIVE_COUNT, UPLOADS_QUEUE,
                clientHost(), bind.getHostAddress());
        Path file = s.data().resolve("sqs").resolve("elasticmq.conf");
        Files.createDirectories(file.getParent());
        PostgresPassword.restrictToOwner(file.getParent()); // queued messages: for this user's eyes only
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        var config = ConfigFactory.parseString(conf)
                .withFallback(ConfigFactory.parseResources(ElasticMQServer.class.getClassLoader(), "application.conf"))
                .withFallback(ConfigFactory.defaultReference(ElasticMQServer.class.getClassLoader()))
                .resolve();
        var stop = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        return stop::apply;
    }

    /**
     * S3Proxy over a directory; a bucket is a directory below it. Only requests signed with the
     * configured key pair (headers or presigned URL) are served: {@link PrivateBlobStore} says why.
     */
    private AutoCloseable startS3() throws Exception {
        Settings s = settings;
        Path base = s.data().resolve("s3");
        Files.createDirectories(base.resolve(s.bucket()));
        PostgresPassword.restrictToOwner(base); // stored images: for this user's eyes only
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", base.toString());
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new PrivateBlobStore(BlobStores.create("filesystem-nio2", properties)))
                .endpoint(URI.create("http://" + urlHost(bind) + ":" + s.s3Port()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, s.accessKey(), s.secretKey())
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
        return proxy::stop;
    }

    /**
     * rekognition-local's login: it keeps its face collections in schema {@value #ENGINE_ROLE} of the
     * recognition database and needs nothing else, so it does not get the superuser's password.
     */
    public static final String ENGINE_ROLE = "rekognition";

    /** The engine's role, made once (in the cluster, so in the postgres database). */
    static final String ENGINE_ROLE_SQL = """
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rekognition') THEN
                CREATE ROLE rekognition LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
              END IF;
            END $$
            """;

    /**
     * In the recognition database, on every start: only the engine's role (and the superuser) may
     * connect; nobody else may create in schema public (results-service's tables, PostgreSQL 14 allows
     * it by default); schema rekognition is the engine's. What a data directory from before holds
     * there (made by the superuser, when the engine logged in as postgres) is handed to the engine's
     * role; a sequence of a serial column goes with its table.
     */
    static final String ENGINE_SCHEMA_SQL = """
            REVOKE ALL ON DATABASE recognition FROM PUBLIC;
            GRANT CONNECT, TEMPORARY ON DATABASE recognition TO rekognition;
            REVOKE CREATE ON SCHEMA public FROM PUBLIC;
            CREATE SCHEMA IF NOT EXISTS rekognition AUTHORIZATION rekognition;
            ALTER SCHEMA rekognition OWNER TO rekognition;
            DO $$ DECLARE o record; BEGIN
              FOR o IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'rekognition' AND c.relkind IN ('r', 'p', 'S')
                    AND c.relowner <> 'rekognition'::regrole
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                        AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
              LOOP
                EXECUTE format(CASE o.relkind WHEN 'S' THEN 'ALTER SEQUENCE rekognition.%I OWNER TO rekognition'
                    ELSE 'ALTER TABLE rekognition.%I OWNER TO rekognition' END, o.relname);
              END LOOP;
            END $$
            """;

    /** What pg_hba.conf says once local-cloud has set it up: every connection needs the password. */
    static final String PG_HBA = """
            # Written by local-cloud. Every connection needs the postgres user's password, which local-cloud
            # generated on its first start and keeps in <data dir>/postgres-password (readable by its owner only).
            # Which interfaces PostgreSQL listens on is set by LOCAL_CLOUD_BIND_ADDRESS (loopback by default).
            # TYPE  DATABASE  USER  ADDRESS  METHOD
            local   all       all            scram-sha-256
            host    all       all   all      scram-sha-256
            """;

    /**
     * PostgreSQL with a {@code recognition} database; the data directory is kept across restarts.
     *
     * <p>Authentication: on the first start initdb gives the {@code postgres} user the password from
     * {@link PostgresPassword} and writes scram-sha-256 rules for every connection, so there is no moment
     * without a password. A data directory from before (initdb's {@code trust} rules, no password) is
     * converted on its next start: the password is set, pg_hba.conf replaced, and sessions opened
     * without a password are ended. Listens on the bind address (plus loopback, where zonky checks that
     * it is up) and on no Unix socket.
     */
    private EmbeddedPostgres startPostgres() throws Exception {
        Settings s = settings;
        Path dir = s.data().resolve("postgres");
        Files.createDirectories(dir);
        Path hba = dir.resolve("pg_hba.conf");
        Path passwordFile = postgresPasswordFile(s.data());
        boolean initialized = Files.exists(dir.resolve("postgresql.conf"));
        boolean trusting = initialized && trusts(hba);
        if (initialized && !trusting && !Files.exists(passwordFile)) {
            throw new IllegalStateException("PostgreSQL in " + dir + " needs a password but " + passwordFile
                    + " is missing: put the password back there, or delete " + dir + " to start with an empty database");
        }
        String password = PostgresPassword.readOrCreate(passwordFile);
        Path engineDir = Files.createDirectories(enginePasswordFile(s.data()).getParent());
        PostgresPassword.restrictToOwner(engineDir);
        String engine = PostgresPassword.readOrCreate(enginePasswordFile(s.data()));
        // zonky extracts the binaries into a directory it makes writable by everyone: keep that one inside
        // an owner-only directory, and drop binaries extracted before this was so (anyone could have swapped them).
        Path runtime = s.data().resolve("postgres-runtime");
        Files.createDirectories(runtime);
        PostgresPassword.restrictToOwner(runtime);
        try (var exposed = Files.newDirectoryStream(runtime, "PG-*")) {
            for (Path old : exposed) {
                deleteTree(old);
            }
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(s.postgresPort())
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(runtime.resolve("binaries").toFile())
                .setServerConfig("listen_addresses", postgresListenAddresses())
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                // initdb options (first start only): the password comes from the file, never a command line
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("auth-host", "scram-sha-256")
                // zonky's own connections (its start-up check, getPostgresDatabase)
                .setConnectConfig("password", password)
                .start();
        try {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                if (trusting) {
                    // Sent as a SCRAM verifier computed here: the password itself never reaches the server.
                    c.unwrap(PGConnection.class).alterUserPassword("postgres", password.toCharArray(), "scram-sha-256");
                }
                if (trusting || !initialized) {
                    Files.writeString(hba, PG_HBA, StandardCharsets.UTF_8);
                    st.execute("SELECT pg_reload_conf()");
                }
                if (trusting) {
                    st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                            + " AND backend_type = 'client backend'");
                }
                try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'recognition'")) {
                    if (!rs.next()) {
                        st.execute("CREATE DATABASE recognition");
                    }
                }
                st.execute(ENGINE_ROLE_SQL);
                // As a SCRAM verifier computed here, on every start: the file is what the engine is given.
                c.unwrap(PGConnection.class).alterUserPassword(ENGINE_ROLE, engine.toCharArray(), "scram-sha-256");
            }
            try (Connection c = pg.getDatabase("postgres", "recognition").getConnection();
                    Statement st = c.createStatement()) {
                st.execute(ENGINE_SCHEMA_SQL);
            }
            awaitPasswordRequired(s.postgresPort());
        } catch (Exception e) {
            pg.close();
            throw e;
        }
        postgresPassword = password;
        enginePassword = engine;
        return pg;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The bind address, plus loopback when it does not cover it (zonky's start-up check connects there). */
    private String postgresListenAddresses() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        boolean coversLoopback = bind.equals(loopback)
                || bind.isAnyLocalAddress() && (bind instanceof Inet4Address) == (loopback instanceof Inet4Address);
        return coversLoopback ? bind.getHostAddress() : loopback.getHostAddress() + "," + bind.getHostAddress();
    }

    /** Whether pg_hba.conf lets anyone in without a password (initdb's default, which zonky asks for). */
    static boolean trusts(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String rule = line.strip();
            if (!rule.startsWith("#") && List.of(rule.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
    }

    /** Fails unless a connection without a password is refused (pg_hba.conf reloads take a moment). */
    private static void awaitPasswordRequired(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Properties noPassword = new Properties();
            noPassword.setProperty("user", "postgres");
            noPassword.setProperty("connectTimeout", "5");
            try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://"
                    + urlHost(InetAddress.getLoopbackAddress()) + ":" + port + "/postgres", noPassword)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL accepts connections without a password");
                }
            } catch (SQLException refused) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
