package io.imagerec.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.imagerec.contracts.Tenants;
import io.quarkus.security.identity.SecurityIdentity;

/** The tenant an authenticated request acts for ({@link Caller#actingTenant}). */
@ApplicationScoped
public class Tenancy {

    /** A malformed {@code X-Tenant-Id} sent with the operator's key: 400 INVALID_TENANT. */
    public static final class InvalidTenantException extends RuntimeException {
        InvalidTenantException() {
            super(Tenants.HEADER + " must be lower-case letters, digits and dashes (at most 63)", null, false, false);
        }
    }

    private final SecurityIdentity identity;

    public Tenancy(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller of the current request. */
    public Caller caller() {
        return Caller.of(identity);
    }

    /** The tenant of the current request: the key's, or for the operator's key the one {@code tenantHeader} names. */
    public String tenant(String tenantHeader) {
        String tenant = caller().actingTenant(tenantHeader);
        if (tenant == null) {
            throw new InvalidTenantException();
        }
        return tenant;
    }
}
