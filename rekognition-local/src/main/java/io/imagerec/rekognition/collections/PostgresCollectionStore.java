package io.imagerec.rekognition.collections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.faces.FaceDescriptor;
import io.imagerec.rekognition.shape.BoundingBox;

/**
 * Face collections in PostgreSQL (schema {@code rekognition}, see {@code db/rekognition}), shared by every
 * engine pointed at the database: what one engine indexes or deletes, another answers on its next call.
 *
 * <p>The database is the truth. Each engine keeps a {@link FaceCollection} per collection as a cache for
 * search, loaded with one bulk SELECT on first use (no log is replayed). Before a read, {@link #get}
 * reads the collection's row (one primary-key lookup): a different {@code version} means the collection
 * was deleted and created again, so the cache is loaded afresh; a higher {@code last_seq} means changes
 * to fetch, which one query returns (faces and deletions stamped with a later sequence number). Writes
 * commit to the database first, in a transaction that takes the next sequence number under the
 * collection row's lock, so writers on several engines are serialized per collection and committed
 * numbers have no gaps a reader could skip past.
 */
final class PostgresCollectionStore implements CollectionStore {

    private static final Logger LOG = Logger.getLogger(PostgresCollectionStore.class);
    static final String FACE_COLUMNS = "face_id, image_id, external_image_id, box_width, box_height, box_left, "
            + "box_top, confidence, indexed_at, vector_scale, vector, user_id";

    private final DataSource database;
    /** The collections this engine has used, by id. */
    private final Map<String, PostgresFaceCollection> cache = new ConcurrentHashMap<>();
    /** Descriptors of the collections ListCollections last listed. */
    private final Map<String, FaceDescriptor> listed = new ConcurrentHashMap<>();

    PostgresCollectionStore(DataSource database) {
        this.database = database;
    }

    /** A collection's row. */
    private record Row(String id, long version, long createdAt, FaceDescriptor descriptor, long lastSeq) {
    }

