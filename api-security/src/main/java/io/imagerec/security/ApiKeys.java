package io.imagerec.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;

/**
 * Authenticates API keys and manages them. A key found in S3 is trusted for
 * {@code security.keys.cache-ttl} (found or not: a flood of random keys costs S3 one read per key id);
 * a failed S3 read is not remembered.
 */
@ApplicationScoped
@Startup // Made (with the key store and its S3 client) at start-up, not on a request's event loop.
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);

    /** A key that does not authenticate anyone, or that the caller may not see: one answer for both. */
    public static final class NotFound extends RuntimeException {
        NotFound() {
            super("No such API key", null, false, false);
        }
    }

    /** A request the caller may not make (a scope it lacks, another tenant). */
    public static final class NotPermitted extends RuntimeException {
        NotPermitted(String message) {
            super(message, null, false, false);
        }
    }

    /** The key made, with its secret: the only time it is shown. */
    public record Created(ApiKeyRecord record, ApiKey key) {
    }

    private final ApiKeyStore store;
    private final Optional<String> bootstrap;
    private final AsyncCache<String, Optional<ApiKeyRecord>> cache;
    private final Clock clock = Clock.systemUTC();

    public ApiKeys(ApiKeyStore store, SecurityConfig config) {
        this.store = store;
        this.bootstrap = config.bootstrapKey().filter(k -> !k.isBlank());
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.keys().cacheTtl()).maximumSize(100_000).buildAsync();
        if (bootstrap.isPresent() && bootstrap.get().length() < 24) {
            LOG.warn("BOOTSTRAP_API_KEY is shorter than 24 characters: use a long random value");
        }
    }

    /** The caller a presented key stands for; empty when it authenticates nobody. */
    public Uni<Optional<Caller>> authenticate(String presented) {
        if (bootstrap.isPresent() && ApiKey.sameSecret(bootstrap.get(), presented)) {
            return Uni.createFrom().item(Optional.of(Caller.operatorKey()));
        }
        ApiKey key = ApiKey.parse(presented);
        if (key == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return record(key.keyId()).map(found -> found.filter(r -> r.matches(key))
                .map(r -> new Caller(r.keyId(), r.tenant(), r.scopes())));
    }

    private Uni<Optional<ApiKeyRecord>> record(String keyId) {
        return Uni.createFrom().completionStage(() -> cache.get(keyId,
                (id, executor) -> store.get(id).subscribeAsCompletionStage()));
    }

    /** A new key of {@code tenant}; an admin key of a tenant grants at most its own scopes there. */
    public Uni<Created> create(Caller admin, String tenant, String name, Set<Scope> scopes) {
        if (!admin.operator() && !admin.tenant().equals(tenant)) {
            throw new NotPermitted("A tenant's admin key makes keys of its own tenant only");
        }
        if (!admin.scopes().containsAll(scopes)) {
            throw new NotPermitted("A key cannot grant scopes it does not have");
        }
        ApiKey key = ApiKey.generate();
        ApiKeyRecord record = ApiKeyRecord.of(key, tenant, name, EnumSet.copyOf(scopes), clock.instant(), admin.keyId());
        return store.put(record).invoke(() -> {
            cache.synchronous().invalidate(key.keyId());
            LOG.infof("API key %s created for tenant %s with scopes %s by %s", key.keyId(), tenant, scopes, admin.keyId());
        }).replaceWith(new Created(record, key));
    }

    /** The keys of {@code tenant} (every tenant's for the operator with a null tenant), newest first. */
    public Uni<List<ApiKeyRecord>> list(Caller admin, String tenant) {
        return store.all().map(all -> all.stream()
                .filter(r -> visible(admin, r) && (tenant == null || r.tenant().equals(tenant)))
                .sorted(Comparator.comparing(ApiKeyRecord::createdAt).reversed())
                .toList());
    }

    public Uni<ApiKeyRecord> get(Caller admin, String keyId) {
        return visibleRecord(admin, keyId);
    }

    /** A new secret for the key: the old one stops working (on other replicas within the cache TTL). */
    public Uni<Created> rotate(Caller admin, String keyId) {
        return visibleVersion(admin, keyId).chain(found -> {
            ApiKeyRecord record = found.record();
            if (record.revokedAt() != null) {
                return Uni.createFrom().failure(new NotFound());
            }
            ApiKey key = new ApiKey(keyId, ApiKey.generate().secret());
            ApiKeyRecord rotated = record.withSecret(key, clock.instant());
            return store.replace(rotated, found.etag()).invoke(() -> {
                cache.synchronous().invalidate(keyId);
                LOG.infof("API key %s of tenant %s rotated by %s", keyId, record.tenant(), admin.keyId());
            }).replaceWith(new Created(rotated, key));
        });
    }

    /** Revokes the key for good; revoking it again changes nothing. */
    public Uni<ApiKeyRecord> revoke(Caller admin, String keyId) {
        return visibleVersion(admin, keyId).chain(found -> {
            ApiKeyRecord record = found.record();
            if (record.revokedAt() != null) {
                return Uni.createFrom().item(record);
            }
            ApiKeyRecord revoked = record.revoked(clock.instant());
            return store.replace(revoked, found.etag()).invoke(() -> {
                cache.synchronous().invalidate(keyId);
                LOG.infof("API key %s of tenant %s revoked by %s", keyId, record.tenant(), admin.keyId());
            }).replaceWith(revoked);
        });
    }

    private Uni<ApiKeyStore.Versioned> visibleVersion(Caller admin, String keyId) {
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            return Uni.createFrom().failure(new NotFound());
        }
        return store.versioned(keyId).map(found -> found.filter(v -> visible(admin, v.record()))
                .orElseThrow(NotFound::new));
    }

    private Uni<ApiKeyRecord> visibleRecord(Caller admin, String keyId) {
        if (keyId == null || !keyId.matches("[0-9a-f]{16}")) {
            return Uni.createFrom().failure(new NotFound());
        }
        return store.get(keyId).map(found -> found.filter(r -> visible(admin, r)).orElseThrow(NotFound::new));
    }

    private static boolean visible(Caller admin, ApiKeyRecord record) {
        return admin.operator() || admin.tenant().equals(record.tenant());
    }

    Instant now() {
        return clock.instant();
    }
}
