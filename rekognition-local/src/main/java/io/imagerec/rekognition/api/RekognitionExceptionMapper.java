package io.imagerec.rekognition.api;

import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;

/**
 * Every error as Rekognition reports it ({@link ApiErrors}). Client errors and expected refusals are
 * logged in one line; anything unexpected becomes InternalServerError, logged once with its stack trace.
 */
@Provider
public class RekognitionExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(RekognitionExceptionMapper.class);

    @Inject
    CurrentVertxRequest current;

    @Override
    public Response toResponse(Throwable error) {
        RekognitionException e;
        if (error instanceof RekognitionException r) {
            e = r;
            ApiErrors.log(target(), e);
        } else if (error instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            if (status == 413) {
                e = RekognitionException.imageTooLarge("Request body is larger than this endpoint accepts");
            } else if (status == 404 || status == 405) {
                // Not the API (POST /): no such path or method here.
                e = new RekognitionException("UnknownOperationException", status, "No operation at this path and method");
            } else {
                e = RekognitionException.invalidParameter(LogText.clean(w.getMessage()));
            }
            ApiErrors.log(target(), e);
        } else {
            LOG.errorf(error, "Unexpected error while answering %s", LogText.clean(target()));
            e = RekognitionException.internal("Internal server error");
        }
        Response.ResponseBuilder response = Response.status(e.status())
                .type(RekognitionResource.AMZ_JSON)
                .header("x-amzn-ErrorType", e.type())
                .header("x-amzn-RequestId", UUID.randomUUID().toString())
                .entity(ApiErrors.body(e));
        if (e.bodyUnread()) {
            // Refused part-way through the body (over the operation's limit): the rest is not read, and
            // AdmissionFilter closes the connection once this is sent.
            response.header("Connection", "close");
        }
        return response.build();
    }

    private String target() {
        try {
            return current.getCurrent() == null ? null : current.getCurrent().request().getHeader("X-Amz-Target");
        } catch (RuntimeException e) {
            return null;
        }
    }
}
