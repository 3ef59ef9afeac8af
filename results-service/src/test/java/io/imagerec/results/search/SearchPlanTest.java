package io.imagerec.results.search;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.imagerec.results.ResultsTestProfile;
import io.imagerec.testsupport.OperatorKey;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Every search and facet shape is served by an index, on 100,000 jobs of five tenants in the real
 * PostgreSQL (search-plan-data.sql, then ANALYZE): EXPLAIN of the exact statements the repository runs
 * shows no Seq Scan on jobs or job_labels, and each page is a Limit over an ordered index scan without a
 * Sort. The answers are checked against a model of the same data: every shape walked page by page with
 * its cursor gives exactly the expected jobs in order (no page skips or repeats one), and the facets the
 * expected counts. EXPLAIN ANALYZE medians go to target/search-benchmark.md (no timing is asserted).
 */
@QuarkusTest
@TestProfile(ResultsTestProfile.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPlanTest {

    private static final int JOBS = 100_000;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Set<String> TABLES = Set.of("jobs", "job_labels");

    /** A generated job, by the rules of search-plan-data.sql. */
    record Job(String id, String tenant, String status, Instant submitted, Integer faces, String text,
            Map<String, Integer> labels) {
    }

    /** A search shape: its query parameters (raw, as a client sends them) and the index that drives it. */
    record Shape(String name, String tenant, SearchService.Query query, String drivingIndex) {
    }

    @Inject
    SearchRepository repository;

    @Inject
    SearchService service;

    @Inject
    AgroalDataSource db;

    @Inject
    ObjectMapper json;

    private List<Job> model;
    private final Map<String, List<Double>> timings = new TreeMap<>();

    @BeforeAll
    void load() throws Exception {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/search-plan-data.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM jobs WHERE tenant LIKE 'plan-t%'");
            String withoutComments = Arrays.stream(script.split("\n")).filter(l -> !l.startsWith("--"))
                    .collect(Collectors.joining("\n"));
            for (String statement : withoutComments.split(";\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
            s.execute("ANALYZE jobs");
            s.execute("ANALYZE job_labels");
        }
        model = IntStream.rangeClosed(1, JOBS).mapToObj(SearchPlanTest::job).toList();
    }

    @AfterAll
    void unload() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM jobs WHERE tenant LIKE 'plan-t%'");
        }
        StringBuilder report = new StringBuilder("| statement | median ms (EXPLAIN ANALYZE, 5 runs) |\n| --- | ---: |\n");
        timings.forEach((name, ms) -> report.append("| ").append(name).append(" | ")
                .append(String.format(Locale.ROOT, "%.2f", median(ms))).append(" |\n"));
        Files.writeString(Path.of("target", "search-benchmark.md"), report.toString());
    }

    private static Job job(int i) {
        int r = i % 20;
        String tenant = "plan-t" + (r < 8 ? 0 : r < 13 ? 1 : r < 16 ? 2 : r < 18 ? 3 : 4);
        String status = switch (i % 10) {
            case 0 -> "FAILED";
            case 1 -> "QUEUED";
            case 2 -> "PROCESSING";
            default -> "SUCCEEDED";
        };
        String text = switch (i % 8) {
            case 0 -> "No parking zone";
            case 3 -> "Public parking " + (i % 100);
            case 5 -> "EXIT only";
            default -> null;
        };
        Map<String, Integer> labels = new LinkedHashMap<>();
        if (status.equals("SUCCEEDED")) {
            if (i % 3 == 0) {
                labels.put("Dog", 50 + i % 50);
            }
            if (i % 3 == 1) {
                labels.put("Cat", 50 + i % 50);
            }
            if (i % 3 < 2) {
                labels.put("Animal", 90);
            }
            if (i % 11 == 0) {
                labels.put("Car", 70);
            }
            if (i % 17 == 0) {
                labels.put("Document", 60 + i % 40);
            }
            if (i % 29 == 0) {
                labels.put("Doorway", 99);
            }
            labels.put("Thing" + (i % 500), 55);
        }
        return new Job(String.format("plan-%06d", i), tenant, status, BASE.plusSeconds((i / 2) * 420L),
                i % 5 == 0 ? null : i % 7, text, labels);
    }

    private static SearchService.Query query(String label, Float minConfidence, String text, Integer minFaces,
            Integer maxFaces, String status, String from, String to) {
        return new SearchService.Query(label, minConfidence, text, minFaces, maxFaces, status, from, to, null, null);
    }

    private static List<Shape> shapes() {
        String from = "2026-03-01T00:00:00Z";
        String to = "2026-03-15T00:00:00Z";
        return List.of(
                new Shape("no filter", "plan-t0", query(null, null, null, null, null, null, null, null), "jobs_newest"),
                new Shape("no filter, small tenant", "plan-t4", query(null, null, null, null, null, null, null, null),
                        "jobs_newest"),
                new Shape("label", "plan-t0", query("Dog", null, null, null, null, null, null, null), "job_labels_by_name"),
                new Shape("label + minConfidence", "plan-t0", query("Dog", 80f, null, null, null, null, null, null),
                        "job_labels_by_name"),
                new Shape("rare label", "plan-t1", query("Doorway", null, null, null, null, null, null, null),
                        "job_labels_by_name"),
                new Shape("text", "plan-t0", query(null, null, "parking", null, null, null, null, null), "jobs_newest"),
                new Shape("text, two words", "plan-t0", query(null, null, "no parking", null, null, null, null, null),
                        "jobs_newest"),
                new Shape("faces range", "plan-t0", query(null, null, null, 1, 3, null, null, null), "jobs_newest"),
                new Shape("no faces", "plan-t0", query(null, null, null, null, 0, null, null, null), "jobs_newest"),
                new Shape("status", "plan-t0", query(null, null, null, null, null, "SUCCEEDED", null, null),
                        "jobs_by_status"),
                new Shape("rare status", "plan-t0", query(null, null, null, null, null, "FAILED", null, null),
                        "jobs_by_status"),
                new Shape("dates", "plan-t0", query(null, null, null, null, null, null, from, to), "jobs_newest"),
                new Shape("label + text", "plan-t1", query("Dog", 80f, "parking", null, null, null, null, null),
                        "job_labels_by_name"),
                new Shape("label + faces", "plan-t0", query("Cat", null, null, 2, null, null, null, null),
                        "job_labels_by_name"),
                new Shape("label + dates", "plan-t0", query("Animal", null, null, null, null, null, from, to),
                        "job_labels_by_name"),
                new Shape("status + text", "plan-t0", query(null, null, "zone", null, null, "SUCCEEDED", null, null),
                        "jobs_by_status"),
                new Shape("status + faces + dates", "plan-t2", query(null, null, null, 1, 6, "SUCCEEDED", from, to),
                        "jobs_by_status"),
                new Shape("text + faces + dates", "plan-t0", query(null, null, "parking", 0, 2, null, from, null),
                        "jobs_newest"),
                new Shape("every filter", "plan-t0", query("Animal", 50f, "parking", 1, 6, "SUCCEEDED", from, to),
                        "job_labels_by_name"));
    }

    @Test
    void everySearchShapeIsALimitOverAnOrderedIndexScanOnFirstAndLaterPages() throws Exception {
        for (Shape shape : shapes()) {
            SearchFilter filter = SearchService.filter(shape.query());
            JsonNode first = explain(shape.name() + ", page 1",
                    repository.searchStatement(shape.tenant(), filter, 51, null, null));
            assertPaged(shape, first);
            List<Job> expected = expected(shape.tenant(), filter);
            assertTrue(expected.size() > 60, shape.name() + " has more than one page of matches: " + expected.size());
            Job lastOfPage1 = expected.get(49);
            JsonNode second = explain(shape.name() + ", page 2", repository.searchStatement(shape.tenant(), filter, 51,
                    lastOfPage1.submitted(), lastOfPage1.id()));
            assertPaged(shape, second);
        }
    }

    @Test
    void aWordNoJobHasReadsTheWholeTenantInIndexOrderStillWithoutASeqScan() throws Exception {
        // The worst case of a text filter on the ordered scan: nothing matches, so the page reads all the
        // tenant's 40,000 rows by index (timed in the report); no Seq Scan, no sort.
        Shape nothing = new Shape("text no job has", "plan-t0",
                query(null, null, "absentword", null, null, null, null, null), "jobs_newest");
        assertPaged(nothing, explain(nothing.name() + ", page 1",
                repository.searchStatement(nothing.tenant(), SearchService.filter(nothing.query()), 51, null, null)));
        assertEquals(List.of(), service.search("plan-t0", nothing.query()).items());
        // For the report: the planner's own choice for label + text, without sorting priced out (it sorts).
        SearchRepository.Statement forced = repository.searchStatement("plan-t1",
                SearchService.filter(query("Dog", 80f, "parking", null, null, null, null, null)), 51, null, null);
        JsonNode own = explain("label + text, page 1, the planner's own plan (sorting allowed)",
                new SearchRepository.Statement(forced.sql(), forced.params(), List.of()));
        assertNoSeqScan("label + text, own plan", own);
    }

    @Test
    void aPagesLabelsAreReadByPrimaryKey() throws Exception {
        List<String> ids = model.stream().filter(j -> j.tenant().equals("plan-t0")).limit(200).map(Job::id).toList();
        JsonNode plan = explain("labels of a page of 200", repository.labelsStatement("plan-t0", ids));
        assertNoSeqScan("labels of a page", plan);
        assertTrue(nodes(plan.get(0).get("Plan")).stream().anyMatch(n -> "job_labels_pkey".equals(n.path("Index Name").asText())),
                "labels of a page use job_labels_pkey: " + plan);
    }

    @Test
    void facetsAreAnIndexRangeNotASeqScan() throws Exception {
        for (Object[] facet : List.of(new Object[] { "plan-t0", "Do", 0f }, new Object[] { "plan-t0", "Do", 80f },
                new Object[] { "plan-t0", "Thing1", 0f }, new Object[] { "plan-t3", null, 0f },
                new Object[] { "plan-t4", "D", 60f })) {
            String tenant = (String) facet[0];
            String prefix = (String) facet[1];
            float min = (Float) facet[2];
            String name = "facets " + tenant + " prefix=" + prefix + " minConfidence=" + min;
            JsonNode plan = explain(name, repository.facetsStatement(tenant, prefix, min, 20));
            assertNoSeqScan(name, plan);
            assertTrue(nodes(plan.get(0).get("Plan")).stream()
                    .anyMatch(n -> "job_labels_facets".equals(n.path("Index Name").asText())),
                    name + " reads job_labels_facets: " + plan);

            List<LabelFacets.LabelCount> expected = expectedFacets(tenant, prefix, min, 20);
            assertFalse(expected.isEmpty(), name);
            assertEquals(expected, service.facets(tenant, prefix, min, 20).labels(), name);
        }
    }

    @Test
    void everyShapeWalkedByCursorGivesEachMatchOnceInOrder() throws Exception {
        for (Shape shape : shapes()) {
            List<String> expected = expected(shape.tenant(), SearchService.filter(shape.query())).stream().map(Job::id)
                    .toList();
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                SearchService.Query q = shape.query();
                JobPage page = service.search(shape.tenant(), new SearchService.Query(q.label(), q.minConfidence(),
                        q.text(), q.minFaces(), q.maxFaces(), q.status(), q.from(), q.to(), 200, cursor));
                assertTrue(page.items().size() <= 200);
                page.items().forEach(j -> walked.add(j.jobId()));
                cursor = page.nextCursor();
                pages++;
                assertTrue(cursor == null || page.items().size() == 200, "only the last page is short");
            } while (cursor != null && pages < 1000);
            assertEquals(expected.size(), walked.size(), shape.name() + ": count");
            assertEquals(expected, walked, shape.name() + ": order, no skips, no repeats");
            assertEquals(walked.size(), new HashSet<>(walked).size(), shape.name() + ": no repeats");
        }
    }

    @Test
    void theApiAnswersPagesWithEachJobsLabelsHighestConfidenceFirst() {
        OperatorKey.use();
        SearchFilter filter = SearchService.filter(query("Dog", 80f, "parking", null, null, null, null, null));
        List<Job> expected = expected("plan-t2", filter);
        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            Response page = given().header("X-Tenant-Id", "plan-t2").queryParam("label", "Dog")
                    .queryParam("minConfidence", 80).queryParam("text", "parking").queryParam("limit", 7)
                    .queryParam("cursor", cursor == null ? "" : cursor).get("/v1/jobs");
            assertEquals(200, page.statusCode(), page.asString());
            List<Map<String, Object>> items = page.jsonPath().getList("items");
            for (Map<String, Object> item : items) {
                Job job = expected.get(walked.size());
                assertEquals(job.id(), item.get("jobId"));
                assertEquals("img-" + job.id(), item.get("imageId"));
                assertEquals(job.status(), item.get("status"));
                assertEquals(job.submitted(), Instant.parse((String) item.get("submittedAt")));
                assertEquals(job.submitted().plusSeconds(30), Instant.parse((String) item.get("completedAt")));
                assertEquals(job.faces(), item.get("faceCount"));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> labels = (List<Map<String, Object>>) item.get("labels");
                List<String> expectedNames = job.labels().entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey).toList();
                assertEquals(expectedNames, labels.stream().map(l -> (String) l.get("name")).toList(), job.id());
                assertEquals(job.labels().get("Dog").doubleValue(),
                        ((Number) labels.stream().filter(l -> l.get("name").equals("Dog")).findFirst().orElseThrow()
                                .get("confidence")).doubleValue(), 0.001);
                walked.add(job.id());
            }
            cursor = page.jsonPath().getString("nextCursor");
            assertTrue(page.asString().contains("\"nextCursor\":"), "nextCursor is always in the answer");
        } while (cursor != null);
        assertEquals(expected.stream().map(Job::id).toList(), walked);
        // No filter over HTTP, and a small page's cursor leads to the next jobs.
        Response first = given().header("X-Tenant-Id", "plan-t4").queryParam("limit", 3).get("/v1/jobs");
        List<String> newest = model.stream().filter(j -> j.tenant().equals("plan-t4")).sorted(NEWEST_FIRST).limit(6)
                .map(Job::id).toList();
        assertEquals(newest.subList(0, 3), first.jsonPath().getList("items.jobId"));
        Response second = given().header("X-Tenant-Id", "plan-t4").queryParam("limit", 3)
                .queryParam("cursor", first.jsonPath().getString("nextCursor")).get("/v1/jobs");
        assertEquals(newest.subList(3, 6), second.jsonPath().getList("items.jobId"));
        // Another tenant's jobs are never in the answer.
        given().header("X-Tenant-Id", "plan-none").get("/v1/jobs").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty()).body("nextCursor", org.hamcrest.Matchers.nullValue());
    }

    // --- the model -------------------------------------------------------------------------------

    private static final Comparator<Job> NEWEST_FIRST = Comparator.comparing(Job::submitted).reversed()
            .thenComparing(Comparator.comparing(Job::id).reversed());

    private List<Job> expected(String tenant, SearchFilter f) {
        Predicate<Job> matches = j -> j.tenant().equals(tenant)
                && (f.label() == null || (j.labels().containsKey(f.label()) && j.labels().get(f.label()) >= f.minConfidence()))
                && (f.text() == null || words(j.text()).containsAll(words(f.text())))
                && (f.minFaces() == null || (j.faces() != null && j.faces() >= f.minFaces()))
                && (f.maxFaces() == null || (j.faces() != null && j.faces() <= f.maxFaces()))
                && (f.status() == null || j.status().equals(f.status()))
                && (f.from() == null || !j.submitted().isBefore(f.from()))
                && (f.to() == null || j.submitted().isBefore(f.to()));
        return model.stream().filter(matches).sorted(NEWEST_FIRST).toList();
    }

    /** The words PostgreSQL's 'simple' configuration makes of a text: lower case, split at non-alphanumerics. */
    private static Set<String> words(String text) {
        if (text == null) {
            return Set.of();
        }
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{Alnum}]+")).filter(w -> !w.isEmpty())
                .collect(Collectors.toSet());
    }

    private List<LabelFacets.LabelCount> expectedFacets(String tenant, String prefix, float min, int limit) {
        Map<String, Long> counts = new TreeMap<>();
        for (Job j : model) {
            if (j.tenant().equals(tenant)) {
                j.labels().forEach((name, confidence) -> {
                    if ((prefix == null || name.startsWith(prefix)) && confidence >= min) {
                        counts.merge(name, 1L, Long::sum);
                    }
                });
            }
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(e -> new LabelFacets.LabelCount(e.getKey(), e.getValue())).toList();
    }

    // --- plans -----------------------------------------------------------------------------------

    /** EXPLAIN (FORMAT JSON) of the statement with its parameters; also EXPLAIN ANALYZE 5 times, for the report. */
    private JsonNode explain(String name, SearchRepository.Statement statement) throws SQLException, IOException {
        JsonNode plan;
        try (Connection c = db.getConnection()) {
            plan = json.readTree(single(c, statement.prefixed("EXPLAIN (FORMAT JSON) ")));
            for (int run = 0; run < 5; run++) {
                JsonNode analyzed = json.readTree(single(c, statement.prefixed("EXPLAIN (ANALYZE, FORMAT JSON) ")));
                timings.computeIfAbsent(name, n -> new ArrayList<>()).add(analyzed.get(0).get("Execution Time").asDouble());
            }
        }
        return plan;
    }

    private static String single(Connection c, SearchRepository.Statement statement) throws SQLException {
        List<String> rows = new ArrayList<>();
        statement.query(c, rs -> rows.add(rs.getString(1)));
        assertEquals(1, rows.size());
        return rows.get(0);
    }

    private static void assertPaged(Shape shape, JsonNode explained) {
        JsonNode top = explained.get(0).get("Plan");
        String where = shape.name() + ": " + explained;
        assertNoSeqScan(shape.name(), explained);
        assertEquals("Limit", top.get("Node Type").asText(), "a Limit on top: " + where);
        for (JsonNode n : nodes(top)) {
            assertFalse(n.get("Node Type").asText().contains("Sort"), "no sort of the matches: " + where);
            assertFalse(n.get("Node Type").asText().startsWith("Bitmap"), "no bitmap scan (unordered): " + where);
        }
        JsonNode driving = top;
        while (driving.has("Plans")) {
            driving = driving.get("Plans").get(0);
        }
        assertTrue(driving.get("Node Type").asText().startsWith("Index"), "an index scan drives the page: " + where);
        assertEquals(shape.drivingIndex(), driving.get("Index Name").asText(), "the driving index: " + where);
    }

    private static void assertNoSeqScan(String name, JsonNode explained) {
        for (JsonNode n : nodes(explained.get(0).get("Plan"))) {
            if (n.get("Node Type").asText().equals("Seq Scan") && TABLES.contains(n.path("Relation Name").asText())) {
                fail(name + ": Seq Scan on " + n.get("Relation Name").asText() + ": " + explained);
            }
        }
    }

    private static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> all = new ArrayList<>();
        all.add(plan);
        if (plan.has("Plans")) {
            plan.get("Plans").forEach(p -> all.addAll(nodes(p)));
        }
        return all;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void nextPrefixIsTheLeastStringAboveEveryStringWithThePrefix() {
        assertEquals("Dp", SearchRepository.nextPrefix("Do"));
        assertEquals("\uE000", SearchRepository.nextPrefix("\uD7FF"));
        assertEquals("b", SearchRepository.nextPrefix("a" + new String(Character.toChars(Character.MAX_CODE_POINT))));
        assertNull(SearchRepository.nextPrefix(new String(Character.toChars(Character.MAX_CODE_POINT))));
        assertNotNull(SearchRepository.nextPrefix("Thing1"));
    }
}
