package io.imagerec.results.listener;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.imagerec.aws.sqs.SqsMessageConsumer;
import io.imagerec.results.config.ResultsConfig;
import io.quarkus.runtime.ShutdownEvent;

/**
 * On SIGTERM: stop taking results, let the writes in progress finish within
 * {@code results.queue.shutdown-grace}, and release the rest (visibility 0) for another replica.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final SqsMessageConsumer consumer;
    private final ResultsConfig config;

    public GracefulShutdown(SqsMessageConsumer consumer, ResultsConfig config) {
        this.consumer = consumer;
        this.config = config;
    }

    void onStop(@Observes ShutdownEvent event) {
        int released = consumer.drain(config.queue().shutdownGrace());
        LOG.infof("Stopped taking results; %d released to other replicas", released);
    }
}
