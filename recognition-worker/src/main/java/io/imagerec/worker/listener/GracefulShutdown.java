package io.imagerec.worker.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;

/**
 * On SIGTERM: stop taking jobs, give the running ones {@code worker.jobs.shutdown-grace} to finish,
 * and release the rest, and whatever the connector had received meanwhile, at visibility 0 so another
 * worker starts them at once. Runs before the
 * connector and the SQS client are closed.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final SqsMessageConsumer consumer;
    private final WorkerConfig config;

    public GracefulShutdown(SqsMessageConsumer consumer, WorkerConfig config) {
        this.consumer = consumer;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        int running = consumer.inFlight();
        int released = consumer.drain(config.jobs().shutdownGrace());
        LOG.infof("Stopped taking jobs: %d were running, %d of them released to other workers", running, released);
    }
}
