package io.imagerec.rekognition.api;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every error as Rekognition reports it: the status, {@code x-amzn-ErrorType}, and
 * {@code {"__type": ..., "Message": ...}}. Anything unexpected becomes InternalServerError, logged once.
 */
@Provider
public class RekognitionExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(RekognitionExceptionMapper.class);

    private final ObjectMapper json;

    public RekognitionExceptionMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Response toResponse(Throwable error) {
        RekognitionException e;
        if (error instanceof RekognitionException r) {
            e = r;
        } else if (error instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() < 500) {
            e = new RekognitionException(w.getResponse().getStatus() == 413 ? "ImageTooLargeException"
                    : "InvalidParameterException", 400, w.getMessage());
        } else {
            LOG.error("Unexpected error while answering a request", error);
            e = RekognitionException.internal("Internal server error");
        }
        ObjectNode body = json.createObjectNode().put("__type", e.type()).put("Message", e.getMessage());
        return Response.status(e.status())
                .type(RekognitionResource.AMZ_JSON)
                .header("x-amzn-ErrorType", e.type())
                .header("x-amzn-RequestId", UUID.randomUUID().toString())
                .entity(body.toString().getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
