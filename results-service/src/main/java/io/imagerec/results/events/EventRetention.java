package io.imagerec.results.events;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Deletes events older than {@code events.retention}, a batch per statement. A client that resumes with
 * an id older than that gets the retained events from the oldest on (what was deleted is gone).
 */
@ApplicationScoped
public class EventRetention {

    private static final Logger LOG = Logger.getLogger(EventRetention.class);

    private final EventStore store;
    private final EventsConfig config;
    private final Clock clock = Clock.systemUTC();

    public EventRetention(EventStore store, EventsConfig config) {
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "${events.retention-every}", delayed = "1M",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            purge();
        } catch (SQLException e) {
            LOG.warnf("Deleting old events failed; next time: %s", e.toString());
        }
    }

    /** Deletes every event created before the retention; how many. */
    public long purge() throws SQLException {
        Instant before = clock.instant().minus(config.retention());
        long deleted = 0;
        int batch;
        do {
            batch = store.deleteOlderThan(before, config.retentionBatch());
            deleted += batch;
        } while (batch >= config.retentionBatch());
        if (deleted > 0) {
            LOG.infof("Deleted %d events older than %s", deleted, config.retention());
        }
        return deleted;
    }
}
