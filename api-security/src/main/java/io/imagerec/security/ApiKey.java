package io.imagerec.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API key as a client holds it: {@code irk_<keyId>_<secret>}. The key id (16 lower-case hex digits)
 * finds the key's record; the secret (32 random bytes, base64url) is never stored, only a salted
 * SHA-256 of it. With 256 random bits a fast hash is enough: no dictionary can guess such a secret.
 */
public record ApiKey(String keyId, String secret) {

    static final String PREFIX = "irk_";
    private static final Pattern FORMAT = Pattern.compile("irk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new key with a random id and secret. */
    public static ApiKey generate() {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiKey(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The same key id with a new secret. */
    public ApiKey rotated() {
        return new ApiKey(keyId, generate().secret());
    }

    /** The key in {@code value}, or null when it is not in the key format (nothing else is looked at). */
    public static ApiKey parse(String value) {
        if (value == null || value.length() != PREFIX.length() + 16 + 1 + 43) {
            return null;
        }
        Matcher m = FORMAT.matcher(value);
        return m.matches() ? new ApiKey(m.group(1), m.group(2)) : null;
    }

    /** What the client sends. */
    public String value() {
        return PREFIX + keyId + "_" + secret;
    }

    /** A new random salt, base64. */
    static String newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    /** SHA-256 of salt and secret, hex. */
    static String hash(String salt, String secret) {
        MessageDigest sha = sha256();
        sha.update(Base64.getDecoder().decode(salt));
        return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Equal in constant time (of the digests, so lengths leak nothing either). */
    static boolean sameSecret(String a, String b) {
        return MessageDigest.isEqual(sha256().digest(a.getBytes(StandardCharsets.UTF_8)),
                sha256().digest(b.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        // Never the secret, wherever a key is logged by accident.
        return "ApiKey[" + keyId + "]";
    }
}
