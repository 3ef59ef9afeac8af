package io.imagerec.aws.trace;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context.AfterExecution;
import software.amazon.awssdk.core.interceptor.Context.BeforeExecution;
import software.amazon.awssdk.core.interceptor.Context.FailedExecution;
import software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * A client span for each call of an AWS SDK client, child of the span current where the call is made,
 * and its W3C {@code traceparent} (and {@code tracestate}) in the HTTP request, so that a server that
 * reads them (rekognition-local with OpenTelemetry) joins the same trace. The headers are added before
 * the request is signed. Neither Quarkus nor the amazon-services extensions instrument a client built
 * from the plain SDK, as the worker's Rekognition client is.
 */
public final class SdkTracing implements ExecutionInterceptor {

    private static final ExecutionAttribute<Span> SPAN = new ExecutionAttribute<>("imagerec.otel.span");

    private final Tracer tracer;

    public SdkTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public void beforeExecution(BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Span span = tracer.spanBuilder(service + "." + operation).setSpanKind(SpanKind.CLIENT)
                .setParent(Context.current())
                .setAttribute("rpc.system", "aws-api")
                .setAttribute("rpc.service", service == null ? "" : service)
                .setAttribute("rpc.method", operation == null ? "" : operation)
                .startSpan();
        attributes.putAttribute(SPAN, span);
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(ModifyHttpRequest context, ExecutionAttributes attributes) {
        Span span = attributes.getAttribute(SPAN);
        if (span == null || !span.getSpanContext().isValid()) {
            return context.httpRequest();
        }
        SdkHttpRequest.Builder request = context.httpRequest().toBuilder();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), request,
                (r, key, value) -> r.putHeader(key, value));
        return request.build();
    }

    @Override
    public void afterExecution(AfterExecution context, ExecutionAttributes attributes) {
        Span span = attributes.getAttribute(SPAN);
        if (span != null) {
            span.setAttribute("http.response.status_code", context.httpResponse().statusCode());
            span.end();
        }
    }

    @Override
    public void onExecutionFailure(FailedExecution context, ExecutionAttributes attributes) {
        Span span = attributes.getAttribute(SPAN);
        if (span != null) {
            Throwable failure = context.exception();
            if (failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
                span.setAttribute("aws.error.code", String.valueOf(aws.awsErrorDetails().errorCode()));
            }
            span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
            span.end();
        }
    }
}
