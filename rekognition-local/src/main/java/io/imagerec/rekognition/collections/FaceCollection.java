package io.imagerec.rekognition.collections;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.faces.FaceDescriptor;

/**
 * One face collection as the engine searches it: its faces and their quantized descriptors in memory
 * ({@link FaceVectorIndex}). Where the faces are kept durably is the subclass's: a log on this
 * engine's disk ({@link FileFaceCollection}) or PostgreSQL, shared by every replica
 * ({@link PostgresCollectionStore}), for which this is a cache brought up to date before each read.
 */
public abstract class FaceCollection implements AutoCloseable {

    private final String id;
    private final long createdAt;
    private final FaceDescriptor descriptor;
    private final int dimensions;
    private final FaceVectorIndex index;
    /** Faces by id, in id order for stable ListFaces paging. */
    private final NavigableMap<String, StoredFace> faces = new TreeMap<>();
    private final Map<UUID, Integer> slotOf = new HashMap<>();
    private final List<UUID> faceAt = new ArrayList<>();
    /** Faces associated with a user, and each user's faces. */
    private final Map<UUID, String> userOf = new HashMap<>();
    private final Map<String, Set<UUID>> facesOf = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    protected FaceCollection(String id, long createdAt, FaceDescriptor descriptor) {
        this.id = id;
        this.createdAt = createdAt;
        this.descriptor = descriptor;
        this.dimensions = descriptor.dimensions();
        this.index = new FaceVectorIndex(dimensions);
    }

    String id() {
        return id;
    }

    long createdAt() {
        return createdAt;
    }

    /** The model whose vectors this collection holds: its faces are searched only with that model's. */
    public FaceDescriptor descriptor() {
        return descriptor;
    }

    int dimensions() {
        return dimensions;
    }

