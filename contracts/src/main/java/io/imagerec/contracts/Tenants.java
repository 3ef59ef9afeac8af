package io.imagerec.contracts;

import java.util.regex.Pattern;

/** Tenant ids: lower-case letters, digits and dashes, so they are safe in S3 keys and logs. */
public final class Tenants {

    public static final String HEADER = "X-Tenant-Id";
    public static final String DEFAULT = "default";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private Tenants() {
    }

    /** The tenant named by a request header, the default one when absent; null when malformed. */
    public static String fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        return VALID.matcher(header).matches() ? header : null;
    }
}
