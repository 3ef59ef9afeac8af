package io.imagerec.rekognition.collections;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * One face collection: its faces in memory for search, and on disk as {@code collection.properties}
 * (id, creation time, identity descriptor; a collection written before the descriptor was recorded
 * holds FaceRes vectors) and an append-only log ({@code faces.log}) of added and deleted faces, forced to disk before a call returns, so an indexed
 * face survives a crash or restart. A record torn by a crash mid-write is cut off when the log is
 * read back.
 */
public final class FaceCollection implements AutoCloseable {

    static final String LOG = "faces.log";
    static final String META = "collection.properties";
    private static final byte ADD = 1;
    private static final byte DELETE = 2;
    /** The descriptor model's name in collection.properties; absent in collections made before 2.0 (FaceRes). */
    static final String DESCRIPTOR = "descriptor";

    private final String id;
    private final long createdAt;
    private final FaceDescriptor descriptor;
    private final int dimensions;
    private final FileChannel log;
    private final FaceVectorIndex index;
    /** Faces by id, in id order for stable ListFaces paging. */
    private final NavigableMap<String, StoredFace> faces = new TreeMap<>();
    private final Map<UUID, Integer> slotOf = new HashMap<>();
    private final List<UUID> faceAt = new ArrayList<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    private FaceCollection(String id, long createdAt, FaceDescriptor descriptor, FileChannel log) {
        this.id = id;
        this.createdAt = createdAt;
        this.descriptor = descriptor;
        this.dimensions = descriptor.dimensions();
        this.log = log;
        this.index = new FaceVectorIndex(dimensions);
    }

    /** Writes a new, empty collection into {@code dir} and opens it. */
    static FaceCollection create(Path dir, String id, FaceDescriptor descriptor) throws IOException {
        Files.createDirectories(dir);
        // A log left by a deletion that a crash interrupted must not come back to life.
        Files.deleteIfExists(dir.resolve(LOG));
        Properties meta = new Properties();
        long now = System.currentTimeMillis();
        meta.setProperty("id", id);
        meta.setProperty("createdAt", Long.toString(now));
        meta.setProperty(DESCRIPTOR, descriptor.configName());
        Path tmp = dir.resolve(META + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            meta.store(out, "rekognition-local face collection");
        }
        Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE);
        return open(id, now, dir, descriptor);
    }

    /** Opens the collection stored in {@code dir}. */
    static FaceCollection openExisting(Path dir) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(META))) {
            meta.load(in);
        }
        FaceDescriptor descriptor = FaceDescriptor.fromConfig(meta.getProperty(DESCRIPTOR, "faceres"));
        return open(meta.getProperty("id"), Long.parseLong(meta.getProperty("createdAt")), dir, descriptor);
    }

    /** Opens (creating if needed) the log in {@code dir} and replays it. */
    static FaceCollection open(String id, long createdAt, Path dir, FaceDescriptor descriptor) throws IOException {
        Path file = dir.resolve(LOG);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FaceCollection collection = new FaceCollection(id, createdAt, descriptor, channel);
        long valid = collection.replay(file);
        if (valid < channel.size()) {
            channel.truncate(valid);
        }
        channel.position(valid);
        return collection;
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

    void add(List<NewFace> added) {
        lock.writeLock().lock();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            List<byte[]> quantized = new ArrayList<>();
            float[] scales = new float[added.size()];
            for (int i = 0; i < added.size(); i++) {
                byte[] q = new byte[dimensions];
                scales[i] = FaceVectorIndex.quantize(added.get(i).descriptor(), q);
                quantized.add(q);
                writeAdd(out, added.get(i).face(), scales[i], q);
            }
            append(bytes.toByteArray());
            for (int i = 0; i < added.size(); i++) {
                put(added.get(i).face(), quantized.get(i), scales[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to collection " + id + ": " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes the faces that exist and returns their ids. */
    List<UUID> delete(List<UUID> faceIds) {
        lock.writeLock().lock();
        try {
            List<UUID> deleted = new ArrayList<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            for (UUID faceId : faceIds) {
                if (slotOf.containsKey(faceId) && !deleted.contains(faceId)) {
                    out.writeByte(DELETE);
                    out.writeLong(faceId.getMostSignificantBits());
                    out.writeLong(faceId.getLeastSignificantBits());
                    deleted.add(faceId);
                }
            }
            if (!deleted.isEmpty()) {
                append(bytes.toByteArray());
                deleted.forEach(this::remove);
            }
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to collection " + id + ": " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Up to {@code max} faces in id order, after {@code afterFaceId} when it is not null. */
    List<StoredFace> list(String afterFaceId, int max) {
        lock.readLock().lock();
        try {
            var view = afterFaceId == null ? faces : faces.tailMap(afterFaceId, false);
            List<StoredFace> out = new ArrayList<>();
            for (StoredFace f : view.values()) {
                if (out.size() == max) {
                    break;
                }
                out.add(f);
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

    private void put(StoredFace face, byte[] quantized, float scale) {
        int slot = index.addQuantized(quantized, scale);
        faceAt.add(face.faceId());
        slotOf.put(face.faceId(), slot);
        faces.put(face.faceId().toString(), face);
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

    private void append(byte[] records) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(records);
        while (buffer.hasRemaining()) {
            log.write(buffer);
        }
        log.force(false);
    }

    private static void writeAdd(DataOutputStream out, StoredFace f, float scale, byte[] quantized) throws IOException {
        out.writeByte(ADD);
        out.writeLong(f.faceId().getMostSignificantBits());
        out.writeLong(f.faceId().getLeastSignificantBits());
        out.writeLong(f.imageId().getMostSignificantBits());
        out.writeLong(f.imageId().getLeastSignificantBits());
        out.writeBoolean(f.externalImageId() != null);
        out.writeUTF(f.externalImageId() == null ? "" : f.externalImageId());
        out.writeFloat(f.boundingBox().width());
        out.writeFloat(f.boundingBox().height());
        out.writeFloat(f.boundingBox().left());
        out.writeFloat(f.boundingBox().top());
        out.writeFloat(f.confidence());
        out.writeLong(f.indexedAt());
        out.writeFloat(scale);
        out.write(quantized);
    }

    /** Replays the log into memory and returns the length of its whole records. */
    private long replay(Path file) throws IOException {
        long valid = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             CountingInput counted = new CountingInput(raw);
             DataInputStream in = new DataInputStream(counted)) {
            while (true) {
                int op = in.read();
                if (op < 0) {
                    break;
                }
                try {
                    if (op == ADD) {
                        UUID faceId = new UUID(in.readLong(), in.readLong());
                        UUID imageId = new UUID(in.readLong(), in.readLong());
                        boolean hasExternal = in.readBoolean();
                        String external = in.readUTF();
                        BoundingBox box = new BoundingBox(in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat());
                        float confidence = in.readFloat();
                        long indexedAt = in.readLong();
                        float scale = in.readFloat();
                        byte[] q = new byte[dimensions];
                        in.readFully(q);
                        put(new StoredFace(faceId, imageId, hasExternal ? external : null, box, confidence, indexedAt),
                                q, scale);
                    } else if (op == DELETE) {
                        UUID faceId = new UUID(in.readLong(), in.readLong());
                        if (slotOf.containsKey(faceId)) {
                            remove(faceId);
                        }
                    } else {
                        throw new IOException("collection " + id + ": unknown record type " + op + " at byte " + valid);
                    }
                } catch (EOFException torn) {
                    break;
                }
                valid = counted.count;
            }
        }
        return valid;
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    /** Counts the bytes read through it, to find where the last whole record ends. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
