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
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * A face collection on this engine's disk ({@code rekognition.collections.store=file}):
 * {@code collection.properties} (id, creation time, identity descriptor; a collection written before
 * the descriptor was recorded holds FaceRes vectors) and an append-only log ({@code faces.log}) of
 * added and deleted faces, forced to disk before a call returns, so an indexed face survives a crash
 * or restart. A record torn by a crash mid-write is cut off when the log is read back.
 */
final class FileFaceCollection extends FaceCollection {

    static final String LOG = "faces.log";
    static final String META = "collection.properties";
    private static final byte ADD = 1;
    private static final byte DELETE = 2;
    /** The descriptor model's name in collection.properties; absent in collections made before 2.0 (FaceRes). */
    static final String DESCRIPTOR = "descriptor";

    private final FileChannel log;

    private FileFaceCollection(String id, long createdAt, FaceDescriptor descriptor, FileChannel log) {
        super(id, createdAt, descriptor);
        this.log = log;
    }

    /** Writes a new, empty collection into {@code dir} and opens it. */
    static FileFaceCollection create(Path dir, String id, FaceDescriptor descriptor) throws IOException {
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
    static FileFaceCollection openExisting(Path dir) throws IOException {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(META))) {
            meta.load(in);
        }
        FaceDescriptor descriptor = FaceDescriptor.fromConfig(meta.getProperty(DESCRIPTOR, "faceres"));
        return open(meta.getProperty("id"), Long.parseLong(meta.getProperty("createdAt")), dir, descriptor);
    }

    /** Opens (creating if needed) the log in {@code dir} and replays it. */
    static FileFaceCollection open(String id, long createdAt, Path dir, FaceDescriptor descriptor) throws IOException {
        Path file = dir.resolve(LOG);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileFaceCollection collection = new FileFaceCollection(id, createdAt, descriptor, channel);
        long valid = collection.replay(file);
        if (valid < channel.size()) {
            channel.truncate(valid);
        }
        channel.position(valid);
        return collection;
    }

    @Override
    protected synchronized void store(List<QuantizedFace> added) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            for (QuantizedFace f : added) {
                writeAdd(out, f);
            }
            append(bytes.toByteArray());
            apply(added, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to collection " + id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    synchronized List<UUID> delete(List<UUID> faceIds) {
        try {
            List<UUID> deleted = new ArrayList<>();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            for (UUID faceId : faceIds) {
                if (contains(faceId) && !deleted.contains(faceId)) {
                    out.writeByte(DELETE);
                    out.writeLong(faceId.getMostSignificantBits());
                    out.writeLong(faceId.getLeastSignificantBits());
                    deleted.add(faceId);
                }
            }
            if (!deleted.isEmpty()) {
                append(bytes.toByteArray());
                apply(List.of(), deleted);
            }
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to collection " + id() + ": " + e.getMessage(), e);
        }
    }

    private void append(byte[] records) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(records);
        while (buffer.hasRemaining()) {
            log.write(buffer);
        }
        log.force(false);
    }

    private static void writeAdd(DataOutputStream out, QuantizedFace q) throws IOException {
        StoredFace f = q.face();
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
        out.writeFloat(q.scale());
        out.write(q.vector());
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
                        byte[] q = new byte[dimensions()];
                        in.readFully(q);
                        apply(List.of(new QuantizedFace(new StoredFace(faceId, imageId, hasExternal ? external : null,
                                box, confidence, indexedAt), q, scale)), List.of());
                    } else if (op == DELETE) {
                        apply(List.of(), List.of(new UUID(in.readLong(), in.readLong())));
                    } else {
                        throw new IOException("collection " + id() + ": unknown record type " + op + " at byte " + valid);
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
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close collection " + id() + ": " + e.getMessage(), e);
        }
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
