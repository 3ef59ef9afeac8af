package io.imagerec.results.observability;

import java.util.HashMap;
import java.util.Map;

import io.imagerec.results.ResultsTestProfile;

/** The results test setup with the OpenTelemetry SDK on (it is off by default), spans in memory. */
public class TracingTestProfile extends ResultsTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.bsp.schedule.delay", "100ms");
        config.put("results.metrics.interval", "1S");
        return config;
    }
}
