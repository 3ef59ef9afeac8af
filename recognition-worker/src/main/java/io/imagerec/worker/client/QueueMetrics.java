package io.imagerec.worker.client;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.imagerec.aws.metrics.QueueDepths;
import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.SqsQueue;
import io.imagerec.worker.config.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The depth of the jobs queue and of its dead-letter queue as gauges ({@code sqs_queue_messages}),
 * read every {@code worker.metrics.queue-depth-interval} with the worker's own SQS client.
 */
@ApplicationScoped
public class QueueMetrics {

    private final QueueDepths depths;
    private final WorkerConfig config;

    public QueueMetrics(MeterRegistry metrics, SqsQueue jobs, DeadLetterQueue deadLetters, WorkerConfig config) {
        this.depths = new QueueDepths(metrics, List.of(new QueueDepths.Watched(jobs, deadLetters)),
                config.sqs().callTimeout());
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        depths.start(config.queueDepthInterval());
    }

    @PreDestroy
    void stop() {
        depths.close();
    }
}
