package io.imagerec.worker.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.imagerec.aws.sqs.DeadLetterQueue;
import io.imagerec.aws.sqs.DeadLetterRoutes;
import io.vertx.ext.web.Router;

/** The jobs dead-letter queue's endpoints, on the worker's port, which serves management only. */
@ApplicationScoped
public class DeadLetterEndpoints {

    void register(@Observes Router router, DeadLetterQueue deadLetters) {
        DeadLetterRoutes.register(router, deadLetters);
    }
}
