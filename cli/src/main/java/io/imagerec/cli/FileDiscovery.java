package io.imagerec.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the images to upload: every JPEG or PNG (by file name) under the given directories,
 * recursively, and any file named directly. Directory links are not followed (no cycles); links to
 * files are. A file reached twice (overlapping arguments) is listed once. The order is stable: by
 * argument, then by path within it.
 */
final class FileDiscovery {

    /** One image found; {@code shown} is the path as the user named it, {@code absolute} identifies it. */
    record Found(Path shown, Path absolute, long size, long mtimeMillis) {
    }

    /** A path that could not be read while looking. */
    record Problem(Path shown, String message) {
    }

    record Result(List<Found> files, List<Problem> problems) {
        long totalBytes() {
            return files.stream().mapToLong(Found::size).sum();
        }
    }

    private FileDiscovery() {
    }

    static boolean isImageName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    /** @throws NoSuchFileException when an argument does not exist (a usage error, not a per-file one) */
    static Result discover(List<Path> arguments) throws IOException {
        List<Found> files = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path argument : arguments) {
            if (!Files.exists(argument)) {
                throw new NoSuchFileException(argument.toString());
            }
            if (!Files.isDirectory(argument)) {
                // Named on purpose: taken whatever its name; the server says whether it is an image.
                add(argument, Files.readAttributes(argument, BasicFileAttributes.class), files, seen);
                continue;
            }
            List<Found> here = new ArrayList<>();
            Files.walkFileTree(argument, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!isImageName(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    BasicFileAttributes target = attrs;
                    if (attrs.isSymbolicLink()) {
                        try {
                            target = Files.readAttributes(file, BasicFileAttributes.class);
                        } catch (IOException e) {
                            problems.add(new Problem(file, "broken link: " + e.getMessage()));
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (target.isRegularFile()) {
                        add(file, target, here, seen);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    problems.add(new Problem(file, "cannot read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
            here.sort((a, b) -> a.shown().toString().compareTo(b.shown().toString()));
            files.addAll(here);
        }
        return new Result(files, problems);
    }

    private static void add(Path file, BasicFileAttributes attrs, List<Found> into, Set<Path> seen)
            throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path identity = absolute;
        try {
            identity = file.toRealPath();
        } catch (IOException e) {
            // Unresolvable: the normalized path identifies it well enough.
        }
        if (seen.add(identity)) {
            into.add(new Found(file, absolute, attrs.size(), attrs.lastModifiedTime().toMillis()));
        }
    }
}
