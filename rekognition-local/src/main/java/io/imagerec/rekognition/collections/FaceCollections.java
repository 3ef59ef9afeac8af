package io.imagerec.rekognition.collections;

import java.nio.file.Path;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.config.EngineConfig;
import io.imagerec.rekognition.faces.FaceDescriptor;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Startup;

/**
 * Every face collection, in the store {@code rekognition.collections.store} names: {@code file} (this
 * engine's disk, loaded when it starts) or {@code postgresql} (shared by every engine pointed at the
 * database; each keeps a cache it brings up to date before a read).
 */
@Startup
@ApplicationScoped
public class FaceCollections {

    private static final Logger LOG = Logger.getLogger(FaceCollections.class);
    private final FaceDescriptor descriptor;
    private final CollectionStore store;

    public FaceCollections(EngineConfig config, InjectableInstance<AgroalDataSource> database) {
        this.descriptor = FaceDescriptor.fromConfig(config.faces().descriptor());
        this.store = switch (config.collections().store()) {
            case FILE -> new FileCollectionStore(Path.of(config.faces().collectionsDir()));
            case POSTGRESQL -> new PostgresCollectionStore(database.get());
        };
        LOG.infof("Face collections in %s", config.collections().store().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Creates a collection that holds descriptors of the configured model ({@code rekognition.faces.descriptor}). */
    public FaceCollection create(String id) {
        validate(id);
        return store.create(id, descriptor);
    }

    public FaceCollection get(String id) {
        validate(id);
        return store.get(id);
    }

    public void delete(String id) {
        validate(id);
        store.delete(id);
    }

    /** The descriptor of a listed collection (the configured one if it was deleted in the meantime). */
    public FaceDescriptor descriptorOf(String id) {
        FaceDescriptor d = store.descriptorOf(id);
        return d == null ? descriptor : d;
    }

    /** The descriptor new collections are created with. */
    public FaceDescriptor descriptor() {
        return descriptor;
    }

    /** Collection ids in order, after {@code after} when it is not null, at most {@code max}. */
    public List<String> ids(String after, int max) {
        return store.ids(after, max);
    }

    /** Rekognition's CollectionId pattern; "." and ".." are refused too, as the file store could not name them. */
    static void validate(String id) {
        if (id == null || !CollectionShapes.COLLECTION_ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw RekognitionException.invalidParameter(
                    "CollectionId must be 1-255 characters of letters, digits, '_', '.' and '-'");
        }
    }

    static RekognitionException notFound(String id) {
        return RekognitionException.resourceNotFound("The collection id: " + id + " does not exist");
    }

    @PreDestroy
    void close() {
        store.close();
    }
}
