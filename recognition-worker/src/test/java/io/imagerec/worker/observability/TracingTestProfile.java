package io.imagerec.worker.observability;

import java.util.HashMap;
import java.util.Map;

import io.imagerec.worker.WorkerTestProfile;

/** The worker test setup with the OpenTelemetry SDK on (it is off by default), spans in memory. */
public class TracingTestProfile extends WorkerTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.bsp.schedule.delay", "100ms");
        config.put("worker.metrics.queue-depth-interval", "1S");
        return config;
    }
}
