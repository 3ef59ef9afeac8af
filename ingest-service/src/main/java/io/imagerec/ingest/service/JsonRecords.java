package io.imagerec.ingest.service;

import java.io.IOException;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON of what ingest keeps in S3 (idempotency, upload and backfill records, orphan markers). */
@ApplicationScoped
public class JsonRecords {

    private final ObjectMapper json;

    public JsonRecords(ObjectMapper json) {
        this.json = json;
    }

    public byte[] write(Object record) {
        try {
            return json.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("could not be written as JSON", e);
        }
    }

    /** The record; an IOException when the bytes are not one. */
    public <T> T read(byte[] bytes, Class<T> type) throws IOException {
        return json.readValue(bytes, type);
    }

    /** The record, or an IllegalStateException when the bytes are not one. */
    public <T> T readOrFail(byte[] bytes, Class<T> type) {
        try {
            return read(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable " + type.getSimpleName() + " record", e);
        }
    }
}
