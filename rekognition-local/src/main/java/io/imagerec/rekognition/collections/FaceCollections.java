package io.imagerec.rekognition.collections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.config.EngineConfig;
import io.imagerec.rekognition.faces.FaceDescriptor;
import io.quarkus.runtime.Startup;

/**
 * Every face collection, each in its own directory under {@code rekognition.faces.collections-dir}
 * ({@code collection.properties} plus the face log), loaded when the engine starts.
 */
@Startup
@ApplicationScoped
public class FaceCollections {

    private static final Logger LOG = Logger.getLogger(FaceCollections.class);
    /** Rekognition's CollectionId pattern; "." and ".." are refused too, as they are not directory names. */
    private static final Pattern COLLECTION_ID = Pattern.compile("[a-zA-Z0-9_.\\-]{1,255}");
    private final Path root;
    private final FaceDescriptor descriptor;
    private final ConcurrentSkipListMap<String, FaceCollection> collections = new ConcurrentSkipListMap<>();

    public FaceCollections(EngineConfig config) {
        this.root = Path.of(config.faces().collectionsDir()).toAbsolutePath().normalize();
        this.descriptor = FaceDescriptor.fromConfig(config.faces().descriptor());
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(FaceCollection.META))).toList()) {
                    FaceCollection c = FaceCollection.openExisting(dir);
                    collections.put(c.id(), c);
                    LOG.infof("Loaded face collection %s (%d faces, %s descriptors)", c.id(), c.faceCount(),
                            c.descriptor().configName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the face collections in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Creates a collection that holds descriptors of the configured model ({@code rekognition.faces.descriptor}). */
    public synchronized FaceCollection create(String id) {
        validate(id);
        if (collections.containsKey(id)) {
            throw RekognitionException.resourceAlreadyExists("The collection " + id + " already exists");
        }
        try {
            FaceCollection c = FaceCollection.create(root.resolve(id), id, descriptor);
            collections.put(id, c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create collection " + id + ": " + e.getMessage(), e);
        }
    }

    public FaceCollection get(String id) {
        validate(id);
        FaceCollection c = collections.get(id);
        if (c == null) {
            throw RekognitionException.resourceNotFound("The collection id: " + id + " does not exist");
        }
        return c;
    }

    public synchronized void delete(String id) {
        FaceCollection c = get(id);
        collections.remove(id);
        Path dir = root.resolve(id);
        try {
            c.close();
            // The metadata goes first: a crash part-way leaves a directory that is no longer loaded.
            Files.deleteIfExists(dir.resolve(FaceCollection.META));
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete collection " + id + ": " + e.getMessage(), e);
        }
    }

    /** Collection ids in order, after {@code after} when it is not null, at most {@code max}. */
    /** The descriptor of a listed collection (the configured one if it was deleted in the meantime). */
    public FaceDescriptor descriptorOf(String id) {
        FaceCollection c = collections.get(id);
        return c == null ? descriptor : c.descriptor();
    }

    /** The descriptor new collections are created with. */
    public FaceDescriptor descriptor() {
        return descriptor;
    }

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

    static void validate(String id) {
        if (id == null || !COLLECTION_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw RekognitionException.invalidParameter(
                    "CollectionId must be 1-255 characters of letters, digits, '_', '.' and '-'");
        }
    }

    @PreDestroy
    void close() throws IOException {
        for (FaceCollection c : collections.values()) {
            c.close();
        }
    }
}
