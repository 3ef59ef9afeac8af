package io.imagerec.worker.rest;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.imagerec.contracts.ApiError;
import software.amazon.awssdk.core.exception.SdkException;

/** Every error of the worker's management API in the one error format, with its stable code. */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof IllegalArgumentException) {
            return error(400, "INVALID_PARAMETER", exception.getMessage());
        }
        if (exception instanceof SdkException || exception.getCause() instanceof SdkException) {
            LOG.warnf("SQS call failed: %s", exception.toString());
            return error(503, "QUEUE_UNAVAILABLE", "SQS is unavailable; try again later");
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
