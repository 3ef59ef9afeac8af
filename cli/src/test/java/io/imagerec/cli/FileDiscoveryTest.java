package io.imagerec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {

    private static Path file(Path p, int bytes) throws Exception {
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[bytes]);
    }

    private static List<String> shown(FileDiscovery.Result r, Path base) {
        return r.files().stream().map(f -> base.relativize(f.shown()).toString()).toList();
    }

    @Test
    void findsJpegAndPngByNameRecursivelyInAStableOrder(@TempDir Path dir) throws Exception {
        file(dir.resolve("b.jpg"), 10);
        file(dir.resolve("a/deep/er/c.JPEG"), 20);
        file(dir.resolve("a/d.Png"), 30);
        file(dir.resolve("a/notes.txt"), 5);
        file(dir.resolve("a/e.gif"), 5);
        file(dir.resolve("a/jpg"), 5);
        Files.createDirectories(dir.resolve("empty.jpg"));

        FileDiscovery.Result r = FileDiscovery.discover(List.of(dir));
        assertEquals(List.of("a/d.Png", "a/deep/er/c.JPEG", "b.jpg"), shown(r, dir));
        assertEquals(60, r.totalBytes());
        assertTrue(r.problems().isEmpty());
        FileDiscovery.Found c = r.files().get(1);
        assertEquals(20, c.size());
        assertEquals(Files.getLastModifiedTime(dir.resolve("a/deep/er/c.JPEG")).toMillis(), c.mtimeMillis());
        assertTrue(c.absolute().isAbsolute());
    }

    @Test
    void aFileNamedOnPurposeIsTakenAndOverlappingArgumentsListAFileOnce(@TempDir Path dir) throws Exception {
        Path named = file(dir.resolve("x/scan.bin"), 3);
        file(dir.resolve("x/y/z.jpg"), 4);
        FileDiscovery.Result r = FileDiscovery.discover(List.of(named, dir.resolve("x"), dir.resolve("x/y"),
                dir.resolve("x/y/z.jpg")));
        assertEquals(List.of("x/scan.bin", "x/y/z.jpg"), shown(r, dir));
    }

    @Test
    void directoryLinksAreNotFollowedSoACycleEndsButFileLinksAre(@TempDir Path dir) throws Exception {
        Path real = file(dir.resolve("real/a.jpg"), 7);
        Files.createSymbolicLink(dir.resolve("real/loop"), dir.resolve("real"));
        Path outside = file(dir.resolve("outside/b.png"), 8);
        Files.createSymbolicLink(dir.resolve("real/link.png"), outside);
        Files.createSymbolicLink(dir.resolve("real/broken.jpg"), dir.resolve("nowhere.jpg"));

        FileDiscovery.Result r = FileDiscovery.discover(List.of(dir.resolve("real")));
        assertEquals(List.of("real/a.jpg", "real/link.png"), shown(r, dir));
        assertEquals(8, r.files().get(1).size(), "the size of the file the link points to");
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).shown().endsWith("broken.jpg"));
        assertTrue(real.toFile().exists());
    }

    @Test
    void aMissingArgumentIsAnError(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> FileDiscovery.discover(List.of(dir.resolve("absent"))));
    }
}
