package io.imagerec.ingest.service;

import java.time.Instant;

/**
 * What ingest remembers of an upload made with an Idempotency-Key, in S3 under
 * {@code idempotency/<tenant>/<sha256 of the key>}. The record is written before anything else
 * (conditionally, so only one request owns it), with the ids the upload will use; it says ACCEPTED once
 * the job is on the queue. A PENDING record whose lease has run out belongs to a request that failed
 * or died: the next retry takes it over and finishes the same upload with the same ids.
 *
 * @param fingerprint SHA-256 of the image and the options, to tell a retry from a reuse of the key
 */
public record IdempotencyRecord(String state, String fingerprint, UploadReceipt receipt, Instant leaseUntil) {

    public static final String PENDING = "PENDING";
    public static final String ACCEPTED = "ACCEPTED";

    boolean accepted() {
        return ACCEPTED.equals(state);
    }

    IdempotencyRecord accept() {
        return new IdempotencyRecord(ACCEPTED, fingerprint, receipt, null);
    }

    IdempotencyRecord leasedUntil(Instant until) {
        return new IdempotencyRecord(PENDING, fingerprint, receipt, until);
    }
}
