package io.imagerec.aws.sqs;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.imagerec.contracts.ApiError;
import io.imagerec.contracts.Json;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Operators' view of the dead-letter queue of the queue a service consumes (the worker: jobs; the
 * results service: results), as routes on a router that only operators reach (the worker's
 * management port, results-service's management interface), never on a public API port:
 * <ul>
 *   <li>{@code GET /admin/dead-letters?limit=10}: the approximate count and up to {@code limit} (1-100)
 *       messages, left in place;</li>
 *   <li>{@code POST /admin/dead-letters/redrive}: moves every message back to the queue it came from;</li>
 *   <li>{@code GET /admin/dead-letters/redrives}: recent redrives and their progress.</li>
 * </ul>
 * Errors come in the platform's one error format.
 */
public final class DeadLetterRoutes {

    private static final Logger LOG = Logger.getLogger(DeadLetterRoutes.class);
    public static final String PATH = "/admin/dead-letters";

    private DeadLetterRoutes() {
    }

    public static void register(Router router, DeadLetterQueue deadLetters) {
        router.get(PATH).handler(ctx -> answer(ctx, DeadLetterView.list(deadLetters, limit(ctx))));
        router.post(PATH + "/redrive").handler(ctx -> answer(ctx, DeadLetterView.redrive(deadLetters)));
        router.get(PATH + "/redrives").handler(ctx -> answer(ctx, deadLetters.moveTasks()));
    }

    private static int limit(RoutingContext ctx) {
        String limit = ctx.queryParams().get("limit");
        if (limit == null) {
            return 10;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            return -1; // refused by the listing with INVALID_PARAMETER
        }
    }

    private static void answer(RoutingContext ctx, Uni<?> work) {
        work.subscribe().with(value -> send(ctx, 200, value), failure -> {
            if (failure instanceof IllegalArgumentException) {
                send(ctx, 400, ApiError.of("INVALID_PARAMETER", failure.getMessage()));
            } else if (failure instanceof SdkException || failure instanceof TimeoutException) {
                LOG.warnf("Dead-letter request failed: %s", failure.toString());
                send(ctx, 503, ApiError.of("QUEUE_UNAVAILABLE", "SQS is unavailable; try again later"));
            } else {
                LOG.error("Dead-letter request failed", failure);
                send(ctx, 500, ApiError.of("INTERNAL_ERROR", "Internal error"));
            }
        });
    }

    private static void send(RoutingContext ctx, int status, Object body) {
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.mapper().writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
