package io.imagerec.rekognition.api;

import java.nio.charset.StandardCharsets;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The one error format, as Rekognition answers: the status, {@code x-amzn-ErrorType}, and
 * {@code {"__type": ..., "Message": ...}}; and the one log line each refused request gets.
 */
final class ApiErrors {

    private static final Logger LOG = Logger.getLogger("io.imagerec.rekognition.api.errors");

    private ApiErrors() {
    }

    static byte[] body(RekognitionException e) {
        return JsonNodeFactory.instance.objectNode().put("__type", e.type()).put("Message", e.getMessage())
                .toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One line, no stack trace: a client error (4xx) at INFO, an expected server-side refusal
     * (ThrottlingException, S3 unavailable) at WARN. Unexpected failures are logged with their stack
     * trace where they are caught. Caller-supplied text is cleaned of control characters.
     */
    static void log(String target, RekognitionException e) {
        String operation = target == null ? "-" : LogText.clean(target.startsWith("RekognitionService.")
                ? target.substring("RekognitionService.".length()) : target);
        if (e.status() < 500) {
            LOG.infof("%s refused: %d %s: %s", operation, e.status(), e.type(), LogText.clean(e.getMessage()));
        } else {
            LOG.warnf("%s failed: %d %s: %s", operation, e.status(), e.type(), LogText.clean(e.getMessage()));
        }
    }
}
