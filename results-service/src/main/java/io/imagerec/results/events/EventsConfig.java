package io.imagerec.results.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Live events (server-sent) and their retention; each setting is listed in the README's configuration table. */
@ConfigMapping(prefix = "events")
public interface EventsConfig {

    /** How often an open stream gets a comment line ({@code : keep-alive}), so proxies keep it open. */
    @WithDefault("15S")
    Duration keepAlive();

    /** Most streams one replica keeps open; beyond it a new one is answered 503 TOO_MANY_STREAMS. */
    @WithDefault("1000")
    int maxStreams();

    /** Seconds a client refused by {@link #maxStreams()} is told to wait (Retry-After). */
    @WithDefault("5")
    int retryAfterSeconds();

    /** Events read from the database at once, for a replay and for a replica's fan-out. */
    @WithDefault("500")
    int pageSize();

    /**
     * Events that may wait for one slow client; beyond it the stream stops taking live events and
     * reads from the database at its own pace until it has caught up.
     */
    @WithDefault("256")
    int maxQueued();

    /** How often the listening connection is checked (a query), and missed events looked for. */
    @WithDefault("10S")
    Duration probeInterval();

    /** First wait before the listening connection is opened again after a failure; doubles up to 30 s. */
    @WithDefault("1S")
    Duration reconnectDelay();

    /** Events older than this are deleted; a Last-Event-ID older than that resumes from the oldest kept. */
    @WithDefault("7D")
    Duration retention();

    /** How often old events are deleted. */
    @WithDefault("1H")
    Duration retentionEvery();

    /** Events deleted per statement, so a large backlog never holds one long transaction. */
    @WithDefault("5000")
    int retentionBatch();
}
