package io.imagerec.ingest.direct;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.aws.sqs.SqsMessageConsumer.Outcome;
import io.imagerec.contracts.Tenants;
import io.imagerec.ingest.client.ImageStore;
import io.imagerec.ingest.service.IngestException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Completes direct uploads from S3 event notifications ({@code s3:ObjectCreated:*} on the images bucket,
 * prefix {@code direct/}, delivered to the {@code image-uploads} queue): on AWS a client then only PUTs.
 * An event for an object ingest does not know (no upload record, another bucket or prefix, not an image)
 * is dropped with a log line; a transient failure leaves the event for another try.
 */
@ApplicationScoped
public class UploadEventsListener {

    private static final Logger LOG = Logger.getLogger(UploadEventsListener.class);

    private final DirectUploads uploads;
    private final ImageStore images;
    private final SqsMessageConsumer consumer;
    private final ObjectMapper json;

    public UploadEventsListener(DirectUploads uploads, ImageStore images, UploadEventsConsumer consumer,
            ObjectMapper json) {
        this.uploads = uploads;
        this.images = images;
        this.consumer = consumer.get();
        this.json = json;
    }

    @Incoming("image-uploads")
    public Uni<Void> onEvent(Message<String> message) {
        return consumer.consume(message, () -> handle(message.getPayload()));
    }

    Uni<Outcome> handle(String body) {
        List<String[]> uploaded;
        try {
            uploaded = uploads(json.readTree(body));
        } catch (IOException e) {
            LOG.warnf("Dropped an upload event that is not S3 event JSON: %s", e.getMessage());
            return Uni.createFrom().item(Outcome.ack());
        }
        return Multi.createFrom().iterable(uploaded)
                .onItem().transformToUniAndConcatenate(u -> uploads.complete(u[0], u[1]).replaceWith(true)
                        .onFailure(IngestException.class).recoverWithUni(e -> {
                            IngestException failure = (IngestException) e;
                            if (failure.status() >= 500 || failure.status() == 409) {
                                return Uni.createFrom().failure(e);
                            }
                            LOG.warnf("Upload event for %s/%s dropped: %s %s", u[0], u[1], failure.code(),
                                    failure.getMessage());
                            return Uni.createFrom().item(false);
                        }))
                .collect().asList()
                .map(done -> Outcome.ack())
                .onFailure().recoverWithItem(e -> Outcome.retry(Duration.ofSeconds(5), String.valueOf(e.getMessage())));
    }

    /** (tenant, uploadId) of each object-created record for a direct upload in the images bucket. */
    private List<String[]> uploads(JsonNode event) {
        List<String[]> found = new ArrayList<>();
        for (JsonNode record : event.path("Records")) {
            String name = record.path("eventName").asText("");
            String bucket = record.path("s3").path("bucket").path("name").asText("");
            // Keys in S3 events are URL-encoded, spaces as '+'.
            String key = URLDecoder.decode(record.path("s3").path("object").path("key").asText(""),
                    StandardCharsets.UTF_8);
            String[] parts = key.split("/");
            if (!name.startsWith("ObjectCreated:") || !bucket.equals(images.bucket())
                    || !key.startsWith(DirectUploads.PREFIX) || parts.length != 3
                    || Tenants.fromHeader(parts[1]) == null) {
                LOG.debugf("Ignored event %s for %s/%s", name, bucket, key);
                continue;
            }
            found.add(new String[] {parts[1], parts[2]});
        }
        return found;
    }
}
