package io.imagerec.localcloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * A generated password of a local-cloud PostgreSQL login (the superuser {@code postgres}, the engine's
 * role {@code rekognition}), kept in a file of the data directory that only its owner can read. Created
 * on the first start, read on every later one. The value is never logged.
 */
final class PostgresPassword {

    /** The superuser's file's name in the data directory. */
    static final String FILE_NAME = "postgres-password";

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PostgresPassword() {
    }

    /**
     * The password in {@code file}, or a new one (192 random bits, URL-safe base64: letters, digits,
     * {@code -} and {@code _}, safe in shells, URLs and configuration files) written there first.
     */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path temp = posix(file.getParent())
                ? Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                        PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                : Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", new FileAttribute<?>[0]);
        try {
            Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
            // Complete or absent, never half-written: a crash here leaves no file and the next start makes one.
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return read(file);
    }

    /** The password in {@code file}; makes the file owner-only if it was not. */
    static String read(Path file) throws IOException {
        if (posix(file) && !OWNER_ONLY_FILE.equals(Files.getPosixFilePermissions(file))) {
            Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty() || password.contains("\n")) {
            throw new IllegalStateException(file + " must hold the PostgreSQL password on one line");
        }
        return password;
    }

    /** Makes a directory accessible to its owner only (no-op where POSIX permissions do not exist). */
    static void restrictToOwner(Path dir) throws IOException {
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
