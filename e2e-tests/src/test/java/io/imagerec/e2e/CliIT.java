package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;
import io.imagerec.testsupport.GeneratedImages;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The command-line client (cli/imagerec, the packaged jar, as its own process) against the packaged
 * platform: a directory uploaded with --wait ends with every job SUCCEEDED; run again it skips every
 * file and creates no job; with its state file lost, the Idempotency-Key still gets the same jobs; and
 * the same for direct uploads to S3.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final String TENANT = "cli-e2e";
    private static final int FILES = 5;

    @RegisterExtension
    static final RunningPlatform RUNNING = new RunningPlatform("cli");

    @TempDir
    static Path work;

    /** The first run's lines by file: the QUEUED line's job and image ids. */
    private static final Map<String, JsonNode> accepted = new TreeMap<>();

    record Run(int exit, List<JsonNode> lines, String err) {
        List<JsonNode> withStatus(String status) {
            return lines.stream().filter(l -> l.path("status").asText().equals(status)).toList();
        }

        Map<String, JsonNode> byFile(String status) {
            Map<String, JsonNode> m = new TreeMap<>();
            withStatus(status).forEach(l -> m.put(l.path("file").asText(), l));
            return m;
        }
    }

    /** Images, JPEG and PNG, in nested directories, with a file beside them that is not an image. */
    private static Path photos(String name, int seed, int count) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir.resolve("2026/11"));
        for (int i = 0; i < count; i++) {
            Path file = dir.resolve(i % 3 == 0 ? "" : i % 3 == 1 ? "2026" : "2026/11")
                    .resolve(String.format("img-%02d.%s", i, i == 1 ? "png" : "jpg"));
            byte[] bytes = i == 1 ? GeneratedImages.text("CLI " + seed)
                    : GeneratedImages.jpeg(120 + seed + i * 7, 100 + seed + i * 3);
            Files.write(file, bytes);
        }
        Files.writeString(dir.resolve("README.txt"), "not an image: the client leaves it alone");
        return dir;
    }

    @Test
    @Order(1)
    void aDirectoryIsUploadedAndEveryJobSucceeds() throws Exception {
        Path photos = photos("photos", 0, FILES);

        Run run = imagerec(work.resolve("state.jsonl"), "--wait", "--concurrency", "4", photos.toString());

        assertEquals(0, run.exit(), run.err());
        Map<String, JsonNode> queued = run.byFile("QUEUED");
        Map<String, JsonNode> succeeded = run.byFile("SUCCEEDED");
        assertEquals(FILES, queued.size(), run.lines().toString());
        assertEquals(queued.keySet(), succeeded.keySet(), run.lines().toString());
        Set<String> jobIds = new TreeSet<>();
        for (Map.Entry<String, JsonNode> e : queued.entrySet()) {
            String jobId = e.getValue().path("jobId").asText();
            jobIds.add(jobId);
            JsonNode job = succeeded.get(e.getKey()).path("job");
            assertEquals(jobId, job.path("jobId").asText());
            assertEquals(e.getValue().path("imageId").asText(), job.path("imageId").asText(), "the tenant's own job");
            assertTrue(job.path("labels").isArray(), job.toString());
        }
        assertEquals(FILES, jobIds.size(), "one job per file");
        // Seen independently of the client: the results database holds exactly these jobs, all done.
        assertEquals(Map.of("SUCCEEDED", (long) FILES), jobStatuses(TENANT));
        assertTrue(run.err().contains(FILES + " files: " + FILES + " accepted, 0 skipped, 0 failed"), run.err());
        assertTrue(run.err().contains("jobs: " + FILES + " succeeded"), run.err());
        accepted.putAll(queued);
    }

    @Test
    @Order(2)
    void runAgainItSkipsEveryFileAndCreatesNoJob() throws Exception {
        Assumptions.assumeFalse(accepted.isEmpty(), "needs the first upload");
        int stored = objects("images/" + TENANT + "/");

        Run run = imagerec(work.resolve("state.jsonl"), "--wait", work.resolve("photos").toString());

        assertEquals(0, run.exit(), run.err());
        Map<String, JsonNode> skipped = run.byFile("SKIPPED");
        assertEquals(accepted.keySet(), skipped.keySet(), run.lines().toString());
        skipped.forEach((file, line) -> assertEquals(accepted.get(file).path("jobId"), line.path("jobId"), file));
        assertEquals(FILES, run.withStatus("SUCCEEDED").size(), "--wait reports the skipped files' jobs: " + run.lines());
        assertTrue(run.withStatus("QUEUED").isEmpty());
        assertEquals(stored, objects("images/" + TENANT + "/"), "no image stored again");
        assertEquals(Map.of("SUCCEEDED", (long) FILES), jobStatuses(TENANT), "no new job");
        assertTrue(run.err().contains(FILES + " files: 0 accepted, " + FILES + " skipped, 0 failed"), run.err());
    }

    @Test
    @Order(3)
    void withTheStateFileLostTheIdempotencyKeyGetsTheSameJobs() throws Exception {
        Assumptions.assumeFalse(accepted.isEmpty(), "needs the first upload");
        int stored = objects("images/" + TENANT + "/");

        Run run = imagerec(work.resolve("another-state.jsonl"), work.resolve("photos").toString());

        assertEquals(0, run.exit(), run.err());
        Map<String, JsonNode> queued = run.byFile("QUEUED");
        assertEquals(accepted.keySet(), queued.keySet(), run.lines().toString());
        queued.forEach((file, line) -> assertEquals(accepted.get(file).path("jobId"), line.path("jobId"), file));
        assertEquals(stored, objects("images/" + TENANT + "/"));
        assertEquals(Map.of("SUCCEEDED", (long) FILES), jobStatuses(TENANT));
    }

    @Test
    @Order(4)
    void directUploadsGoToS3AndAreResumedToo() throws Exception {
        Assumptions.assumeTrue(directUploadsServed(),
                "ingest-service does not serve POST /v1/uploads yet: the --direct test is skipped");
        String tenant = "cli-direct";
        Path photos = photos("direct", 50, 3);
        Path state = work.resolve("direct-state.jsonl");

        Run run = imagerecAs(tenant, state, "--direct", "--wait", photos.toString());

        assertEquals(0, run.exit(), run.err());
        assertEquals(3, run.withStatus("QUEUED").size(), run.lines().toString());
        assertEquals(3, run.withStatus("SUCCEEDED").size(), run.lines().toString());
        assertEquals(0, objects("images/" + tenant + "/"), "no byte went through ingest");
        assertEquals(3, objects("direct/" + tenant + "/"));
        assertEquals(Map.of("SUCCEEDED", 3L), jobStatuses(tenant));

        Run again = imagerecAs(tenant, state, "--direct", photos.toString());
        assertEquals(0, again.exit(), again.err());
        assertEquals(3, again.withStatus("SKIPPED").size(), again.lines().toString());
        assertEquals(3, objects("direct/" + tenant + "/"));
        assertEquals(Map.of("SUCCEEDED", 3L), jobStatuses(tenant));
    }

    private static Run imagerec(Path state, String... args) throws Exception {
        return imagerecAs(TENANT, state, args);
    }

    /** Runs {@code imagerec upload} for a tenant, with the operator's key. */
    private static Run imagerecAs(String tenant, Path state, String... args) throws Exception {
        return upload(RUNNING.platform().operatorKey(), tenant, state, args);
    }

    private static Run upload(String apiKey, String tenant, Path state, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("upload",
                "--endpoint", RUNNING.platform().ingestUrl(), "--results-endpoint", RUNNING.platform().resultsUrl(),
                "--tenant", tenant, "--state", state.toString(), "--wait-timeout", "2m", "--progress", "lines"));
        command.addAll(List.of(args));
        return cli(apiKey, command);
    }

    /** Runs cli/imagerec as a user does, with this JVM's java and this API key; stdout's JSON lines and stderr. */
    private static Run cli(String apiKey, List<String> arguments) throws Exception {
        Path root = Platform.repositoryRoot();
        Path script = root.resolve("cli/imagerec");
        Path jar = root.resolve("cli/target/imagerec-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests through the reactor (./mvnw verify)");
        }
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(arguments);
        Path out = Files.createTempFile(work, "stdout", ".jsonl");
        Path err = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        builder.environment().put("JAVA_HOME", java.getParent().getParent().toString());
        builder.environment().put("IMAGEREC_API_KEY", apiKey);
        Process process = builder.start();
        if (!process.waitFor(4, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not end; stderr: " + Files.readString(err));
        }
        // In the failsafe report, for whoever reads a failure.
        System.out.println("$ imagerec " + String.join(" ", command.subList(1, command.size())) + "\n"
                + Files.readString(err));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            lines.add(Json.mapper().readTree(line));
        }
        return new Run(process.exitValue(), lines, Files.readString(err));
    }

    /** Jobs of a tenant in the results database, counted by status. */
    private static Map<String, Long> jobStatuses(String tenant) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = RUNNING.platform().database();
                PreparedStatement s = c.prepareStatement("SELECT status, count(*) FROM jobs WHERE tenant = ? GROUP BY status")) {
            s.setString(1, tenant);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    /** Keys of a tenant made, listed, rotated and revoked with the CLI; an upload with each shows it works. */
    @Test
    @Order(10)
    void keysAreManagedWithTheCliAndTheTenantComesFromTheKey() throws Exception {
        String operator = RUNNING.platform().operatorKey();
        List<String> endpoint = List.of("--endpoint", RUNNING.platform().ingestUrl());
        Run created = cli(operator, concat(List.of("keys", "create", "--tenant", "cli-keys", "--scope", "upload,read,admin",
                "--name", "cli test"), endpoint));
        assertEquals(0, created.exit(), created.err());
        String key = created.lines().get(0).path("key").asText();
        String keyId = created.lines().get(0).path("keyId").asText();
        assertTrue(key.startsWith("irk_" + keyId + "_"), created.lines().toString());

        // The key's tenant, whatever --tenant (X-Tenant-Id) the upload names.
        Run uploaded = upload(key, "someone-else", work.resolve("keys-state.jsonl"), "--wait", photos("keys", 50, 1).toString());
        assertEquals(0, uploaded.exit(), uploaded.err());
        assertEquals(Map.of("SUCCEEDED", 1L), jobStatuses("cli-keys"));
        assertEquals(Map.of(), jobStatuses("someone-else"));

        Run listed = cli(key, concat(List.of("keys", "list"), endpoint));
        assertEquals(0, listed.exit(), listed.err());
        JsonNode keys = listed.lines().get(0);
        assertEquals(1, keys.size(), keys.toString());
        assertEquals(keyId, keys.get(0).path("keyId").asText());
        assertTrue(keys.get(0).path("key").isMissingNode(), "no secret in a listing: " + keys);

        Run rotated = cli(key, concat(List.of("keys", "rotate", keyId), endpoint));
        assertEquals(0, rotated.exit(), rotated.err());
        String newKey = rotated.lines().get(0).path("key").asText();
        assertEquals(1, cli(key, concat(List.of("keys", "list"), endpoint)).exit(), "the old secret no longer works");
        assertEquals(0, cli(newKey, concat(List.of("keys", "list"), endpoint)).exit());

        assertEquals(0, cli(newKey, concat(List.of("keys", "revoke", keyId), endpoint)).exit());
        Run refused = cli(newKey, concat(List.of("keys", "list"), endpoint));
        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("UNAUTHENTICATED"), refused.err());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Objects under a prefix of the images bucket, read straight from S3. */
    private static int objects(String prefix) {
        try (S3Client s3 = RUNNING.platform().s3Client()) {
            return s3.listObjectsV2Paginator(b -> b.bucket("images").prefix(prefix)).contents().stream()
                    .mapToInt(o -> 1).sum();
        }
    }

    private static boolean directUploadsServed() throws Exception {
        HttpRequest probe = HttpRequest.newBuilder(URI.create(RUNNING.platform().ingestUrl() + "/v1/uploads"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        int status = HttpClient.newHttpClient().send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status != 404 && status != 405;
    }
}
