package io.imagerec.security;

import java.util.Arrays;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an API key may do; each is a role of the caller's security identity. */
public enum Scope {
    /** Send images: uploads and direct uploads. */
    UPLOAD,
    /** Read jobs, results and search; follow backfills. */
    READ,
    /** Create, list, rotate and revoke the tenant's API keys; start backfills. */
    ADMIN;

    /** The role name used in {@code @RolesAllowed}, and the name in JSON: the lower-case name. */
    @JsonValue
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope named {@code name} (lower-case), or null. */
    @JsonCreator
    public static Scope of(String name) {
        return Arrays.stream(values()).filter(s -> s.role().equals(name)).findFirst().orElse(null);
    }
}
