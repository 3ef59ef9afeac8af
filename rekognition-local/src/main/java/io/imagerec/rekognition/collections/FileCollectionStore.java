package io.imagerec.rekognition.collections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.faces.FaceDescriptor;

/**
 * Every face collection on this engine's disk, each in its own directory under
 * {@code rekognition.faces.collections-dir} ({@code collection.properties} plus the face log), loaded
 * when the engine starts. One engine only: a second engine on the same directory would not see the
 * first one's changes (that is what the PostgreSQL store is for).
 */
final class FileCollectionStore implements CollectionStore {

    private static final Logger LOG = Logger.getLogger(FileCollectionStore.class);
    private final Path root;
    private final ConcurrentSkipListMap<String, FileFaceCollection> collections = new ConcurrentSkipListMap<>();

    FileCollectionStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
            try (Stream<Path> dirs = Files.list(this.root)) {
                for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(FileFaceCollection.META))).toList()) {
                    FileFaceCollection c = FileFaceCollection.openExisting(dir);
                    collections.put(c.id(), c);
                    LOG.infof("Loaded face collection %s (%d faces, %s descriptors)", c.id(), c.faceCount(),
                            c.descriptor().configName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the face collections in " + this.root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized FaceCollection create(String id, FaceDescriptor descriptor) {
        if (collections.containsKey(id)) {
            throw RekognitionException.resourceAlreadyExists("The collection " + id + " already exists");
        }
        try {
            FileFaceCollection c = FileFaceCollection.create(root.resolve(id), id, descriptor);
            collections.put(id, c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create collection " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public FaceCollection get(String id) {
        FaceCollection c = collections.get(id);
        if (c == null) {
            throw FaceCollections.notFound(id);
        }
        return c;
    }

    @Override
    public synchronized void delete(String id) {
        FaceCollection c = get(id);
        collections.remove(id);
        Path dir = root.resolve(id);
        try {
            c.close();
            // The metadata goes first: a crash part-way leaves a directory that is no longer loaded.
            Files.deleteIfExists(dir.resolve(FileFaceCollection.META));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete collection " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> ids(String after, int max) {
        var view = after == null ? collections : collections.tailMap(after, false);
        List<String> out = new ArrayList<>();
        for (String id : view.keySet()) {
            if (out.size() == max) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    @Override
    public FaceDescriptor descriptorOf(String id) {
        FaceCollection c = collections.get(id);
        return c == null ? null : c.descriptor();
    }

    @Override
    public void close() {
        collections.values().forEach(FaceCollection::close);
    }
}
