package io.imagerec.results.listener;

import java.io.IOException;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Messages;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.results.repository.ResultRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumes {@code recognition-results}. The message is acknowledged (deleted) after the method returns,
 * that is after the transaction committed; an exception leaves it for redelivery and, after five
 * receives, the dead-letter queue.
 */
@ApplicationScoped
public class RecognitionResultListener {

    private static final Logger LOG = Logger.getLogger(RecognitionResultListener.class);

    private final ResultRepository repository;
    private final ObjectMapper json;
    private final MeterRegistry metrics;

    public RecognitionResultListener(ResultRepository repository, ObjectMapper json, MeterRegistry metrics) {
        this.repository = repository;
        this.json = json;
        this.metrics = metrics;
    }

    @Incoming("recognition-results")
    @Blocking(ordered = false)
    public void onResult(String body) throws IOException, SQLException {
        RecognitionResult result = Messages.readResult(json, body);
        boolean changed = repository.apply(result);
        metrics.counter("results.messages", "status", result.status().name(), "applied", Boolean.toString(changed))
                .increment();
        LOG.debugf("job %s %s (%s)", result.jobId(), result.status(), changed ? "applied" : "stale or duplicate");
    }
}
