package io.imagerec.results.listener;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.aws.sqs.Backoff;
import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.aws.sqs.SqsMessageConsumer.Outcome;
import io.imagerec.aws.trace.JobTracing;
import io.imagerec.contracts.Messages;
import io.imagerec.contracts.RecognitionResult;
import io.imagerec.results.client.ResultPayloads;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.repository.DatabaseFailures;
import io.imagerec.results.repository.ResultRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.aws.sqs.SqsIncomingMetadata;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Consumes {@code recognition-results}. A message is acknowledged (deleted) once its result is
 * committed. While the database or S3 cannot be reached the message is held and the write tried
 * again with back-off, its visibility renewed by a heartbeat, and receiving pauses until it is done:
 * receives are not spent, and no result is pushed to the dead-letter queue by an outage. Only a
 * message that can never be applied (unreadable, an unknown schema, a claim check that cannot be
 * resolved, data the database refuses) is released to come back, and after five receives moves to
 * the dead-letter queue.
 */
@ApplicationScoped
public class RecognitionResultListener {

    private static final Logger LOG = Logger.getLogger(RecognitionResultListener.class);

    private final ResultRepository repository;
    private final ResultPayloads payloads;
    private final SqsMessageConsumer consumer;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final Backoff backoff;
    private final Tracer tracer;

    public RecognitionResultListener(ResultRepository repository, ResultPayloads payloads, SqsMessageConsumer consumer,
            ObjectMapper json, MeterRegistry metrics, ResultsConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.repository = repository;
        this.payloads = payloads;
        this.consumer = consumer;
        this.json = json;
        this.metrics = metrics;
        this.backoff = new Backoff(config.queue().retryInitialDelay(), config.queue().retryMaxDelay());
    }

    @Incoming("recognition-results")
    public Uni<Void> onResult(Message<String> message) {
        return consumer.consume(message, () -> handle(message));
    }

    private Uni<Outcome> handle(Message<String> message) {
        Map<String, MessageAttributeValue> attributes = message.getMetadata(SqsIncomingMetadata.class)
                .map(m -> m.getMessage().messageAttributes()).orElse(Map.of());
        return payloads.read(message.getPayload(), attributes)
                .onFailure(e -> !(e instanceof ResultPayloads.UnresolvableException)).invoke(e -> {
                    consumer.pauseReceives("S3 is unavailable for a claimed result");
                    LOG.warnf("S3 is unavailable for a claimed result; held and retried: %s", e.toString());
                })
                .onFailure(e -> !(e instanceof ResultPayloads.UnresolvableException))
                .retry().withBackOff(backoff.initial(), backoff.max()).atMost(Long.MAX_VALUE)
                .map(this::read)
                // Applied in a child span of the trace the result carries (the upload's), job and tenant in the MDC.
                .chain(result -> JobTracing.inSpan(tracer, "recognition-results apply", SpanKind.CONSUMER,
                        result.traceContext(), result.jobId(), result.tenant(), () -> apply(result)))
                .map(applied -> Outcome.ack())
                .onFailure(e -> e instanceof UnreadableException || e instanceof ResultPayloads.UnresolvableException)
                .recoverWithItem(e -> {
                    LOG.errorf("A result message that can never be applied is left for the dead-letter queue: %s",
                            e.getMessage());
                    metrics.counter("results.messages.unreadable").increment();
                    return Outcome.retry(Duration.ZERO, e.getMessage());
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf(e, "The database refused a result; it will be tried again");
                    return Outcome.retry(backoff.max(), e.toString());
                })
                // Whatever became of this message, the next one may be received: a pause lasts while one is held.
                .eventually(consumer::resumeReceives);
    }

    private RecognitionResult read(String body) {
        try {
            return Messages.readResult(json, body);
        } catch (IOException e) {
            throw new UnreadableException("unreadable result message: " + e.getMessage(), e);
        }
    }

    /** Applies a result; while the database is unreachable, tries again without end (until shutdown). */
    private Uni<Boolean> apply(RecognitionResult result) {
        return Uni.createFrom().item(() -> {
                    try {
                        return repository.apply(result);
                    } catch (SQLException e) {
                        throw new DatabaseException(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(DatabaseFailures::isTransient).invoke(e -> {
                    consumer.pauseReceives("the database is unavailable");
                    metrics.counter("results.database.retries").increment();
                    LOG.warnf("The database is unavailable; result for job %s held and retried: %s", result.jobId(),
                            e.getCause() != null ? e.getCause().toString() : e.toString());
                })
                .onFailure(DatabaseFailures::isTransient)
                .retry().withBackOff(backoff.initial(), backoff.max()).atMost(Long.MAX_VALUE)
                .invoke(changed -> {
                    metrics.counter("results.messages", "status", result.status().name(), "applied",
                            Boolean.toString(changed)).increment();
                    LOG.debugf("job %s %s (%s)", result.jobId(), result.status(), changed ? "applied" : "stale or duplicate");
                });
    }

    /** A message that is not a result this service can read. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A checked SQLException carried through the reactive pipeline. */
    static final class DatabaseException extends RuntimeException {
        DatabaseException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
