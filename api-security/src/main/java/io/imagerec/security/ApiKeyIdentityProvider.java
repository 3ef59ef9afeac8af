package io.imagerec.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Turns a presented API key into the caller's identity: principal the key id, roles its scopes, and
 * the {@link Caller} as an attribute. A key that authenticates nobody fails with
 * {@link AuthenticationFailedException} (401); a key store that cannot answer with
 * {@link KeysUnavailableException} (503), so an S3 outage is never mistaken for a bad key.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        // The key store answers on the S3 client's threads; the rest of the request (its security check,
        // its request context) must go on on the request's own Vert.x context.
        Context origin = Vertx.currentContext();
        Uni<java.util.Optional<Caller>> checked = keys.authenticate(request.key());
        if (origin != null) {
            checked = checked.emitOn(task -> origin.runOnContext(ignored -> task.run()));
        }
        return checked
                .onFailure().transform(KeysUnavailableException::new)
                .map(found -> {
                    Caller caller = found.orElseThrow(AuthenticationFailedException::new);
                    QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(caller.keyId()))
                            .addAttribute(Caller.class.getName(), caller);
                    caller.scopes().forEach(s -> identity.addRole(s.role()));
                    return identity.build();
                });
    }
}
