package io.imagerec.ingest.rest;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.imagerec.contracts.ApiError;
import io.imagerec.ingest.service.IngestException;

/** Every error of ingest-service in the one error format, with its stable code. */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof IngestException e) {
            Response.ResponseBuilder response = error(e.status(), e.code(), e.getMessage());
            if (e.retryAfterSeconds() != null) {
                response.header("Retry-After", e.retryAfterSeconds());
            }
            return response.build();
        }
        if (exception instanceof NotSupportedException) {
            return error(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send image/jpeg or image/png as the body, or multipart/form-data with a 'file' field").build();
        }
        if (exception instanceof NotFoundException) {
            return error(404, "NOT_FOUND", "No such resource").build();
        }
        if (exception instanceof NotAllowedException) {
            return error(405, "METHOD_NOT_ALLOWED", exception.getMessage()).build();
        }
        if (exception instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            if (status == 400 && jsonProblem(w) != null) {
                // A JSON body that does not parse or does not fit (an unknown feature, a number that is text).
                return error(400, "INVALID_PARAMETER", "The JSON body is not valid: " + jsonProblem(w)).build();
            }
            return error(status, status == 413 ? "IMAGE_TOO_LARGE" : "BAD_REQUEST", w.getMessage()).build();
        }
        LOG.error("Unexpected error", exception);
        return error(500, "INTERNAL_ERROR", "Internal error").build();
    }

    private static String jsonProblem(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof JsonProcessingException json) {
                return json.getOriginalMessage();
            }
        }
        return null;
    }

    private static Response.ResponseBuilder error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(code, message));
    }
}
