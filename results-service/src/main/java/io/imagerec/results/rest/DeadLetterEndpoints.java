package io.imagerec.results.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.DeadLetterRoutes;
import io.quarkus.vertx.http.ManagementInterface;

/**
 * The results dead-letter queue's endpoints, on the management interface (port 8083), never on the
 * public API port: they show every tenant's results and start redrives.
 */
@ApplicationScoped
public class DeadLetterEndpoints {

    void register(@Observes ManagementInterface management, DeadLetterQueue deadLetters) {
        DeadLetterRoutes.register(management.router(), deadLetters);
    }
}
