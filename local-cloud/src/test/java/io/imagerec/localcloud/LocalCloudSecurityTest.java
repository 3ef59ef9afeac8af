package io.imagerec.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * What local-cloud lets a caller do without credentials: nothing. S3 refuses unsigned requests,
 * PostgreSQL wants the generated password, and every server listens on loopback unless told otherwise.
 */
class LocalCloudSecurityTest {

    private static final String ACCESS_KEY = "test-key";
    private static final String SECRET_KEY = "test-secret";
    private static final String BUCKET = "images";
    private static final String KEY = "tenant-a/secret.jpg";
    private static final byte[] CONTENT = "private image bytes".getBytes(StandardCharsets.UTF_8);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path tmp;

    private static LocalCloud cloud;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(settings(tmp.resolve("shared"), true, LocalCloud.Settings.LOOPBACK));
        s3 = s3Client(cloud);
        s3.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromBytes(CONTENT));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void unsignedRequestsGetAccessDenied() throws Exception {
        String endpoint = cloud.s3Endpoint();
        for (String path : List.of("/", "/" + BUCKET, "/" + BUCKET + "?list-type=2", "/" + BUCKET + "?list-type=2&prefix=tenant-a/",
                "/" + BUCKET + "/" + KEY)) {
            HttpResponse<String> get = send(HttpRequest.newBuilder(URI.create(endpoint + path)).GET());
            assertEquals(403, get.statusCode(), "GET " + path + ": " + get.body());
            assertTrue(get.body().contains("AccessDenied"), get.body());
            assertFalse(get.body().contains("tenant-a/secret"), "the key leaked: " + get.body());
        }
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET + "/" + KEY))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET)).method("HEAD",
                HttpRequest.BodyPublishers.noBody())).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET + "/tenant-b/planted.jpg"))
                .PUT(HttpRequest.BodyPublishers.ofString("planted"))).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(URI.create(endpoint + "/" + BUCKET + "/" + KEY)).DELETE()).statusCode());
        // Nothing was planted or deleted.
        assertEquals(List.of(KEY), s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key).toList());
    }

    @Test
    void fileModesDoNotMakeAnythingPublic() throws Exception {
        Path bucketDir = tmp.resolve("shared").resolve("s3").resolve(BUCKET);
        assumeTrue(bucketDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        // S3Proxy's filesystem store reads "public-read" from world-readable files: the old cause of the leak.
        Files.setPosixFilePermissions(bucketDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(bucketDir.resolve(KEY), PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(cloud.s3Endpoint() + "/" + BUCKET + "?list-type=2"))
                    .GET()).statusCode());
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(cloud.s3Endpoint() + "/" + BUCKET + "/" + KEY))
                    .GET()).statusCode());
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(cloud.s3Endpoint() + "/" + BUCKET + "/planted"))
                    .PUT(HttpRequest.BodyPublishers.ofString("planted"))).statusCode());
        } finally {
            Files.setPosixFilePermissions(bucketDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(bucketDir.resolve(KEY), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void wrongCredentialsGetRefused() {
        try (S3Client wrong = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "guess")))
                .forcePathStyle(true).endpointOverride(URI.create(cloud.s3Endpoint())).build()) {
            var e = assertThrows(software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> wrong.listObjectsV2(b -> b.bucket(BUCKET)));
            assertEquals(403, e.statusCode());
        }
    }

    @Test
    void signedRequestsAndPresignedUrlsWork() throws Exception {
        assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET)).contents().stream().anyMatch(o -> o.key().equals(KEY)));
        assertEquals(new String(CONTENT, StandardCharsets.UTF_8),
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(KEY)).asUtf8String());

        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .endpointOverride(URI.create(cloud.s3Endpoint())).build()) {
            String uploaded = "tenant-a/presigned.jpg";
            var put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(BUCKET).key(uploaded)));
            HttpResponse<String> putResponse = send(HttpRequest.newBuilder(put.url().toURI())
                    .PUT(HttpRequest.BodyPublishers.ofString("uploaded directly")));
            assertEquals(200, putResponse.statusCode(), putResponse.body());

            var get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket(BUCKET).key(uploaded)));
            HttpResponse<String> getResponse = send(HttpRequest.newBuilder(get.url().toURI()).GET());
            assertEquals(200, getResponse.statusCode());
            assertEquals("uploaded directly", getResponse.body());

            // The same object without the signature: refused.
            assertEquals(403, send(HttpRequest.newBuilder(URI.create(cloud.s3Endpoint() + "/" + BUCKET + "/" + uploaded))
                    .GET()).statusCode());
            s3.deleteObject(b -> b.bucket(BUCKET).key(uploaded));
        }
    }

    @Test
    void postgresWantsThePasswordFromTheDataDirectory() throws Exception {
        Path file = LocalCloud.postgresPasswordFile(tmp.resolve("shared"));
        String password = Files.readString(file).strip();
        assertEquals(cloud.postgresPassword(), password);
        assertTrue(password.length() >= 32, "a strong password");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            for (String dir : List.of("s3", "sqs", "postgres", "postgres-runtime", "engine")) {
                assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        tmp.resolve("shared").resolve(dir))), dir);
            }
        }

        assertRefused(cloud.settings().postgresPort(), null);
        assertRefused(cloud.settings().postgresPort(), "");
        assertRefused(cloud.settings().postgresPort(), "postgres");
        try (Connection c = connect(cloud.settings().postgresPort(), password); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_database(), current_setting('password_encryption')")) {
            assertTrue(rs.next());
            assertEquals("recognition", rs.getString(1));
            assertEquals("scram-sha-256", rs.getString(2));
        }
        assertFalse(LocalCloud.trusts(tmp.resolve("shared").resolve("postgres").resolve("pg_hba.conf")));
    }

    @Test
    void theEnginesRoleMayUseItsSchemaAndNothingElse() throws Exception {
        Path file = LocalCloud.enginePasswordFile(tmp.resolve("shared"));
        String password = Files.readString(file).strip();
        assertEquals(cloud.enginePassword(), password);
        assertTrue(password.length() >= 32, "a strong password");
        assertNotEquals(cloud.postgresPassword(), password);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        int port = cloud.settings().postgresPort();
        try (Connection admin = connect(port, cloud.postgresPassword()); Statement st = admin.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS public.tenant_results (v text)");
            st.execute("INSERT INTO public.tenant_results VALUES ('not the engine''s')");
        }
        assertThrows(SQLException.class, () -> connect(port, LocalCloud.ENGINE_ROLE, cloud.postgresPassword()).close(),
                "the superuser's password is not the engine's");
        try (Connection engine = connect(port, LocalCloud.ENGINE_ROLE, password); Statement st = engine.createStatement()) {
            st.execute("CREATE TABLE rekognition.probe (v text)");
            st.execute("INSERT INTO rekognition.probe VALUES ('mine')");
            try (ResultSet rs = st.executeQuery("SELECT v FROM rekognition.probe")) {
                assertTrue(rs.next());
                assertEquals("mine", rs.getString(1));
            }
            assertDenied(st, "SELECT v FROM public.tenant_results");
            assertDenied(st, "CREATE TABLE public.planted (v text)");
            assertDenied(st, "CREATE SCHEMA elsewhere");
            assertDenied(st, "CREATE ROLE another LOGIN");
            try (ResultSet rs = st.executeQuery("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
                    + " WHERE rolname = current_user")) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean(1) || rs.getBoolean(2) || rs.getBoolean(3), "an ordinary role");
            }
            st.execute("DROP TABLE rekognition.probe");
        }
    }

    @Test
    void whatTheSuperuserMadeInTheEnginesSchemaIsHandedOver() throws Exception {
        Path data = tmp.resolve("handover");
        // As an engine that logged in as postgres left it: the schema, a table with a serial column and a
        // sequence of its own, all the superuser's.
        runOnce(data, "ALTER SCHEMA rekognition OWNER TO postgres",
                "CREATE TABLE rekognition.faces (ordinal bigserial, v text)",
                "INSERT INTO rekognition.faces (v) VALUES ('from before')",
                "CREATE SEQUENCE rekognition.collection_version");
        try (LocalCloud second = LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK));
                Connection c = connect(second.settings().postgresPort(), LocalCloud.ENGINE_ROLE, second.enginePassword());
                Statement st = c.createStatement()) {
            st.execute("INSERT INTO rekognition.faces (v) VALUES ('now')");
            try (ResultSet rs = st.executeQuery("SELECT count(*), max(ordinal), nextval('rekognition.collection_version')"
                    + " FROM rekognition.faces")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
                assertEquals(2, rs.getInt(2));
                assertEquals(1, rs.getInt(3));
            }
            st.execute("ALTER TABLE rekognition.faces ADD COLUMN later text"); // as its owner
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'rekognition' AND pg_get_userbyid(c.relowner) <> 'rekognition'")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "everything in the schema is the engine's");
            }
        }
    }

    @Test
    void everyServerListensOnLoopbackOnly() throws Exception {
        Map<Integer, List<InetAddress>> listening = listeningSockets();
        assumeTrue(!listening.isEmpty(), "no /proc/net/tcp here");
        LocalCloud.Settings s = cloud.settings();
        for (int port : List.of(s.sqsPort(), s.s3Port(), s.postgresPort())) {
            List<InetAddress> addresses = listening.get(port);
            assertTrue(addresses != null && !addresses.isEmpty(), "nothing listens on " + port);
            for (InetAddress address : addresses) {
                assertTrue(address.isLoopbackAddress(), "port " + port + " listens on " + address);
            }
        }
        assertEquals("http://localhost:" + s.s3Port(), cloud.s3Endpoint());
    }

    @Test
    void thePasswordSurvivesARestart() throws Exception {
        Path data = tmp.resolve("restart");
        String password = runOnce(data, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('still here')");
        try (LocalCloud second = LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK))) {
            assertEquals(password, second.postgresPassword());
            assertEquals(password, Files.readString(LocalCloud.postgresPasswordFile(data)).strip());
            assertRefused(second.settings().postgresPort(), null);
            try (Connection c = connect(second.settings().postgresPort(), password); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("still here", rs.getString(1));
            }
        }
    }

    @Test
    void aDataDirectoryWithoutPasswordGetsOne() throws Exception {
        Path data = tmp.resolve("legacy");
        runOnce(data, "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('from before')");
        // What local-cloud left before it had passwords: initdb's trust rules and no password file.
        Path hba = data.resolve("postgres").resolve("pg_hba.conf");
        Files.writeString(hba, "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
        String old = Files.readString(LocalCloud.postgresPasswordFile(data)).strip();
        Files.delete(LocalCloud.postgresPasswordFile(data));
        // Binaries extracted where anyone could write are not run again.
        Path exposed = Files.createDirectories(data.resolve("postgres-runtime").resolve("PG-0123").resolve("bin"));

        try (LocalCloud second = LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK))) {
            String password = Files.readString(LocalCloud.postgresPasswordFile(data)).strip();
            assertNotEquals(old, password);
            assertFalse(Files.exists(exposed));
            assertFalse(LocalCloud.trusts(hba));
            assertRefused(second.settings().postgresPort(), null);
            assertRefused(second.settings().postgresPort(), old);
            try (Connection c = connect(second.settings().postgresPort(), password); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("from before", rs.getString(1));
            }
        }
    }

    @Test
    void aMissingPasswordFileIsAnErrorNotAnOpenDoor() throws Exception {
        Path data = tmp.resolve("lost");
        try (LocalCloud first = LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK))) {
            first.postgresPassword();
        }
        Files.delete(LocalCloud.postgresPasswordFile(data));
        var e = assertThrows(IllegalStateException.class,
                () -> LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK)).close());
        assertTrue(e.getMessage().contains("postgres-password"), e.getMessage());
    }

    @Test
    void theBindAddressIsASetting() throws Exception {
        try (LocalCloud everywhere = LocalCloud.start(settings(tmp.resolve("wildcard"), false, "0.0.0.0"))) {
            assertTrue(everywhere.bindAddress().isAnyLocalAddress());
            assertEquals("http://localhost:" + everywhere.settings().s3Port(), everywhere.s3Endpoint());
            Map<Integer, List<InetAddress>> listening = listeningSockets();
            assumeTrue(!listening.isEmpty(), "no /proc/net/tcp here");
            for (int port : List.of(everywhere.settings().sqsPort(), everywhere.settings().s3Port())) {
                assertTrue(listening.getOrDefault(port, List.of()).stream().anyMatch(InetAddress::isAnyLocalAddress),
                        "port " + port + " listens on " + listening.get(port));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> LocalCloud.bindAddress("127.0.0.1 -c fsync=off"));
    }

    private static LocalCloud.Settings settings(Path data, boolean postgres, String bind) {
        int sqsPort = freePort();
        return new LocalCloud.Settings(data, sqsPort, sqsPort, freePort(), freePort(), postgres, BUCKET, 30, 30, ACCESS_KEY,
                SECRET_KEY, bind);
    }

    private static S3Client s3Client(LocalCloud cloud) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true).endpointOverride(URI.create(cloud.s3Endpoint())).build();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Starts a cloud on {@code data}, runs the statements as postgres and stops it again: the state a
     * restart test starts from. Returns postgres's password.
     */
    private static String runOnce(Path data, String... statements) throws Exception {
        try (LocalCloud cloud = LocalCloud.start(settings(data, true, LocalCloud.Settings.LOOPBACK));
                Connection c = connect(cloud.settings().postgresPort(), cloud.postgresPassword());
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
            return cloud.postgresPassword();
        }
    }

    private static Connection connect(int port, String password) throws SQLException {
        return connect(port, "postgres", password);
    }

    private static Connection connect(int port, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/recognition", user, password);
    }

    /** The statement fails for want of privilege (SQLSTATE 42501), not for any other reason. */
    private static void assertDenied(Statement st, String sql) {
        SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
        assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
    }

    private static void assertRefused(int port, String password) {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                + "/recognition", properties).close(), "connected with password " + (password == null ? "(none)"
                        : "'" + password + "'"));
    }

    /** Listening TCP sockets by port, from /proc/net/tcp and tcp6 (what ss -ltn shows); empty elsewhere. */
    private static Map<Integer, List<InetAddress>> listeningSockets() throws IOException {
        Map<Integer, List<InetAddress>> result = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.strip().split("\\s+");
                if (!fields[3].equals("0A")) { // TCP_LISTEN
                    continue;
                }
                String[] local = fields[1].split(":");
                byte[] raw = HexFormat.of().parseHex(local[0]);
                // The kernel prints each 32-bit word in host (little-endian) order.
                byte[] address = new byte[raw.length];
                for (int word = 0; word < raw.length; word += 4) {
                    for (int i = 0; i < 4; i++) {
                        address[word + i] = raw[word + 3 - i];
                    }
                }
                result.computeIfAbsent(Integer.parseInt(local[1], 16), k -> new ArrayList<>())
                        .add(InetAddress.getByAddress(address));
            }
        }
        return result;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
