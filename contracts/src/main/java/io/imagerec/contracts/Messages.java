package io.imagerec.contracts;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads messages and refuses schema versions this code does not know. */
public final class Messages {

    private Messages() {
    }

    public static RecognitionJob readJob(ObjectMapper json, String body) throws IOException {
        RecognitionJob job = json.readValue(body, RecognitionJob.class);
        if (!RecognitionJob.SCHEMA.equals(job.schema())) {
            throw new IOException("unsupported job schema " + job.schema() + "; this consumer reads " + RecognitionJob.SCHEMA);
        }
        return job;
    }

    public static RecognitionResult readResult(ObjectMapper json, String body) throws IOException {
        RecognitionResult result = json.readValue(body, RecognitionResult.class);
        if (!RecognitionResult.SCHEMA.equals(result.schema())) {
            throw new IOException("unsupported result schema " + result.schema() + "; this consumer reads "
                    + RecognitionResult.SCHEMA);
        }
        return result;
    }
}
