package io.imagerec.rekognition.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Amazon Rekognition's service model as botocore ships it ({@code rekognition/2016-06-27/service-2.json},
 * gzipped in newer botocore): the operations with their input, output and error shapes, and every shape.
 * Found through the system property {@code rekognition-contract.service-model} (a file; not under
 * {@code rekognition.}, whose unknown keys the engine's configuration refuses at start-up), else the botocore the
 * {@code python3} on the PATH imports, else the copy {@code .ci/run} unpacks from Debian's pinned
 * python3-botocore into {@code ~/.cache/imagerec/botocore}, else Debian's and the Google Cloud SDK's copies.
 */
public final class ServiceModel {

    static final String RELATIVE = "rekognition/2016-06-27/service-2.json";
    private static final List<Path> KNOWN_DATA_DIRS = List.of(
            Path.of(System.getProperty("user.home"), ".cache/imagerec/botocore/data"),
            Path.of("/usr/lib/python3/dist-packages/botocore/data"),
            Path.of("/usr/lib/google-cloud-sdk/lib/third_party/botocore/data"));

    private final Path source;
    private final JsonNode model;

    private ServiceModel(Path source, JsonNode model) {
        this.source = source;
        this.model = model;
    }

    /** Every model found, in the order of {@link #candidates()} (the caller decides which is usable). */
    public static List<ServiceModel> findAll(ObjectMapper json) {
        return candidates().stream().filter(Files::isRegularFile).distinct().map(p -> load(p, json)).toList();
    }

    /** Where the model is looked for, in order (for the message when none is found). */
    public static List<Path> candidates() {
        List<Path> files = new ArrayList<>();
        String property = System.getProperty("rekognition-contract.service-model");
        if (property != null && !property.isBlank()) {
            files.add(Path.of(property));
            return files;
        }
        List<Path> dataDirs = new ArrayList<>();
        pythonBotocore().ifPresent(dir -> dataDirs.add(dir.resolve("data")));
        dataDirs.addAll(KNOWN_DATA_DIRS);
        for (Path dir : dataDirs) {
            files.add(dir.resolve(RELATIVE));
            files.add(dir.resolve(RELATIVE + ".gz"));
        }
        return files;
    }

    private static Optional<Path> pythonBotocore() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))")
                    .redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Path.of(out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static ServiceModel load(Path file, ObjectMapper json) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            return new ServiceModel(file, json.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the service model " + file, e);
        }
    }

    public Path source() {
        return source;
    }

    public String version() {
        return model.path("metadata").path("apiVersion").asText() + " (" + model.path("shapes").size() + " shapes)";
    }

    /** Whether the structure {@code shape} exists and has {@code member}. */
    public boolean hasMember(String shape, String member) {
        return model.path("shapes").path(shape).path("members").has(member);
    }

    public boolean hasOperation(String name) {
        return model.path("operations").has(name);
    }

    public String inputShape(String operation) {
        return operation(operation).path("input").path("shape").asText(null);
    }

    public String outputShape(String operation) {
        return operation(operation).path("output").path("shape").asText(null);
    }

    /** The error shapes the model lists for the operation. */
    public Set<String> errors(String operation) {
        Set<String> names = new TreeSet<>();
        operation(operation).path("errors").forEach(e -> names.add(e.path("shape").asText()));
        return names;
    }

    /** The values of an enum shape, in the model's order. */
    public List<String> enumValues(String shape) {
        List<String> values = new ArrayList<>();
        shape(shape).path("enum").forEach(v -> values.add(v.asText()));
        if (values.isEmpty()) {
            throw new IllegalArgumentException(shape + " is not an enum in " + source);
        }
        return values;
    }

    /** A shape's {@code min} or {@code max}. */
    public long bound(String shape, String which) {
        JsonNode value = shape(shape).get(which);
        if (value == null) {
            throw new IllegalArgumentException(shape + " has no " + which + " in " + source);
        }
        return value.asLong();
    }

    public JsonNode shape(String name) {
        JsonNode shape = model.path("shapes").get(name);
        if (shape == null) {
            throw new IllegalArgumentException("No shape " + name + " in " + source);
        }
        return shape;
    }

    private JsonNode operation(String name) {
        JsonNode op = model.path("operations").get(name);
        if (op == null) {
            throw new IllegalArgumentException("No operation " + name + " in " + source);
        }
        return op;
    }
}
