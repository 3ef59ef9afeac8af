package io.imagerec.results.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.imagerec.aws.metrics.QueueDepths;
import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.results.config.ResultsConfig;
import io.imagerec.results.repository.ResultRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * What an operator watches that no request produces, read every {@code results.metrics.interval}:
 * <ul>
 *   <li>{@code results_jobs_oldest_unfinished_age_seconds}: how long ago the oldest job still QUEUED or
 *       PROCESSING was submitted (0 when none is), from one indexed query; it grows between reads;</li>
 *   <li>{@code sqs_queue_messages}: the depth of the results queue and of its dead-letter queue.</li>
 * </ul>
 */
@ApplicationScoped
public class OperatorMetrics {

    private static final Logger LOG = Logger.getLogger(OperatorMetrics.class);

    private final ResultRepository repository;
    private final QueueDepths depths;
    private final Duration interval;
    private final AtomicReference<Instant> oldestUnfinished = new AtomicReference<>();

    public OperatorMetrics(ResultRepository repository, MeterRegistry metrics, SqsQueue results,
            DeadLetterQueue deadLetters, ResultsConfig config) {
        this.repository = repository;
        this.interval = config.metricsInterval();
        this.depths = new QueueDepths(metrics, List.of(new QueueDepths.Watched(results, deadLetters)),
                config.sqs().callTimeout());
        Gauge.builder("results.jobs.oldest.unfinished.age", oldestUnfinished, OperatorMetrics::age)
                .baseUnit("seconds")
                .description("Age of the oldest job still QUEUED or PROCESSING (0 when none is)")
                .register(metrics);
    }

    private static double age(AtomicReference<Instant> oldest) {
        Instant at = oldest.get();
        return at == null ? 0 : Math.max(0, Duration.between(at, Instant.now()).toMillis() / 1000.0);
    }

    void start(@Observes StartupEvent event) {
        depths.start(interval);
    }

    @Scheduled(every = "${results.metrics.interval:30S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void readOldestUnfinished() {
        try {
            oldestUnfinished.set(repository.oldestUnfinished().orElse(null));
        } catch (Exception e) {
            // The gauge keeps its last value; readiness reports the database.
            LOG.debugf("The oldest unfinished job could not be read: %s", e.toString());
        }
    }

    @PreDestroy
    void stop() {
        depths.close();
    }
}
