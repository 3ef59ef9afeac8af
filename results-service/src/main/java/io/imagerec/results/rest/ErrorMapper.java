package io.imagerec.results.rest;

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

/** Every error of results-service in the one error format, with its stable code. */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    private final ResultsConfig config;

    public ErrorMapper(ResultsConfig config) {
        this.config = config;
    }

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof ResultsException e) {
            return error(e.status(), e.code(), e.getMessage());
        }
        if (DatabaseFailures.isTransient(exception)) {
            LOG.warnf("The database is unavailable: %s", exception.toString());
            return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", config.retryAfterSeconds())
                    .entity(ApiError.of("DATABASE_UNAVAILABLE", "The results database is unavailable; retry after "
                            + "Retry-After seconds")).build();
        }
        if (exception instanceof NotFoundException) {
            return error(404, "NOT_FOUND", "No such resource");
        }
        if (exception instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            return error(w.getResponse().getStatus(), "BAD_REQUEST", w.getMessage());
        }
        LOG.error("Unexpected error", exception);
        return error(500, "INTERNAL_ERROR", "Internal error");
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message)).build();
    }
}
