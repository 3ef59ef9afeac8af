package io.imagerec.security;

import java.time.Duration;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.imagerec.contracts.ApiError;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/**
 * Per-key rate limits, checked once the key is known and before the body is read: a refused request
 * costs no buffering. An anonymous or unknown key is left to the endpoint's security check (401).
 */
public class SecurityFilters {

    private final CurrentIdentityAssociation identity;
    private final RateLimits limits;

    public SecurityFilters(CurrentIdentityAssociation identity, RateLimits limits) {
        this.identity = identity;
        this.limits = limits;
    }

    @ServerRequestFilter
    public Uni<Response> rateLimit(ContainerRequestContext request) {
        RateLimits.Kind kind = switch (request.getMethod()) {
            case "GET", "HEAD", "OPTIONS" -> RateLimits.Kind.READS;
            default -> RateLimits.Kind.UPLOADS;
        };
        return identity.getDeferredIdentity()
                .map(id -> {
                    Caller caller = id.isAnonymous() ? null : id.getAttribute(Caller.class.getName());
                    if (caller == null) {
                        return null;
                    }
                    Duration wait = limits.take(caller.keyId(), kind);
                    if (wait.isZero()) {
                        return null;
                    }
                    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                    return Response.status(429).type(MediaType.APPLICATION_JSON)
                            .header("Retry-After", seconds)
                            .entity(ApiError.of("RATE_LIMITED", "Too many " + kind.name().toLowerCase()
                                    + " for this API key; retry after " + seconds + " s"))
                            .build();
                })
                // A key that authenticates nobody, or a key store that cannot answer: the security check says so.
                .onFailure().recoverWithNull();
    }
}
