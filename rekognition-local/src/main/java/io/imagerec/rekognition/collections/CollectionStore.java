package io.imagerec.rekognition.collections;

import java.util.List;

import io.imagerec.rekognition.faces.FaceDescriptor;

/**
 * Where the engine keeps its face collections ({@code rekognition.collections.store}): on its own disk
 * ({@link FileCollectionStore}) or in PostgreSQL, shared by every replica ({@link PostgresCollectionStore}).
 * Ids are validated by {@link FaceCollections} before they get here.
 */
interface CollectionStore extends AutoCloseable {

    /** Creates an empty collection; ResourceAlreadyExistsException when the id is taken. */
    FaceCollection create(String id, FaceDescriptor descriptor);

    /** The collection, up to date with every change made before this call; ResourceNotFoundException when absent. */
    FaceCollection get(String id);

    /** Deletes the collection and its faces; ResourceNotFoundException when absent. */
    void delete(String id);

    /** Collection ids in order, after {@code after} when it is not null, at most {@code max}. */
    List<String> ids(String after, int max);

    /** The descriptor of a collection {@link #ids} listed, or null if it was deleted in the meantime. */
    FaceDescriptor descriptorOf(String id);

    @Override
    void close();
}
