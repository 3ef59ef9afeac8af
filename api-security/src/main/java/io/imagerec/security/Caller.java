package io.imagerec.security;

import java.util.EnumSet;
import java.util.Set;

import io.imagerec.contracts.Tenants;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who sent a request: the key's id, its tenant and its scopes. The operator's key
 * ({@code BOOTSTRAP_API_KEY}) has tenant {@link #ANY_TENANT} and acts for the tenant its request
 * names in {@code X-Tenant-Id}; every other key acts for its own tenant only, whatever a header says.
 */
public record Caller(String keyId, String tenant, Set<Scope> scopes) {

    public static final String ANY_TENANT = "*";
    static final String OPERATOR = "bootstrap";
    static final String TENANT_ATTRIBUTE = "imagerec.tenant";

    static Caller operatorKey() {
        return new Caller(OPERATOR, ANY_TENANT, EnumSet.allOf(Scope.class));
    }

    public boolean operator() {
        return ANY_TENANT.equals(tenant);
    }

    /** The caller of an authenticated request. */
    public static Caller of(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(Caller.class.getName());
        if (caller == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return caller;
    }

    /**
     * The tenant a request acts for: the key's own; for the operator's key, the tenant named by
     * {@code X-Tenant-Id} ({@link Tenants#DEFAULT} when absent), or null when that header is malformed.
     */
    public String actingTenant(String tenantHeader) {
        return operator() ? Tenants.fromHeader(tenantHeader) : tenant;
    }
}
