package io.imagerec.ingest.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.imagerec.contracts.ApiError;
import io.vertx.core.http.HttpServerRequest;

/**
 * A JSON body that does not fit (an unknown feature, a number that is text) gets the one error format
 * with a stable code, in place of the framework's own answers for these exceptions; bodies that do not
 * parse at all reach {@link ErrorMapper} wrapped in a 400.
 */
public class JsonErrorMapper {

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, HttpServerRequest request) {
        return invalid(e, request);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, HttpServerRequest request) {
        return invalid(e, request);
    }

    static Response invalid(JsonProcessingException e, HttpServerRequest request) {
        String message = "The JSON body is not valid: " + e.getOriginalMessage();
        ErrorMapper.REFUSED.log(request.method().name(), request.path(), 400, "INVALID_PARAMETER", message);
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(ApiError.of("INVALID_PARAMETER", message)).build();
    }
}