    @Override
    public FaceCollection create(String id, FaceDescriptor descriptor) {
        long now = System.currentTimeMillis();
        try (Connection c = database.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO rekognition.collections (id, created_at, descriptor) "
                     + "VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING version")) {
            insert.setString(1, id);
            insert.setLong(2, now);
            insert.setString(3, descriptor.configName());
            try (ResultSet rs = insert.executeQuery()) {
                if (!rs.next()) {
                    throw RekognitionException.resourceAlreadyExists("The collection " + id + " already exists");
                }
                PostgresFaceCollection created = new PostgresFaceCollection(new Row(id, rs.getLong(1), now, descriptor, 0));
                cache.put(id, created);
                return created;
            }
        } catch (SQLException e) {
            throw failed("create collection " + id, e);
        }
    }

    @Override
    public FaceCollection get(String id) {
        Row row = row(id);
        if (row == null) {
            cache.remove(id);
            throw FaceCollections.notFound(id);
        }
        PostgresFaceCollection c = cache.compute(id, (k, held) -> held != null && held.version == row.version()
                ? held : load(row));
        c.catchUp(row.lastSeq());
        return c;
    }

    @Override
    public void delete(String id) {
        try (Connection c = database.getConnection();
             PreparedStatement delete = c.prepareStatement("DELETE FROM rekognition.collections WHERE id = ?")) {
            delete.setString(1, id);
            if (delete.executeUpdate() == 0) {
                throw FaceCollections.notFound(id);
            }
        } catch (SQLException e) {
            throw failed("delete collection " + id, e);
        } finally {
            cache.remove(id);
        }
    }

    @Override
    public List<String> ids(String after, int max) {
        try (Connection c = database.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT id, descriptor FROM rekognition.collections "
                     + "WHERE id > ? ORDER BY id LIMIT ?")) {
            select.setString(1, after == null ? "" : after);
            select.setInt(2, max);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    listed.put(rs.getString(1), FaceDescriptor.fromConfig(rs.getString(2)));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw failed("list collections", e);
        }
    }

    @Override
    public FaceDescriptor descriptorOf(String id) {
        return listed.get(id);
    }

    @Override
    public void close() {
        cache.clear();
    }

    /** The collection's row, or null. */
    private Row row(String id) {
        try (Connection c = database.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT version, created_at, descriptor, last_seq "
                     + "FROM rekognition.collections WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new Row(id, rs.getLong(1), rs.getLong(2), FaceDescriptor.fromConfig(rs.getString(3)),
                        rs.getLong(4)) : null;
            }
        } catch (SQLException e) {
            throw failed("read collection " + id, e);
        }
    }

    /** Every face of the collection in one consistent snapshot, and the sequence number it is at. */
    private PostgresFaceCollection load(Row row) {
        long started = System.nanoTime();
        PostgresFaceCollection collection = new PostgresFaceCollection(row);
        try (Connection c = database.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long seq;
                try (PreparedStatement select = c.prepareStatement(
                        "SELECT last_seq FROM rekognition.collections WHERE version = ?")) {
                    select.setLong(1, row.version());
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next()) {
                            // Deleted since the row was read: not found, rather than an empty collection that never
                            // was. compute() keeps what the cache held.
                            throw FaceCollections.notFound(row.id());
                        }
                        seq = rs.getLong(1);
                    }
                }
                try (PreparedStatement select = c.prepareStatement("SELECT " + FACE_COLUMNS
                        + " FROM rekognition.faces WHERE collection_version = ?")) {
                    select.setLong(1, row.version());
                    select.setFetchSize(10_000);
                    List<FaceCollection.QuantizedFace> batch = new ArrayList<>();
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            batch.add(face(rs, 1));
                            if (batch.size() == 10_000) {
                                collection.applyLoaded(batch);
                                batch.clear();
                            }
                        }
                    }
                    collection.applyLoaded(batch);
                }
                c.commit();
                collection.seq = seq;
            } finally {
                // Back as the pool handed it out.
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failed("load collection " + row.id(), e);
        }
        LOG.infof("Loaded face collection %s from the database: %d faces in %d ms", row.id(), collection.faceCount(),
                (System.nanoTime() - started) / 1_000_000);
        return collection;
    }

    private static FaceCollection.QuantizedFace face(ResultSet rs, int from) throws SQLException {
        StoredFace face = new StoredFace(rs.getObject(from, UUID.class), rs.getObject(from + 1, UUID.class),
                rs.getString(from + 2), new BoundingBox(rs.getFloat(from + 3), rs.getFloat(from + 4),
                rs.getFloat(from + 5), rs.getFloat(from + 6)), rs.getFloat(from + 7), rs.getLong(from + 8));
        return new FaceCollection.QuantizedFace(face, rs.getBytes(from + 10), rs.getFloat(from + 9), rs.getString(from + 11));
    }

    static RuntimeException failed(String what, SQLException e) {
        return new IllegalStateException("Cannot " + what + " in the database: " + e.getMessage(), e);
    }

    /** A collection's faces cached in this engine, at the change sequence number {@link #seq}. */
    final class PostgresFaceCollection extends FaceCollection {

        final long version;
        /** The last change applied here; guarded by {@code this}. */
        long seq;
        private final PostgresFaceUsers users = new PostgresFaceUsers(database, this);

        PostgresFaceCollection(Row row) {
            super(row.id(), row.createdAt(), row.descriptor());
            this.version = row.version();
            this.seq = row.lastSeq();
        }

        @Override
        FaceUsers users() {
            return users;
        }

        @Override
        long userCount() {
            return users.count();
        }

        void applyLoaded(List<QuantizedFace> faces) {
            apply(faces, List.of());
        }

        /** Applies the changes committed after {@link #seq}, when the database is at {@code lastSeq}. */
        synchronized void catchUp(long lastSeq) {
            if (lastSeq <= seq) {
                return;
            }
            List<QuantizedFace> added = new ArrayList<>();
            List<UUID> deleted = new ArrayList<>();
            long newest = seq;
            // One statement, one snapshot: every change numbered up to the newest it returns.
            try (Connection c = database.getConnection();
                 PreparedStatement select = c.prepareStatement("SELECT seq, " + FACE_COLUMNS
                         + " FROM rekognition.faces WHERE collection_version = ? AND seq > ? UNION ALL "
                         + "SELECT seq, face_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
                         + "FROM rekognition.deleted_faces WHERE collection_version = ? AND seq > ?")) {
                select.setLong(1, version);
                select.setLong(2, seq);
                select.setLong(3, version);
                select.setLong(4, seq);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        newest = Math.max(newest, rs.getLong(1));
                        if (rs.getBytes(12) == null) {
                            deleted.add(rs.getObject(2, UUID.class));
                        } else {
                            added.add(face(rs, 2));
                        }
                    }
                }
            } catch (SQLException e) {
                throw failed("read the changes of collection " + id(), e);
            }
            // A face added and deleted since the last catch-up has only its deletion left: applied after the additions.
            apply(added, deleted);
            seq = Math.max(newest, lastSeq);
        }

        @Override
        protected void store(List<QuantizedFace> faces) {
            long committed = write(c -> {
                long seq = nextSeq(c, faces.size());
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO rekognition.faces (collection_version, seq, "
                        + FACE_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
                    for (QuantizedFace q : faces) {
                        StoredFace f = q.face();
                        insert.setLong(1, version);
                        insert.setLong(2, seq);
                        insert.setObject(3, f.faceId());
                        insert.setObject(4, f.imageId());
                        insert.setString(5, f.externalImageId());
                        insert.setFloat(6, f.boundingBox().width());
                        insert.setFloat(7, f.boundingBox().height());
                        insert.setFloat(8, f.boundingBox().left());
                        insert.setFloat(9, f.boundingBox().top());
                        insert.setFloat(10, f.confidence());
                        insert.setLong(11, f.indexedAt());
                        insert.setFloat(12, q.scale());
                        insert.setBytes(13, q.vector());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                return seq;
            });
            catchUp(committed);
        }

        @Override
        List<UUID> delete(List<UUID> faceIds) {
            List<UUID> unique = new ArrayList<>(new LinkedHashSet<>(faceIds));
            List<UUID> deleted = new ArrayList<>();
            long committed = write(c -> {
                // The sequence number first: the row lock orders this deletion after any write in flight.
                long seq = nextSeq(c, 0);
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM rekognition.faces "
                        + "WHERE collection_version = ? AND face_id = ANY (?) RETURNING face_id")) {
                    delete.setLong(1, version);
                    delete.setArray(2, c.createArrayOf("uuid", unique.toArray(new UUID[0])));
                    try (ResultSet rs = delete.executeQuery()) {
                        while (rs.next()) {
                            deleted.add(rs.getObject(1, UUID.class));
                        }
                    }
                }
                if (deleted.isEmpty()) {
                    c.rollback();
                    return -1L;
                }
                try (PreparedStatement tomb = c.prepareStatement("INSERT INTO rekognition.deleted_faces "
                        + "(collection_version, face_id, seq) SELECT ?, unnest(?::uuid[]), ?");
                     PreparedStatement count = c.prepareStatement("UPDATE rekognition.collections "
                             + "SET face_count = face_count - ? WHERE version = ?")) {
                    tomb.setLong(1, version);
                    tomb.setArray(2, c.createArrayOf("uuid", deleted.toArray(new UUID[0])));
                    tomb.setLong(3, seq);
                    tomb.executeUpdate();
                    count.setInt(1, deleted.size());
                    count.setLong(2, version);
                    count.executeUpdate();
                }
                return seq;
            });
            if (committed > 0) {
                catchUp(committed);
            }
            // In the order asked, as the file store answers.
            Set<UUID> gone = new HashSet<>(deleted);
            return unique.stream().filter(gone::contains).toList();
        }

        /**
         * Takes the collection's next change number, locking its row until the transaction ends; counts
         * {@code added} faces. ResourceNotFoundException when the collection was deleted meanwhile.
         */
        long nextSeq(Connection c, int added) throws SQLException {
            try (PreparedStatement next = c.prepareStatement("UPDATE rekognition.collections SET last_seq = last_seq + 1, "
                    + "face_count = face_count + ? WHERE version = ? RETURNING last_seq")) {
                next.setInt(1, added);
                next.setLong(2, version);
                try (ResultSet rs = next.executeQuery()) {
                    if (!rs.next()) {
                        throw FaceCollections.notFound(id());
                    }
                    return rs.getLong(1);
                }
            }
        }

        /** Runs {@code work} in one transaction and returns what it returned. */
        long write(Transaction work) {
            try (Connection c = database.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw failed("write to collection " + id(), e);
            }
        }
    }

    @FunctionalInterface
    interface Transaction {
        long run(Connection c) throws SQLException;
    }
}
