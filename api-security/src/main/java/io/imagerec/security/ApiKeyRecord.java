package io.imagerec.security;

import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What is stored of an API key: whose it is, what it may do, and a salted hash of its secret.
 *
 * @param tenant the tenant whose data the key reaches
 * @param revokedAt when it was revoked (it then authenticates nobody), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyRecord(String keyId, String tenant, String name, Set<Scope> scopes, String salt, String hash,
        Instant createdAt, Instant rotatedAt, Instant revokedAt, String createdBy) {

    boolean matches(ApiKey key) {
        return revokedAt == null && keyId.equals(key.keyId()) && ApiKey.sameSecret(hash, ApiKey.hash(salt, key.secret()));
    }

    ApiKeyRecord withSecret(ApiKey key, Instant now) {
        String newSalt = ApiKey.newSalt();
        return new ApiKeyRecord(keyId, tenant, name, scopes, newSalt, ApiKey.hash(newSalt, key.secret()), createdAt,
                now, null, createdBy);
    }

    ApiKeyRecord revoked(Instant now) {
        return new ApiKeyRecord(keyId, tenant, name, scopes, salt, hash, createdAt, rotatedAt, now, createdBy);
    }

    static ApiKeyRecord of(ApiKey key, String tenant, String name, Set<Scope> scopes, Instant now, String createdBy) {
        String salt = ApiKey.newSalt();
        return new ApiKeyRecord(key.keyId(), tenant, name, scopes, salt, ApiKey.hash(salt, key.secret()), now, null,
                null, createdBy);
    }
}
