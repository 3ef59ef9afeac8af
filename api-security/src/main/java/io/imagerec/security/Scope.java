package io.imagerec.security;

import java.util.Arrays;
import java.util.Locale;

/** What an API key may do; each is a role of the caller's security identity. */
public enum Scope {
    /** Send images: uploads, direct uploads, backfills. */
    UPLOAD,
    /** Read jobs, results and search; follow backfills. */
    READ,
    /** Create, list, rotate and revoke the tenant's API keys. */
    ADMIN;

    /** The role name used in {@code @RolesAllowed}: the lower-case name. */
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code name} (lower-case), or null. */
    public static Scope of(String name) {
        return Arrays.stream(values()).filter(s -> s.role().equals(name)).findFirst().orElse(null);
    }
}
