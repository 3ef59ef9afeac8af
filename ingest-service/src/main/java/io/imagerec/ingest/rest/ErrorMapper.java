package io.imagerec.ingest.rest;

import java.io.IOException;

import jakarta.ws.rs.NotAcceptableException;
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
import io.imagerec.security.ClientErrors;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Every error of ingest-service in the one error format, with its stable code. A client error is logged
 * in one line ({@link ClientErrors}); an unexpected one is a 500, logged with its stack trace.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
    /** Refused requests, one line each. */
    static final ClientErrors REFUSED = new ClientErrors("io.imagerec.ingest.refused");
    /** Where Quarkus REST reads a request body from the connection (and cuts it off at max-body-size). */
    private static final String BODY_READER = "org.jboss.resteasy.reactive.server.vertx.VertxInputStream";

    private final CurrentVertxRequest current;

    public ErrorMapper(CurrentVertxRequest current) {
        this.current = current;
    }

    @Override
    public Response toResponse(Exception exception) {
        if (exception instanceof IngestException e) {
            if (e.status() < 500) {
                refused(e.status(), e.code(), e.getMessage());
            } // a 503 was logged where the dependency failed
            Response.ResponseBuilder response = error(e.status(), e.code(), e.getMessage());
            if (e.retryAfterSeconds() != null) {
                response.header("Retry-After", e.retryAfterSeconds());
            }
            return response.build();
        }
        if (exception instanceof NotSupportedException) {
            return refuse(415, "UNSUPPORTED_MEDIA_TYPE",
                    "Send image/jpeg or image/png as the body, or multipart/form-data with a 'file' field");
        }
        if (exception instanceof NotFoundException && exception.getCause() != null) {
            // Quarkus REST's answer to a query or path parameter that does not convert (maxLabels=abc).
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
            if (status == 400 && jsonProblem(w) != null) {
                // A JSON body that does not parse or does not fit (an unknown feature, a number that is text).
                return refuse(400, "INVALID_PARAMETER", "The JSON body is not valid: " + jsonProblem(w));
            }
            if (status == 400 && w.getCause() != null) {
                // A header parameter that does not convert.
                return refuse(400, "INVALID_PARAMETER", "A parameter is not valid: "
                        + ClientErrors.clean(w.getCause().getMessage()));
            }
            return refuse(status, status == 413 ? "IMAGE_TOO_LARGE" : "BAD_REQUEST", w.getMessage());
        }
        if (exception instanceof IOException && thrownBy(exception, BODY_READER)) {
            // The HTTP layer cut a body without a declared length off at max-body-size and answered a bare 413
            // itself, or the client went away mid-body: nothing more can be written.
            refused(413, "IMAGE_TOO_LARGE", "The body was cut off: " + exception.getMessage());
            return Response.status(413).build();
        }
        LOG.error("Unexpected error", exception);
        return error(500, "INTERNAL_ERROR", "Internal error").build();
    }

    private Response refuse(int status, String code, String message) {
        refused(status, code, message);
        return error(status, code, message).build();
    }

    private void refused(int status, String code, String message) {
        io.vertx.core.http.HttpServerRequest request;
        try {
            request = current.getCurrent() == null ? null : current.getCurrent().request();
        } catch (RuntimeException outsideARequest) {
            request = null;
        }
        REFUSED.log(request == null ? null : request.method().name(), request == null ? null : request.path(),
                status, code, message);
    }

    private static boolean thrownBy(Throwable e, String className) {
        StackTraceElement[] frames = e.getStackTrace();
        return frames.length > 0 && frames[0].getClassName().equals(className);
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
