package io.imagerec.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/scaling/ScalingSimulation.java (docs/scaling.md) runs as its documented command, simulates the
 * policies with exactly the targets and limits the deploy files set (as the real YAML parsers and kustomize
 * read them, not the program's own regular expressions), and keeps every instance count within its limit.
 */
class ScalingSimulationTest {

    private static final Pattern POLICIES = Pattern.compile("ASG backlog target ([0-9.]+) per instance, max (\\d+); "
            + "KEDA queueLength ([0-9.]+), max (\\d+), polling (\\d+) s, cooldown (\\d+) s");

    @Test
    void simulatesThePoliciesAsDeployed() throws Exception {
        String out = run(List.of());
        Matcher m = POLICIES.matcher(out);
        assertTrue(m.find(), out);

        Map<String, Object> parameters = Yamls.at(Fixtures.template(), "Parameters");
        assertEquals(number(Yamls.at(parameters, "WorkerBacklogPerInstance", "Default")), Double.parseDouble(m.group(1)), out);
        assertEquals(number(Yamls.at(parameters, "WorkerMaxSize", "Default")), Double.parseDouble(m.group(2)), out);
        Map<String, Object> scaled = Fixtures.find(Fixtures.rendered("deploy/k8s/overlays/aws"), "ScaledObject",
                "recognition-worker");
        assertEquals(number(Yamls.at(scaled, "spec", "triggers", 0, "metadata", "queueLength")), Double.parseDouble(m.group(3)), out);
        assertEquals(number(Yamls.at(scaled, "spec", "maxReplicaCount")), Double.parseDouble(m.group(4)), out);
        assertEquals(number(Yamls.at(scaled, "spec", "pollingInterval")), Double.parseDouble(m.group(5)), out);
        assertEquals(number(Yamls.at(scaled, "spec", "cooldownPeriod")), Double.parseDouble(m.group(6)), out);

        List<Row> rows = rows(out);
        assertEquals(3, rows.size(), out);
        int asgMax = Integer.parseInt(m.group(2));
        int kedaMax = Integer.parseInt(m.group(4));
        for (Row row : rows) {
            int limit = row.policy.startsWith("ec2") ? asgMax : kedaMax;
            assertTrue(row.peak >= 1 && row.peak <= limit, row + " against the limit " + limit);
            assertTrue(row.p50 <= row.p99 && row.p99 <= row.max, row.toString());
        }
    }

    /** A trace from a file; a quota below the fleet's rate makes the queue, not the fleet, set the pace. */
    @Test
    void aTraceUnderAQuotaTakesAtLeastImagesOverQuotaSeconds(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("arrivals.csv");
        Files.writeString(trace, "second,images\n0,500\n10,500\n");
        String out = run(List.of("--trace", trace.toString(), "--horizon-seconds", "60", "--quota", "5",
                "--max-instances", "4", "--target-latency", "10", "--node-boot", "0"));
        List<Row> rows = rows(out);
        assertEquals(2, rows.size(), out);
        for (Row row : rows) {
            // 1,000 images at 5 a second: the last cannot start before second 190.
            assertTrue(row.lastStarted >= 190, row.toString());
            assertTrue(row.peak <= 4, row.toString());
        }
    }

    @Test
    void aBadOptionIsRefused() throws Exception {
        Process p = start(List.of("--no-such-option", "1"));
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.exitValue() != 0 && err.contains("unknown option --no-such-option"), err);
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        Process p = start(args);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the simulation did not end");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + err);
        return out;
    }

    private static Process start(List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "deploy/scaling/ScalingSimulation.java"));
        command.addAll(args);
        return new ProcessBuilder(command).directory(Repo.root().toFile()).start();
    }

    private static double number(Object value) {
        return Double.parseDouble(String.valueOf(value));
    }

    record Row(String policy, int peak, double p50, double p99, double max, int lastStarted) {
    }

    private static List<Row> rows(String out) {
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("| ec2") || line.startsWith("| keda")) {
                String[] c = line.split("\\|");
                rows.add(new Row(c[1].strip(), Integer.parseInt(c[2].strip()), Double.parseDouble(c[4].strip()),
                        Double.parseDouble(c[6].strip()), Double.parseDouble(c[7].strip()), Integer.parseInt(c[8].strip())));
            }
        }
        return rows;
    }
}
