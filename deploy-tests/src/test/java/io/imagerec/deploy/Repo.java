package io.imagerec.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository this module checks: its root, and the files under it. */
final class Repo {

    private Repo() {
    }

    /** The repository's root: {@code repo.root} (set by the build), else the parent of this module. */
    static Path root() {
        String configured = System.getProperty("repo.root");
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("deploy"))) {
            throw new IllegalStateException("Not the repository root (no pom.xml and deploy/): " + root);
        }
        return root.toAbsolutePath().normalize();
    }

    static Path path(String relative) {
        return root().resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Regular files under {@code dir} whose names end with one of {@code suffixes}, in a stable order. */
    static List<Path> files(Path dir, String... suffixes) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().indexOf("/node_modules/") < 0)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The compose file at the root, if there is one. */
    static Path composeFile() {
        for (String name : List.of("docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml")) {
            Path file = path(name);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
