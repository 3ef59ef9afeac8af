package io.imagerec.aws.trace;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logging.MDC;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The one way the services carry a trace across the queues: the W3C trace context ({@code traceparent},
 * {@code tracestate}) travels in the job's and the result's {@code traceContext} field, and the consumer
 * runs its work for the message in a span that is a child of it. The work's span is current while the
 * work's {@link Uni} is built and subscribed, and the job id and tenant are in the logging MDC (with the
 * trace and span ids that Quarkus adds), so JSON logs of that work name them: for the whole work on a
 * message's own Vert.x context, else while it is built and subscribed. With Quarkus's
 * {@code quarkus.otel.sdk.disabled=true} the spans still get ids (nothing is exported), so the context
 * is still carried; with a no-op tracer it is empty.
 */
public final class JobTracing {

    /** MDC keys of the work of one job (Quarkus adds {@code traceId} and {@code spanId}). */
    public static final String MDC_JOB_ID = "jobId";
    public static final String MDC_TENANT = "tenant";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private static final TextMapGetter<Map<String, String>> FROM_MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private JobTracing() {
    }

    /** The current trace context as {@code traceparent} (and {@code tracestate}); empty when there is no span. */
    public static Map<String, String> current() {
        return of(Context.current());
    }

    /** A context as {@code traceparent} (and {@code tracestate}); empty when it holds no valid span. */
    public static Map<String, String> of(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3C.inject(context, carrier, (map, key, value) -> map.put(key, value));
        return Map.copyOf(carrier);
    }

    /** The context a message carried; the root context when it carried none (or an unreadable one). */
    public static Context extract(Map<String, String> carried) {
        if (carried == null || carried.isEmpty()) {
            return Context.root();
        }
        return W3C.extract(Context.root(), carried, FROM_MAP);
    }

    /**
     * Runs the work for one job's message in a span, child of the trace context the message carried,
     * with the job id and tenant as span attributes and in the MDC. The span ends when the work's Uni
     * ends or is cancelled (which cancels the work); a failure is recorded on it. Nothing secret goes
     * into the attributes.
     */
    public static <T> Uni<T> inSpan(Tracer tracer, String name, SpanKind kind, Map<String, String> carried,
            String jobId, String tenant, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(name).setParent(extract(carried)).setSpanKind(kind)
                    .setAttribute("imagerec.job.id", jobId == null ? "" : jobId)
                    .setAttribute("imagerec.tenant", tenant == null ? "" : tenant)
                    .startSpan();
            Context context = Context.current().with(span);
            return Uni.createFrom().<T>emitter(emitter -> {
                Cancellable running;
                // On a duplicated Vert.x context (one per message) Quarkus keeps the MDC in that context,
                // so the names stay with this message's work wherever it continues. Anywhere else the MDC
                // is the thread's: it names the job only while the work is built and subscribed here, and
                // is given back as it was, so that no later line on this thread names the wrong job.
                boolean messageLocal = VertxContext.isOnDuplicatedContext();
                Object previousJob = MDC.get(MDC_JOB_ID);
                Object previousTenant = MDC.get(MDC_TENANT);
                try (Scope scope = context.makeCurrent()) {
                    putMdc(jobId, tenant);
                    // Built and subscribed while the span is current: what the work starts at once (an
                    // SDK call, a message it sends) sees it.
                    running = work.get().subscribe().with(emitter::complete, emitter::fail);
                } catch (RuntimeException e) {
                    emitter.fail(e);
                    return;
                } finally {
                    if (!messageLocal) {
                        restore(MDC_JOB_ID, previousJob);
                        restore(MDC_TENANT, previousTenant);
                    }
                }
                // A cancelled wrapper (a message released at shutdown) cancels the work, as before.
                emitter.onTermination(running::cancel);
            }).onTermination().invoke((item, failure, cancelled) -> {
                if (failure != null) {
                    span.recordException(failure);
                    span.setStatus(StatusCode.ERROR);
                } else if (cancelled) {
                    span.setAttribute("imagerec.cancelled", true);
                }
                span.end();
            });
        });
    }

    /** Names the job and tenant of the work in the logging MDC. */
    public static void putMdc(String jobId, String tenant) {
        if (jobId != null) {
            MDC.put(MDC_JOB_ID, jobId);
        }
        if (tenant != null) {
            MDC.put(MDC_TENANT, tenant);
        }
    }

    private static void restore(String key, Object previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
