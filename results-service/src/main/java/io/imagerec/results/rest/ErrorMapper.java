package io.imagerec.results.rest;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.imagerec.contracts.ApiError;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.repository.DatabaseFailures;
import io.imagerec.results.service.ResultsException;
import io.imagerec.security.ClientErrors;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every error of results-service in the one error format, with its stable code. A client error is
 * logged in one line ({@link ClientErrors}); an unexpected one is a 500, logged with its stack trace.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    /** Refused requests, one line each. */
    private static final ClientErrors REFUSED = new ClientErrors("io.imagerec.results.refused");

    private final ResultsConfig config;
    private final CurrentVertxRequest current;

    public ErrorMapper(ResultsConfig config, CurrentVertxRequest current) {
        this.config = config;
        this.current = current;
    }

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof ResultsException e) {
            Response refused = refuse(e.status(), e.code(), e.getMessage());
            return e.retryAfterSeconds() == null ? refused
                    : Response.fromResponse(refused).header("Retry-After", e.retryAfterSeconds()).build();
        }
        if (DatabaseFailures.isTransient(exception)) {
            LOG.warnf("The database is unavailable: %s", exception.toString());
            return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", config.retryAfterSeconds())
                    .entity(ApiError.of("DATABASE_UNAVAILABLE", "The results database is unavailable; retry after "
                            + "Retry-After seconds")).build();
        }
        if (exception instanceof NotFoundException && exception.getCause() != null) {
            // Quarkus REST's answer to a query or path parameter that does not convert (limit=abc).
            return refuse(400, "INVALID_PARAMETER", "A query parameter is not valid: "
                    + ClientErrors.clean(exception.getCause().getMessage()));
        }
        if (exception instanceof NotFoundException) {
            return refuse(404, "NOT_FOUND", "No such resource");
        }
        if (exception instanceof NotAllowedException) {
            return refuse(405, "METHOD_NOT_ALLOWED", "This method is not allowed here");
        }
        if (exception instanceof NotAcceptableException) {
            return refuse(406, "NOT_ACCEPTABLE", "The answer is application/json, which the Accept header does not allow");
        }
        if (exception instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return status == 400 && w.getCause() != null
                    ? refuse(400, "INVALID_PARAMETER", "A parameter is not valid: "
                            + ClientErrors.clean(w.getCause().getMessage()))
                    : refuse(status, "BAD_REQUEST", w.getMessage());
        }
        LOG.error("Unexpected error", exception);
        return error(500, "INTERNAL_ERROR", "Internal error");
    }

    private Response refuse(int status, String code, String message) {
        HttpServerRequest request;
        try {
            request = current.getCurrent() == null ? null : current.getCurrent().request();
        } catch (RuntimeException outsideARequest) {
            request = null;
        }
        REFUSED.log(request == null ? null : request.method().name(), request == null ? null : request.path(),
                status, code, message);
        return error(status, code, message);
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message)).build();
    }
}
