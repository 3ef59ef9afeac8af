package io.imagerec.rekognition.collections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import javax.sql.DataSource;

import io.imagerec.rekognition.api.RekognitionException;
import io.imagerec.rekognition.faces.FaceSimilarity;

/**
 * The users of a collection in PostgreSQL ({@code rekognition.users}, {@code faces.user_id}). Every change
 * to associations takes the collection's next change number and stamps the faces it changes with it, so
 * each engine's cache learns a face's user with its next catch-up, as it learns of new faces.
 */
final class PostgresFaceUsers implements FaceUsers {

    private final DataSource database;
    private final PostgresCollectionStore.PostgresFaceCollection collection;

    PostgresFaceUsers(DataSource database, PostgresCollectionStore.PostgresFaceCollection collection) {
        this.database = database;
        this.collection = collection;
    }

    @Override
    public Object create(String userId, Once once, Object answer) {
        return once(once, (c, seq) -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rekognition.users (collection_version, "
                    + "user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setLong(1, collection.version);
                insert.setString(2, userId);
                insert.setLong(3, System.currentTimeMillis());
                if (insert.executeUpdate() == 0) {
                    throw new RekognitionException("ConflictException", 400,
                            "A user with the id " + userId + " already exists in collection " + collection.id());
                }
            }
            return answer;
        });
    }

    @Override
    public Object delete(String userId, Once once, Object answer) {
        return once(once, (c, seq) -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM rekognition.users "
                    + "WHERE collection_version = ? AND user_id = ?");
                 PreparedStatement release = c.prepareStatement("UPDATE rekognition.faces SET user_id = NULL, seq = ? "
                         + "WHERE collection_version = ? AND user_id = ?")) {
                delete.setLong(1, collection.version);
                delete.setString(2, userId);
                if (delete.executeUpdate() == 0) {
                    throw notFound(userId);
                }
                release.setLong(1, seq);
                release.setLong(2, collection.version);
                release.setString(3, userId);
                release.executeUpdate();
            }
            return answer;
        });
    }

    long count() {
        try (Connection c = database.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT count(*) FROM rekognition.users WHERE collection_version = ?")) {
            select.setLong(1, collection.version);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw PostgresCollectionStore.failed("count the users of " + collection.id(), e);
        }
    }

    @Override
    public User find(String userId) {
        try (Connection c = database.getConnection()) {
            return find(c, userId);
        } catch (SQLException e) {
            throw PostgresCollectionStore.failed("read user " + userId, e);
        }
    }

    @Override
    public List<User> list(long afterOrdinal, int max) {
        try (Connection c = database.getConnection();
             PreparedStatement select = c.prepareStatement("SELECT u.user_id, u.ordinal, EXISTS (SELECT 1 FROM "
                     + "rekognition.faces f WHERE f.collection_version = u.collection_version AND f.user_id = u.user_id) "
                     + "FROM rekognition.users u WHERE u.collection_version = ? AND u.ordinal > ? ORDER BY u.ordinal LIMIT ?")) {
            select.setLong(1, collection.version);
            select.setLong(2, afterOrdinal);
            select.setInt(3, max);
            List<User> users = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    users.add(new User(rs.getString(1), rs.getLong(2), rs.getBoolean(3)));
                }
            }
            return users;
        } catch (SQLException e) {
            throw PostgresCollectionStore.failed("list the users of " + collection.id(), e);
        }
    }

    /** A face's user and descriptor as the database holds them. */
    private record Row(String userId, float[] vector) {
    }

    @Override
    public Object associate(String userId, List<UUID> faceIds, float minSimilarity, Once once,
                            Function<Changed, Object> answer) {
        return once(once, (c, next) -> {
            requireUser(c, userId);
            List<UUID> associated = new ArrayList<>();
            List<Unsuccessful> unsuccessful = new ArrayList<>();
            Map<UUID, Row> asked = new HashMap<>();
            List<float[]> own = new ArrayList<>();
            List<UUID> unique = new ArrayList<>(new LinkedHashSet<>(faceIds));
            try (PreparedStatement select = c.prepareStatement("SELECT face_id, user_id, vector_scale, vector "
                    + "FROM rekognition.faces WHERE collection_version = ? AND (face_id = ANY (?) OR user_id = ?)")) {
                select.setLong(1, collection.version);
                select.setArray(2, c.createArrayOf("uuid", unique.toArray(new UUID[0])));
                select.setString(3, userId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Row row = new Row(rs.getString(2), dequantize(rs.getBytes(4), rs.getFloat(3)));
                        asked.put(rs.getObject(1, UUID.class), row);
                        if (userId.equals(row.userId())) {
                            own.add(row.vector());
                        }
                    }
                }
            }
            for (UUID faceId : unique) {
                Row row = asked.get(faceId);
                if (row == null) {
                    unsuccessful.add(new Unsuccessful(faceId, null, null, List.of("FACE_NOT_FOUND")));
                } else if (row.userId() != null && !row.userId().equals(userId)) {
                    unsuccessful.add(new Unsuccessful(faceId, row.userId(), null, List.of("ASSOCIATED_TO_A_DIFFERENT_USER")));
                } else if (row.userId() == null) {
                    // Against the faces the user had before this call: a user's first faces are taken as given.
                    float confidence = own.isEmpty() ? 100f : confidence(row.vector(), own);
                    if (confidence < minSimilarity) {
                        unsuccessful.add(new Unsuccessful(faceId, null, confidence, List.of("LOW_MATCH_CONFIDENCE")));
                    } else {
                        associated.add(faceId);
                    }
                }
            }
            if (own.size() + associated.size() > MAX_FACES) {
                throw new RekognitionException("ServiceQuotaExceededException", 400, "User " + userId + " has "
                        + own.size() + " faces; with " + associated.size() + " more it would pass the limit of "
                        + MAX_FACES + " faces a user");
            }
            setUser(c, associated, userId, next);
            return answer.apply(new Changed(associated, unsuccessful, find(c, userId)));
        });
    }

    @Override
    public Object disassociate(String userId, List<UUID> faceIds, Once once, Function<Changed, Object> answer) {
        return once(once, (c, next) -> {
            requireUser(c, userId);
            List<UUID> disassociated = new ArrayList<>();
            List<Unsuccessful> unsuccessful = new ArrayList<>();
            List<UUID> unique = new ArrayList<>(new LinkedHashSet<>(faceIds));
            Map<UUID, String> userOf = new HashMap<>();
            List<UUID> found = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement("SELECT face_id, user_id FROM rekognition.faces "
                    + "WHERE collection_version = ? AND face_id = ANY (?)")) {
                select.setLong(1, collection.version);
                select.setArray(2, c.createArrayOf("uuid", unique.toArray(new UUID[0])));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        UUID id = rs.getObject(1, UUID.class);
                        found.add(id);
                        userOf.put(id, rs.getString(2));
                    }
                }
            }
            for (UUID faceId : unique) {
                String owner = userOf.get(faceId);
                if (!found.contains(faceId)) {
                    unsuccessful.add(new Unsuccessful(faceId, null, null, List.of("FACE_NOT_FOUND")));
                } else if (owner != null && !owner.equals(userId)) {
                    unsuccessful.add(new Unsuccessful(faceId, owner, null, List.of("ASSOCIATED_TO_A_DIFFERENT_USER")));
                } else if (owner != null) {
                    disassociated.add(faceId);
                }
            }
            setUser(c, disassociated, null, next);
            return answer.apply(new Changed(disassociated, unsuccessful, find(c, userId)));
        });
    }

    /** A change to the collection's users, in its write transaction, numbered {@code seq}; returns the answer. */
    @FunctionalInterface
    private interface Change {
        Object run(Connection c, long seq) throws SQLException;
    }

    /**
     * Runs {@code change} in one write transaction after the collection's row lock, which orders it after
     * every other write on any engine. With a ClientRequestToken the token is looked up under that lock and
     * the answer recorded before the commit: two calls with one token never both change anything, and an
     * answer is recorded exactly when its change committed.
     */
    private Object once(Once once, Change change) {
        Object[] answer = new Object[1];
        long seq = collection.write(c -> {
            long next = collection.nextSeq(c, 0);
            if (once.token() != null) {
                Optional<String> recorded = recorded(c, once);
                if (recorded.isPresent()) {
                    answer[0] = once.read().apply(recorded.get());
                    c.rollback();
                    return -1L;
                }
            }
            answer[0] = change.run(c, next);
            if (once.token() != null) {
                record(c, once, once.write().apply(answer[0]));
            }
            return next;
        });
        if (seq > 0) {
            collection.catchUp(seq);
        }
        return answer[0];
    }

    private Optional<String> recorded(Connection c, Once once) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT parameters, response FROM rekognition.user_requests "
                + "WHERE collection_version = ? AND operation = ? AND token = ?")) {
            select.setLong(1, collection.version);
            select.setString(2, once.operation());
            select.setString(3, once.token());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                if (!rs.getString(1).equals(once.parameters())) {
                    throw new RekognitionException("IdempotentParameterMismatchException", 400, "ClientRequestToken "
                            + once.token() + " was used before with other parameters");
                }
                return Optional.of(rs.getString(2));
            }
        }
    }

    private void record(Connection c, Once once, String response) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO rekognition.user_requests (collection_version, "
                + "operation, token, parameters, response) VALUES (?, ?, ?, ?, ?)")) {
            insert.setLong(1, collection.version);
            insert.setString(2, once.operation());
            insert.setString(3, once.token());
            insert.setString(4, once.parameters());
            insert.setString(5, response);
            insert.executeUpdate();
        }
    }

    private User find(Connection c, String userId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT u.ordinal, EXISTS (SELECT 1 FROM rekognition.faces f "
                + "WHERE f.collection_version = u.collection_version AND f.user_id = u.user_id) "
                + "FROM rekognition.users u WHERE u.collection_version = ? AND u.user_id = ?")) {
            select.setLong(1, collection.version);
            select.setString(2, userId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? new User(userId, rs.getLong(1), rs.getBoolean(2)) : null;
            }
        }
    }

    private void requireUser(Connection c, String userId) throws SQLException {
        if (find(c, userId) == null) {
            throw notFound(userId);
        }
    }

    private void setUser(Connection c, List<UUID> faces, String userId, long seq) throws SQLException {
        if (faces.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE rekognition.faces SET user_id = ?, seq = ? "
                + "WHERE collection_version = ? AND face_id = ANY (?)")) {
            update.setString(1, userId);
            update.setLong(2, seq);
            update.setLong(3, collection.version);
            update.setArray(4, c.createArrayOf("uuid", faces.toArray(new UUID[0])));
            update.executeUpdate();
        }
    }

    /** The best similarity of {@code face} with the user's faces, on the collection's descriptor's scale. */
    private float confidence(float[] face, List<float[]> own) {
        FaceSimilarity similarity = collection.descriptor().similarity();
        float best = 0;
        for (float[] v : own) {
            best = Math.max(best, similarity.of(face, v));
        }
        return best;
    }

    private static float[] dequantize(byte[] q, float scale) {
        float[] v = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            v[i] = q[i] * scale;
        }
        return v;
    }

    static RekognitionException notFound(String userId) {
        return RekognitionException.resourceNotFound("The user id: " + userId + " does not exist");
    }
}
