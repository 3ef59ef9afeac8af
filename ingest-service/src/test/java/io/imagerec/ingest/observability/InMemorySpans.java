package io.imagerec.ingest.observability;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Quarkus's documented way to see the spans in a test: a CDI span exporter, which the OpenTelemetry
 * extension picks up. It only receives spans where the SDK is enabled ({@link TracingTestProfile}).
 */
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