    int faceCount() {
        lock.readLock().lock();
        try {
            return faces.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A face to add with its unit-length descriptor. */
    record NewFace(StoredFace face, float[] descriptor) {
    }

    /**
     * A face with its descriptor as stored: signed bytes and their scale ({@link FaceVectorIndex#quantize}),
     * and the user it is associated with, or null.
     */
    record QuantizedFace(StoredFace face, byte[] vector, float scale, String userId) {

        QuantizedFace(StoredFace face, byte[] vector, float scale) {
            this(face, vector, scale, null);
        }
    }

    /** Stores the faces durably, then makes them searchable here. */
    void add(List<NewFace> added) {
        List<QuantizedFace> quantized = new ArrayList<>(added.size());
        for (NewFace f : added) {
            byte[] q = new byte[dimensions];
            float scale = FaceVectorIndex.quantize(f.descriptor(), q);
            quantized.add(new QuantizedFace(f.face(), q, scale));
        }
        store(quantized);
    }

    /** Makes the faces durable and applies them ({@link #apply}). */
    protected abstract void store(List<QuantizedFace> faces);

    /** Deletes the faces that exist, durably, and returns their ids. */
    abstract List<UUID> delete(List<UUID> faceIds);

    /**
     * Applies added and deleted faces to the in-memory index; of an added face already held, only its user
     * is taken (an association changed).
     */
    protected final void apply(Collection<QuantizedFace> added, Collection<UUID> deleted) {
        lock.writeLock().lock();
        try {
            for (QuantizedFace f : added) {
                if (!slotOf.containsKey(f.face().faceId())) {
                    put(f);
                }
                associate(f.face().faceId(), f.userId());
            }
            for (UUID faceId : deleted) {
                if (slotOf.containsKey(faceId)) {
                    remove(faceId);
                    associate(faceId, null);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the face is held here. */
    protected final boolean contains(UUID faceId) {
        lock.readLock().lock();
        try {
            return slotOf.containsKey(faceId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Up to {@code max} faces in id order, after {@code afterFaceId} when it is not null. */
    List<StoredFace> list(String afterFaceId, int max) {
        return list(afterFaceId, max, null);
    }

    /** As {@link #list(String, int)}, only faces associated with {@code userId} when it is not null. */
    List<StoredFace> list(String afterFaceId, int max, String userId) {
        lock.readLock().lock();
        try {
            var view = afterFaceId == null ? faces : faces.tailMap(afterFaceId, false);
            List<StoredFace> out = new ArrayList<>();
            for (StoredFace f : view.values()) {
                if (out.size() == max) {
                    break;
                }
                if (userId == null || userId.equals(userOf.get(f.faceId()))) {
                    out.add(f);
                }
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    StoredFace get(UUID faceId) {
        lock.readLock().lock();
        try {
            return faces.get(faceId.toString());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A search hit: the stored face and its cosine with the query. */
    record Match(StoredFace face, float cosine) {
    }

    List<Match> search(float[] query, double minCosine, int limit, UUID exclude) {
        lock.readLock().lock();
        try {
            int excludeSlot = exclude == null ? -1 : slotOf.getOrDefault(exclude, -1);
            List<Match> out = new ArrayList<>();
            for (FaceVectorIndex.Hit hit : index.search(query, minCosine, limit, excludeSlot)) {
                out.add(new Match(faces.get(faceAt.get(hit.slot()).toString()), hit.cosine()));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The stored descriptor of a face (as quantized), or null when the face is not in the collection. */
    float[] descriptor(UUID faceId) {
        lock.readLock().lock();
        try {
            Integer slot = slotOf.get(faceId);
            return slot == null ? null : index.vector(slot);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The user a face is associated with, or null. */
    String userOf(UUID faceId) {
        lock.readLock().lock();
        try {
            return userOf.get(faceId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The faces associated with a user, as this engine last caught up with them. */
    Set<UUID> facesOf(String userId) {
        lock.readLock().lock();
        try {
            return Set.copyOf(facesOf.getOrDefault(userId, Set.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The users whose faces are most like {@code query}: each user's similarity is that of its most similar
     * face; at least {@code minCosine}, best first, at most {@code limit}, leaving out {@code excludeUser}.
     */
    List<UserMatch> searchUsers(float[] query, double minCosine, int limit, String excludeUser) {
        lock.readLock().lock();
        try {
            Map<String, Float> best = new java.util.LinkedHashMap<>();
            for (FaceVectorIndex.Hit hit : index.search(query, minCosine, Integer.MAX_VALUE, -1)) {
                String user = userOf.get(faceAt.get(hit.slot()));
                if (user != null && !user.equals(excludeUser)) {
                    best.merge(user, hit.cosine(), Math::max);
                }
            }
            return best.entrySet().stream().map(e -> new UserMatch(e.getKey(), e.getValue()))
                    .sorted((a, b) -> Float.compare(b.cosine(), a.cosine())).limit(limit).toList();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A user found by a search and its cosine. */
    record UserMatch(String userId, float cosine) {
    }

    /** How many users the collection has (DescribeCollection's UserCount). */
    long userCount() {
        return 0;
    }

    /** The users of this collection; only the PostgreSQL store keeps users. */
    FaceUsers users() {
        throw RekognitionException.invalidParameter("Users (CreateUser, AssociateFaces, SearchUsers, ...) need "
                + "rekognition.collections.store=postgresql; this engine keeps its collections in files");
    }

    private void associate(UUID faceId, String userId) {
        String old = userId == null ? userOf.remove(faceId) : userOf.put(faceId, userId);
        if (old != null && !old.equals(userId)) {
            Set<UUID> of = facesOf.get(old);
            of.remove(faceId);
            if (of.isEmpty()) {
                facesOf.remove(old);
            }
        }
        if (userId != null) {
            facesOf.computeIfAbsent(userId, u -> new java.util.HashSet<>()).add(faceId);
        }
    }

    private void put(QuantizedFace f) {
        int slot = index.addQuantized(f.vector(), f.scale());
        faceAt.add(f.face().faceId());
        slotOf.put(f.face().faceId(), slot);
        faces.put(f.face().faceId().toString(), f.face());
    }

    private void remove(UUID faceId) {
        int slot = slotOf.remove(faceId);
        int moved = index.removeBySwap(slot);
        UUID movedFace = faceAt.remove(moved);
        if (moved != slot) {
            faceAt.set(slot, movedFace);
            slotOf.put(movedFace, slot);
        }
        faces.remove(faceId.toString());
    }

    @Override
    public void close() {
    }
}
