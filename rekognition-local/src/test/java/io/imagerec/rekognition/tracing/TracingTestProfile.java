package io.imagerec.rekognition.tracing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The engine with the OpenTelemetry SDK on (it is off by default). */
public class TracingTestProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "100ms");
    }
}
