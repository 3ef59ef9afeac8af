package io.imagerec.results.events;

import java.util.HashMap;
import java.util.Map;

import io.imagerec.results.ResultsTestProfile;

/** The results test profile with few streams allowed and short keep-alive and probe intervals. */
public class EventsTestProfile extends ResultsTestProfile {

    static final int MAX_STREAMS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("events.max-streams", Integer.toString(MAX_STREAMS));
        config.put("events.keep-alive", "2S");
        config.put("events.probe-interval", "2S");
        config.put("events.reconnect-delay", "500MS");
        config.put("events.retention-batch", "1"); // deletes one per statement: the batches are exercised
        return config;
    }
}
