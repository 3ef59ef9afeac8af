package io.imagerec.cli;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.imagerec.contracts.Json;

/**
 * What earlier runs got accepted: a JSON-lines file, one line per accepted file, only ever appended.
 * Each line is written with one write call on a file opened for appending, so a killed run leaves at
 * most its last line torn; such a line, and any other line that does not parse, is ignored on reading,
 * and the next append starts on a fresh line. Nothing is fsynced: after a power loss the last lines
 * may be missing, and those files are uploaded again with the same Idempotency-Key, which the server
 * answers with the first receipt instead of a second job.
 *
 * <p>A file is already accepted when a line has the same {@code options} (endpoint, tenant, features,
 * thresholds) and either the same path, size and modification time, or the same SHA-256.
 */
final class StateFile implements Closeable {

    /** One accepted file. {@code options} is {@link UploadOptions#stateKey()}. */
    record Entry(String path, long size, long mtime, String sha256, String jobId, String imageId, String options,
            Instant acceptedAt) {
    }

    /** The entries by options and path, and by options and content; the latest line wins. */
    static final class Index {
        private final Map<String, Entry> byPath = new HashMap<>();
        private final Map<String, Entry> bySha = new HashMap<>();

        void put(Entry e) {
            byPath.put(e.options() + '\n' + e.path(), e);
            bySha.put(e.options() + '\n' + e.sha256(), e);
        }

        /** The entry of this path with these options, if the file still has the size and time it had. */
        Optional<Entry> byPath(String path, long size, long mtime, String options) {
            Entry e = byPath.get(options + '\n' + path);
            return e != null && e.size() == size && e.mtime() == mtime ? Optional.of(e) : Optional.empty();
        }

        Optional<Entry> bySha(String sha256, String options) {
            return Optional.ofNullable(bySha.get(options + '\n' + sha256));
        }

        int size() {
            return byPath.size();
        }
    }

    /** The lines read: the usable entries, how many lines were ignored, whether the last one was ended. */
    record Contents(Index index, int ignored, boolean endsWithNewline) {
    }

    private static final ObjectMapper JSON = Json.mapper();

    private final Path path;
    private final FileChannel channel;
    private final Index index;
    private final int ignored;

    private StateFile(Path path, FileChannel channel, Contents contents) {
        this.path = path;
        this.channel = channel;
        this.index = contents.index();
        this.ignored = contents.ignored();
    }

    /** Reads the file (absent: empty) and opens it for appending. */
    static StateFile open(Path path) throws IOException {
        Contents contents;
        if (Files.exists(path)) {
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                contents = read(reader);
            }
        } else {
            contents = read(new StringReader(""));
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (channel.size() > 0 && !contents.endsWithNewline()) {
            // The last line was torn by a kill: end it, so the next entry is a line of its own.
            write(channel, "\n");
        }
        return new StateFile(path, channel, contents);
    }

    /** Parses state lines; pure, so a torn or foreign line can be tested without a file. */
    static Contents read(Reader source) throws IOException {
        Index index = new Index();
        int ignored = 0;
        StringBuilder line = new StringBuilder();
        boolean endsWithNewline = true;
        try (BufferedReader reader = new BufferedReader(source)) {
            int c;
            while ((c = reader.read()) != -1) {
                if (c == '\n') {
                    ignored += add(line.toString(), index) ? 0 : 1;
                    line.setLength(0);
                    endsWithNewline = true;
                } else {
                    line.append((char) c);
                    endsWithNewline = false;
                }
            }
        }
        if (line.length() > 0) {
            ignored += add(line.toString(), index) ? 0 : 1;
        }
        return new Contents(index, ignored, endsWithNewline);
    }

    /** @return false when the line is not blank and not an entry */
    private static boolean add(String line, Index index) {
        if (line.isBlank()) {
            return true;
        }
        Entry e = parse(line);
        if (e == null) {
            return false;
        }
        index.put(e);
        return true;
    }

    static Entry parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                return null;
            }
            for (String field : new String[] {"path", "size", "mtime", "sha256", "jobId", "options"}) {
                if (!n.hasNonNull(field)) {
                    return null;
                }
            }
            if (!n.get("size").canConvertToLong() || !n.get("mtime").canConvertToLong()) {
                return null;
            }
            Instant at = null;
            if (n.hasNonNull("acceptedAt")) {
                try {
                    at = Instant.parse(n.get("acceptedAt").asText());
                } catch (RuntimeException e) {
                    at = null;
                }
            }
            return new Entry(n.get("path").asText(), n.get("size").asLong(), n.get("mtime").asLong(),
                    n.get("sha256").asText(), n.get("jobId").asText(), n.path("imageId").asText(null),
                    n.get("options").asText(), at);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String format(Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("path", e.path());
        n.put("size", e.size());
        n.put("mtime", e.mtime());
        n.put("sha256", e.sha256());
        n.put("jobId", e.jobId());
        if (e.imageId() != null) {
            n.put("imageId", e.imageId());
        }
        n.put("options", e.options());
        if (e.acceptedAt() != null) {
            n.put("acceptedAt", e.acceptedAt().toString());
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    Path path() {
        return path;
    }

    int ignoredLines() {
        return ignored;
    }

    synchronized int entries() {
        return index.size();
    }

    synchronized Optional<Entry> byPath(String path, long size, long mtime, String options) {
        return index.byPath(path, size, mtime, options);
    }

    synchronized Optional<Entry> bySha(String sha256, String options) {
        return index.bySha(sha256, options);
    }

    /** Appends one entry as one line, with one write: once this returns it is in the file, even if the run is killed. */
    synchronized void append(Entry e) throws IOException {
        write(channel, format(e) + "\n");
        index.put(e);
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
