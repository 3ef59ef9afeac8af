package io.imagerec.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.e2e.HostileCorpus.Case;
import io.imagerec.e2e.HostileCorpus.Outcome;
import io.imagerec.e2e.HostileCorpus.Service;

/**
 * The hostile-input corpus ({@link HostileCorpus}) against the packaged ingest-service, results-service
 * and rekognition-local: every case answered within a few seconds, never with a 5xx, refusals with a
 * stable code; the jobs of the images ingest accepted end (they are not retried forever); no stack
 * trace in the services' logs for any of it; then 10,000 bad requests to each service leave its RSS and
 * thread count near where they were.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputIT {

    /** "A few seconds": any answer to a hostile request, refusal or not. */
    private static final long FEW_SECONDS_MILLIS = 5_000;
    private static final int REQUESTS = 10_000;
    private static final int CONCURRENCY = 8;
    private static final int WARM_UP = 2_000;
    /**
     * After the 10,000 requests and a settle of up to 30 s, RSS may be at most this much above where it was
     * (after a warm-up of 2,000 requests of the same mix): the JVMs run with -Xmx512m (engine 1g) and G1
     * keeps a heap it grew for a while, so some growth is normal (up to about 110 MB seen), while a leak of
     * one 16 KB buffer per request would be 160 MB.
     */
    private static final long RSS_TOLERANCE_KB = 150 * 1024;
    /** Pools may start a few more threads under load; a thread per request (or per connection) would be thousands. */
    private static final int THREAD_TOLERANCE = 20;

    /**
     * Codes the services answer that the README's error table does not list yet: the generic ones of the
     * error mappers (unknown path, method, Accept) and INVALID_MULTIPART.
     */
    private static final Set<String> CODES_NOT_YET_IN_README = Set.of("NOT_FOUND", "METHOD_NOT_ALLOWED",
            "NOT_ACCEPTABLE", "INVALID_MULTIPART");
    /** The errors of Amazon Rekognition's API and AWS's common client errors, as {@code __type}. */
    private static final Set<String> AWS_ERROR_TYPES = Set.of("AccessDeniedException", "ImageTooLargeException",
            "IncompleteSignatureException", "InvalidImageFormatException", "InvalidParameterException",
            "InvalidS3ObjectException", "InvalidSignatureException", "LimitExceededException",
            "MissingAuthenticationTokenException", "ProvisionedThroughputExceededException",
            "ResourceAlreadyExistsException", "ResourceNotFoundException", "SerializationException",
            "UnknownOperationException", "UnrecognizedClientException", "ValidationException", "RequestExpired",
            "InvalidClientTokenId", "SignatureDoesNotMatch", "NotFoundException", "AccessDenied");
    /** What the HTTP layer answers itself, before the application, to requests it cannot parse or will not take. */
    private static final Set<Integer> HTTP_LAYER_STATUSES = Set.of(400, 404, 413, 414, 431);

    @RegisterExtension
    static final RunningPlatform running = new RunningPlatform("hostile", p -> p
            // The corpus is about what the parsers do, not the per-key rate limits, which would answer most
            // of the 10,000 requests with 429 before any parsing.
            .configure(Platform.INGEST, "security.rate-limit.enabled=false")
            .configure(Platform.RESULTS, "security.rate-limit.enabled=false"));

    private static final Map<String, Long> LOG_START = new ConcurrentHashMap<>();
    private static final Map<Case, RawHttp.Response> ANSWERS = new LinkedHashMap<>();
    private static final List<String> ACCEPTED_JOBS = new ArrayList<>();

    @Test
    @Order(1)
    void everyCaseIsAnsweredWithinSecondsNeverWithA5xx() throws Exception {
        Platform platform = running.platform();
        for (String service : List.of(Platform.INGEST, Platform.RESULTS, Platform.ENGINE)) {
            LOG_START.put(service, Files.size(platform.logFile(service)));
        }
        warmUp(platform);
        Set<String> readmeCodes = readmeErrorCodes();
        List<Case> cases = corpus(platform);
        Map<Service, Integer> counts = new EnumMap<>(Service.class);
        cases.forEach(c -> counts.merge(c.service(), 1, Integer::sum));
        System.out.printf("Hostile corpus: %d cases (%s); README error codes: %s%n", cases.size(), counts, readmeCodes);

        List<String> failures = new ArrayList<>();
        Set<String> unlistedCodesSeen = new LinkedHashSet<>();
        for (Case c : cases) {
            RawHttp.Response r = RawHttp.send(c.request().get(), 30_000);
            ANSWERS.put(c, r);
            String code = code(c, r);
            System.out.printf("hostile %-8s %-62s %4d %-36s %6d ms%n", c.service(), RawHttp.printable(c.name(), 62),
                    r.status(), code == null ? "-" : code, r.millis());
            String problem = problem(c, r, code, readmeCodes);
            if (problem != null) {
                failures.add(c.service() + " " + c.name() + ": " + problem + " [" + describe(r) + "]");
            }
            if (code != null && CODES_NOT_YET_IN_README.contains(code)) {
                unlistedCodesSeen.add(code);
            }
            if (c.service() == Service.INGEST && r.status() == 202 && r.json() != null) {
                ACCEPTED_JOBS.add(r.json().path("jobId").asText());
            }
        }
        System.out.printf("Hostile corpus: %d of %d cases as they should be; codes answered that the README's table "
                + "does not list yet: %s%n", cases.size() - failures.size(), cases.size(), unlistedCodesSeen);
        if (!failures.isEmpty()) {
            fail(failures.size() + " hostile cases answered wrongly:\n  " + String.join("\n  ", failures));
        }
    }

    @Test
    @Order(2)
    void theJobsOfAcceptedHostileImagesEnd() throws Exception {
        Api api = running.api();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Map<String, String> ends = new TreeMap<>();
        for (String job : ACCEPTED_JOBS) {
            while (true) {
                Api.Answer answer = api.get("/v1/jobs/" + job, Map.of());
                String status = answer.body() == null ? "?" : answer.body().path("status").asText();
                if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
                    ends.put(job, status + (status.equals("FAILED") ? " " + answer.body().path("error").path("code")
                            .asText() : ""));
                    break;
                }
                if (System.nanoTime() > deadline) {
                    ends.put(job, "not finished: " + status);
                    break;
                }
                Thread.sleep(500);
            }
        }
        Map<String, Integer> summary = new TreeMap<>();
        ends.values().forEach(v -> summary.merge(v, 1, Integer::sum));
        System.out.printf("Jobs of the %d hostile images ingest accepted: %s%n", ACCEPTED_JOBS.size(), summary);
        List<String> unfinished = ends.entrySet().stream().filter(e -> e.getValue().startsWith("not finished")
                || e.getValue().endsWith("RETRIES_EXHAUSTED")).map(e -> e.getKey() + " " + e.getValue()).toList();
        assertTrue(unfinished.isEmpty(), "jobs that did not end with the engine's answer: " + unfinished);
    }

    @Test
    @Order(3)
    void tenThousandBadRequestsLeaveMemoryAndThreadsWhereTheyWere() throws Exception {
        Platform platform = running.platform();
        List<String> failures = new ArrayList<>();
        for (Service service : Service.values()) {
            String process = switch (service) {
                case INGEST -> Platform.INGEST;
                case RESULTS -> Platform.RESULTS;
                case ENGINE -> Platform.ENGINE;
            };
            // The refusals of the corpus run, small bodies only: the mix is about many requests, not big ones.
            List<Case> mix = corpus(platform).stream().filter(c -> c.service() == service)
                    .filter(c -> ANSWERS.entrySet().stream().anyMatch(e -> e.getKey().name().equals(c.name())
                            && e.getKey().service() == service && e.getValue().status() >= 400
                            && e.getValue().status() < 500))
                    .filter(c -> c.request().get().body().length <= 256 * 1024).toList();
            long pid = platform.pid(process);
            hammer(mix, WARM_UP); // JIT, pools and heap at their working size before the baseline
            Thread.sleep(3000);
            ProcessStats before = ProcessStats.of(pid);
            long start = System.nanoTime();
            Map<Integer, Integer> statuses = hammer(mix, REQUESTS);
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessStats after = ProcessStats.of(pid);
            for (int i = 0; i < 30 && !after.near(before); i++) {
                Thread.sleep(1000);
                after = ProcessStats.of(pid);
            }
            System.out.printf("10,000 bad requests to %s (%d kinds, concurrency %d) in %.1f s: statuses %s; "
                    + "RSS %d MB -> %d MB (%+d MB), threads %d -> %d (%+d)%n", process, mix.size(), CONCURRENCY,
                    seconds, statuses, before.rssKb() / 1024, after.rssKb() / 1024,
                    (after.rssKb() - before.rssKb()) / 1024, before.threads(), after.threads(),
                    after.threads() - before.threads());
            long bad = statuses.entrySet().stream().filter(e -> e.getKey() >= 500 || e.getKey() < 0)
                    .mapToLong(Map.Entry::getValue).sum();
            if (bad > 0) {
                failures.add(process + ": " + bad + " answers were 5xx or none " + statuses);
            }
            if (!after.near(before)) {
                failures.add(process + ": RSS or threads not back near their start: " + before + " -> " + after);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    @Order(4)
    void noStackTraceWasLoggedForAnyOfIt() throws IOException {
        Platform platform = running.platform();
        List<String> traces = new ArrayList<>();
        // A frame may name its class loader or module first: "at app//io.quarkus...", "at java.base@17/java.lang...".
        Pattern frame = Pattern.compile("^\\s+at [\\w$./@-]+\\(.*\\)$|^\\s*\\.\\.\\. \\d+ more$|^Caused by: ");
        for (String service : List.of(Platform.INGEST, Platform.RESULTS)) {
            String log = readFrom(platform.logFile(service), LOG_START.getOrDefault(service, 0L));
            String[] lines = log.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (frame.matcher(lines[i]).find()) {
                    int from = i;
                    while (from > 0 && frame.matcher(lines[from]).find()) {
                        from--;
                    }
                    // Vert.x's blocked-thread warning (a loaded machine, not a client error) brings its own trace.
                    if (!lines[from].contains("BlockedThreadChecker")) {
                        traces.add(service + ": " + lines[from] + " / " + lines[i].strip());
                    }
                    while (i + 1 < lines.length && (frame.matcher(lines[i + 1]).find() || lines[i + 1].startsWith("\t"))) {
                        i++;
                    }
                }
            }
        }
        traces.forEach(t -> System.out.println("stack trace: " + t));
        assertTrue(traces.isEmpty(), "client errors must be logged in one line, without a stack trace: " + traces);
    }

    // ---- the checks ----

    private static List<Case> corpus(Platform platform) {
        return HostileCorpus.cases(platform.ingestUrl(), platform.resultsUrl(), platform.engineUrl(),
                platform.operatorKey());
    }

    /** The stable code of an answer: error.code for the platform, __type or x-amzn-ErrorType for the engine. */
    private static String code(Case c, RawHttp.Response r) {
        JsonNode body = r.json();
        if (c.service() == Service.ENGINE) {
            String type = body != null && body.hasNonNull("__type") ? body.get("__type").asText()
                    : r.header("x-amzn-ErrorType");
            return type == null ? null : type.replaceAll(":.*", "").replaceAll(".*#", "");
        }
        return body != null && body.path("error").hasNonNull("code") ? body.path("error").path("code").asText() : null;
    }

    /** What is wrong with an answer, or null. */
    private static String problem(Case c, RawHttp.Response r, String code, Set<String> readmeCodes) {
        if (r.status() == -1 && c.outcome() == Outcome.CLOSED_OR_REFUSED_BY_HTTP && r.millis() <= FEW_SECONDS_MILLIS) {
            return null;
        }
        if (r.status() < 0) {
            return "no answer (" + r.failure() + ")";
        }
        if (r.status() >= 500) {
            return "a server error";
        }
        if (r.millis() > FEW_SECONDS_MILLIS) {
            return "answered after " + r.millis() + " ms";
        }
        if (r.header("x-injected") != null || r.header("set-cookie") != null) {
            return "a header was injected into the answer";
        }
        if (r.status() < 300) {
            return c.outcome() == Outcome.ACCEPTED_OR_REFUSED ? null : "accepted, should be refused";
        }
        if (r.status() >= 300 && r.status() < 400) {
            return "a redirect";
        }
        if (c.status() != 0 && r.status() != c.status()) {
            return "status " + r.status() + ", should be " + c.status();
        }
        if (code == null) {
            boolean httpLayer = (c.outcome() == Outcome.REFUSED_BY_HTTP || c.outcome() == Outcome.CLOSED_OR_REFUSED_BY_HTTP)
                    && HTTP_LAYER_STATUSES.contains(r.status()) && r.json() == null;
            return httpLayer ? null : "a " + r.status() + " without a stable error code";
        }
        boolean known = c.service() == Service.ENGINE ? AWS_ERROR_TYPES.contains(code)
                : readmeCodes.contains(code) || CODES_NOT_YET_IN_README.contains(code);
        return known ? null : "code " + code + " is not a documented one";
    }

    private static String describe(RawHttp.Response r) {
        String body = r.bodyText().replaceAll("\\s+", " ");
        return r.status() + " " + r.millis() + " ms " + RawHttp.printable(body, 200);
    }

    /** The codes of the README's error table: every `CODE` in the first column of its rows. */
    static Set<String> readmeErrorCodes() throws IOException {
        List<String> lines = Files.readAllLines(Platform.repositoryRoot().resolve("README.md"));
        Set<String> codes = new LinkedHashSet<>();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("| code | status |")) {
                inTable = true;
            } else if (inTable && !line.startsWith("|")) {
                break;
            } else if (inTable) {
                Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(line.split("\\|")[1]);
                while (m.find()) {
                    codes.add(m.group(1));
                }
            }
        }
        if (codes.isEmpty()) {
            throw new IllegalStateException("no error table found in README.md");
        }
        return codes;
    }

    // ---- load ----

    /** Sends {@code total} requests, cycling through {@code mix}, {@link #CONCURRENCY} at a time. */
    private static Map<Integer, Integer> hammer(List<Case> mix, int total) throws Exception {
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> done = new ArrayList<>();
            AtomicInteger next = new AtomicInteger();
            for (int t = 0; t < CONCURRENCY; t++) {
                done.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        RawHttp.Response r = RawHttp.send(mix.get(i % mix.size()).request().get(), 30_000);
                        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(15, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((s, n) -> counts.put(s, n.get()));
        return counts;
    }

    /**
     * A first analysis loads the engine's models, a first upload opens ingest's S3 and SQS connections, a
     * first search results-service's database connections: the corpus's timings should not include that.
     */
    private static void warmUp(Platform platform) throws Exception {
        Api.Answer upload = running.api().uploadRaw(HostileImages.jpeg(128, 96), "image/jpeg", Map.of());
        Api.Answer search = running.api().get("/v1/images?label=Dog", Map.of());
        System.out.printf("warm-up: ingest %d, results %d%n", upload.status(), search.status());
        byte[] body = ("{\"Image\":{\"Bytes\":\"" + java.util.Base64.getEncoder().encodeToString(
                HostileImages.jpeg(128, 96)) + "\"}}").getBytes(StandardCharsets.US_ASCII);
        for (String operation : List.of("DetectLabels", "DetectFaces", "DetectText")) {
            RawHttp.Response r = RawHttp.send(EngineSigner.signed(platform.engineUrl(), operation, body).build(), 300_000);
            System.out.printf("engine warm-up %s: %d in %d ms%n", operation, r.status(), r.millis());
        }
    }

    private static String readFrom(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            f.seek(Math.min(offset, f.length()));
            byte[] rest = new byte[(int) (f.length() - f.getFilePointer())];
            f.readFully(rest);
            return new String(rest, StandardCharsets.UTF_8);
        }
    }

    /** A process's resident memory and thread count, from /proc/<pid>/status. */
    record ProcessStats(long rssKb, int threads) {

        static ProcessStats of(long pid) throws IOException {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            return new ProcessStats(rss, threads);
        }

        boolean near(ProcessStats start) {
            return rssKb <= start.rssKb + RSS_TOLERANCE_KB && threads <= start.threads + THREAD_TOLERANCE;
        }
    }
}
