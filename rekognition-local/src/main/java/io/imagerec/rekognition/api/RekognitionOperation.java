package io.imagerec.rekognition.api;

import com.fasterxml.jackson.databind.JsonNode;

/** One Rekognition API operation, found by its name in {@code X-Amz-Target: RekognitionService.<name>}. */
public interface RekognitionOperation {

    String name();

    /** Answers the request body; the returned object is serialised as the response body. */
    Object handle(JsonNode request);
}
