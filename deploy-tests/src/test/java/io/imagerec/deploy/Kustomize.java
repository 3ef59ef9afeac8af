package io.imagerec.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real tool: {@code kubectl kustomize} (kubectl embeds kustomize; Debian's
 * kubernetes-client package has it) or a standalone {@code kustomize build}. The manifests use only what
 * kustomize v2.0.3 (kubectl 1.20) already had, so any version renders them.
 */
final class Kustomize {

    private Kustomize() {
    }

    /** The command that renders a directory, or null when neither tool is on the PATH. */
    static List<String> command(Path dir) {
        String kustomize = System.getenv("KUSTOMIZE");
        if (kustomize != null && !kustomize.isBlank()) {
            return List.of(kustomize, "build", dir.toString());
        }
        Path kubectl = onPath("kubectl");
        if (kubectl != null) {
            return List.of(kubectl.toString(), "kustomize", dir.toString());
        }
        Path standalone = onPath("kustomize");
        return standalone == null ? null : List.of(standalone.toString(), "build", dir.toString());
    }

    static String missingToolMessage() {
        return "Rendering deploy/k8s needs kubectl (Debian: apt-get install kubernetes-client; .ci/run installs it) "
                + "or kustomize on the PATH, or KUSTOMIZE=/path/to/kustomize";
    }

    /** The rendered YAML; an exception with the tool's own message when it refuses. */
    static String render(Path dir) throws IOException, InterruptedException {
        List<String> command = command(dir);
        if (command == null) {
            throw new IllegalStateException(missingToolMessage());
        }
        Path out = Files.createTempFile("kustomize", ".yaml");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took over 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
                        + "): " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
