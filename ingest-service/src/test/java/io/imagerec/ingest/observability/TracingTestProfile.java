package io.imagerec.ingest.observability;

import java.util.HashMap;
import java.util.Map;

import io.imagerec.ingest.IngestTestProfile;

/** The ingest test setup with the OpenTelemetry SDK on (it is off by default); spans go to memory. */
public class TracingTestProfile extends IngestTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.bsp.schedule.delay", "100ms");
        return config;
    }
}
