package io.imagerec.security;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.imagerec.contracts.ApiError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** The security answers in the one error format: 401, 403, 404 for keys, 503 while keys cannot be checked. */
public class SecurityErrors {

    private static final Logger LOG = Logger.getLogger(SecurityErrors.class);
    static final String UNAUTHENTICATED = "A valid API key is required, in X-Api-Key or Authorization: Bearer";

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthenticated() {
        return error(401, "UNAUTHENTICATED", UNAUTHENTICATED).header("WWW-Authenticate", "Bearer realm=\"imagerec\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return error(403, "FORBIDDEN", "This API key does not have the scope this request needs").build();
    }

    @ServerExceptionMapper
    public Response notPermitted(ApiKeys.NotPermitted e) {
        return error(403, "FORBIDDEN", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response keyNotFound(ApiKeys.NotFound e) {
        return error(404, "API_KEY_NOT_FOUND", "No such API key").build();
    }

    @ServerExceptionMapper
    public Response changedMeanwhile(ApiKeyStore.ChangedMeanwhile e) {
        return error(409, "API_KEY_CHANGED", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response invalidTenant(Tenancy.InvalidTenantException e) {
        return error(400, "INVALID_TENANT", e.getMessage()).build();
    }

    @ServerExceptionMapper
    public Response keysUnavailable(KeysUnavailableException e) {
        LOG.warnf("API keys cannot be checked: %s", e.getCause() != null ? e.getCause().toString() : e.toString());
        return error(503, "KEYS_UNAVAILABLE", "API keys cannot be checked right now; try again").header("Retry-After", 5)
                .build();
    }

    private static Response.ResponseBuilder error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message));
    }
}
