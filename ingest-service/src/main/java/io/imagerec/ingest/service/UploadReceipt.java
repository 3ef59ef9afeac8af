package io.imagerec.ingest.service;

import java.util.Map;

/** The answer to an accepted upload (202): where to follow the job. */
public record UploadReceipt(String jobId, String imageId, String status, Map<String, String> links) {
}
