package io.imagerec.results.webhooks;

import java.util.HashMap;
import java.util.Map;

import io.imagerec.results.ResultsTestProfile;

/** The results test profile with webhook timings short enough for a test, and loopback allowed. */
public class WebhookTestProfile extends ResultsTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("webhooks.allowed-private-networks", "127.0.0.1/32");
        overrides.put("webhooks.poll-interval", "1S");
        overrides.put("webhooks.retry-initial-delay", "300MS");
        overrides.put("webhooks.retry-max-delay", "1S");
        overrides.put("webhooks.read-timeout", "2S");
        overrides.put("webhooks.retry-for", "12S");
        return overrides;
    }
}
