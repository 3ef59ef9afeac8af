package io.imagerec.rekognition.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.api.RekognitionClients;
import io.imagerec.rekognition.api.RekognitionOperation;
import io.imagerec.testsupport.LocalCloudResource;
import io.imagerec.testsupport.TestCloud;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

/**
 * The engine against Amazon Rekognition's own service model (botocore's {@code service-2.json}): every
 * operation the engine answers is called through the AWS SDK with the requests {@link RequestGenerators}
 * builds, valid and invalid, and every raw answer, response or error, is checked member by member
 * ({@link ShapeValidator}). Without a model the test is skipped, except under {@code CI=true}, where it
 * fails.
 */
@QuarkusTest
@QuarkusTestResource(LocalCloudResource.class)
class RekognitionContractTest {

    /**
     * Members the engine answers that older models lack (moderation content types and taxonomy levels
     * came in 2024, face users in 2023): a model without them would report them as unknown members.
     */
    private static final List<String> NEWEST_MEMBERS_ANSWERED = List.of("DetectModerationLabelsResponse.ContentTypes",
            "ModerationLabel.TaxonomyLevel", "DescribeCollectionResponse.UserCount");

    private static ServiceModel model;

    @Inject
    @Any
    Instance<RekognitionOperation> operations;

    @Inject
    ObjectMapper json;

    /** Why there is no usable model, or null. */
    private static String unusable;

    @BeforeAll
    static void findModel() {
        List<ServiceModel> found = ServiceModel.findAll(new ObjectMapper());
        if (found.isEmpty()) {
            unusable = "No Rekognition service model (botocore's " + ServiceModel.RELATIVE + ") in any of "
                    + ServiceModel.candidates() + "; set -Drekognition-contract.service-model=<file> or run .ci/run";
            return;
        }
        // The first model recent enough to hold every member the engine answers; an older one is passed over.
        ServiceModel candidate = found.stream().filter(m -> lacking(m).isEmpty()).findFirst().orElse(null);
        if (candidate == null) {
            unusable = "The service models " + found.stream().map(ServiceModel::source).toList()
                    + " predate members the engine answers (" + lacking(found.get(0))
                    + "): use a botocore from 2024 or later (the aws CLI's, or the one .ci/run unpacks from Debian "
                    + "trixie's python3-botocore; bookworm's 1.29 is from 2022), or set "
                    + "-Drekognition-contract.service-model=<file>";
            return;
        }
        model = candidate;
        System.out.println("Contract test against " + model.source() + ", API " + model.version());
    }

    private static List<String> lacking(ServiceModel candidate) {
        return NEWEST_MEMBERS_ANSWERED.stream()
                .filter(m -> !candidate.hasMember(m.substring(0, m.indexOf('.')), m.substring(m.indexOf('.') + 1))).toList();
    }

    /** Without a usable model each test is skipped with the reason, but under CI=true (set by .ci/run) it fails. */
    @BeforeEach
    void requireModel() {
        if (unusable != null) {
            System.out.println("RekognitionContractTest: " + unusable);
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(unusable);
            }
            Assumptions.abort(unusable);
        }
    }

    private Set<String> engineOperations() {
        Set<String> names = new TreeSet<>();
        operations.forEach(op -> names.add(op.name()));
        return names;
    }

    @Test
    void everyOperationTheEngineAnswersIsInTheModelAndHasARequestGenerator() {
        Set<String> engine = engineOperations();
        Set<String> generated = new TreeSet<>(new RequestGenerators(null, model).byOperation().keySet());
        List<String> notInModel = engine.stream().filter(op -> !model.hasOperation(op)).toList();
        assertTrue(notInModel.isEmpty(), "The engine answers operations the service model does not have: " + notInModel);
        assertEquals(engine, generated, "Every operation the engine answers needs its request generator in "
                + "RequestGenerators.byOperation() (and only those)");
    }

    @Test
    void everyResponseAndErrorMatchesTheServiceModel() {
        RawExchanges raw = new RawExchanges();
        try (RekognitionClient client = RekognitionClient.builder()
                .endpointOverride(RekognitionClients.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(TestCloud.ACCESS_KEY, TestCloud.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()).addExecutionInterceptor(raw))
                .build()) {
            ContractCalls calls = new ContractCalls(client, raw, model, json, LocalCloudResource.cloud());
            RequestGenerators generators = new RequestGenerators(calls, model);
            long start = System.nanoTime();
            generators.byOperation().forEach((op, generator) -> generator.run());

            Map<String, ContractCalls.Tally> tallies = calls.tallies();
            System.out.printf("Contract test: %d requests in %.1f s; %d breaches%n", calls.sent(),
                    (System.nanoTime() - start) / 1e9, calls.breaches().size());
            tallies.forEach((op, t) -> System.out.printf("  %-24s %3d responses, errors %s%n", op, t.responses, t.errors));
            List<String> summary = summary(calls.breaches());
            summary.forEach(b -> System.out.println("  BREACH " + b));

            List<String> unanswered = new ArrayList<>();
            for (String op : engineOperations()) {
                ContractCalls.Tally t = tallies.get(op);
                boolean needsFaces = RequestGenerators.NEED_SAMPLE_FACES.contains(op) && !calls.hasSamples();
                if (t == null || t.responses == 0 && !needsFaces || t.errors.isEmpty()) {
                    unanswered.add(op + (t == null ? " (never called)" : " (" + t.responses + " responses, errors " + t.errors + ")"));
                }
            }
            assertTrue(unanswered.isEmpty(), "Operations without both a checked response and a checked error: " + unanswered);
            assertTrue(calls.breaches().isEmpty(), calls.breaches().size() + " breaches of the service model or of "
                    + "Rekognition's behaviour, " + summary.size() + " distinct:\n  " + String.join("\n  ", summary));
        }
    }

    /** "Operation [label]: SomeResponse.Member[0].X: what": a breach at a path of a response or error shape. */
    private static final java.util.regex.Pattern SHAPE_BREACH = java.util.regex.Pattern.compile("^\\w+ \\[.*?\\]: (\\w+[.\\[].*)$");

    /** Breaches alike but for list positions, counted once: "N× first example". */
    private static List<String> summary(List<String> breaches) {
        Map<String, List<String>> alike = new java.util.LinkedHashMap<>();
        for (String b : breaches) {
            java.util.regex.Matcher shape = SHAPE_BREACH.matcher(b);
            String key = shape.matches() ? shape.group(1).replaceAll("\\[\\d+\\]", "[]") : b;
            alike.computeIfAbsent(key, k -> new ArrayList<>()).add(b);
        }
        List<String> out = new ArrayList<>();
        alike.values().forEach(list -> out.add((list.size() > 1 ? list.size() + "x " : "") + list.get(0)));
        return out;
    }
}
