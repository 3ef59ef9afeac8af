package io.imagerec.results.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.imagerec.results.service.ResultsException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;

/**
 * A replica's live events. One connection of its own LISTENs on {@code job_events} (the payload of a
 * notification is an event id, sent at commit by {@link EventLog}); on each notification the replica reads
 * what is new once, per tenant with open streams (after the newest id it has read of that tenant), and
 * hands each event to that tenant's streams. A lost connection is opened again with back-off, and the
 * reads after it pick up whatever was committed meanwhile, so no event is missed; the connection is
 * also checked every {@code events.probe-interval}, which catches a silently dead one.
 */
@ApplicationScoped
public class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);
    private static final Duration READ_RETRY = Duration.ofSeconds(2);

    /** The newest id read of a tenant with open streams, and those streams. */
    private static final class TenantFeed {
        long cursor;
        final Set<EventStream> streams = new HashSet<>();

        TenantFeed(long cursor) {
            this.cursor = cursor;
        }
    }

    private final EventStore store;
    private final EventsConfig config;
    private final String url;
    private final String user;
    private final String password;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-events-timer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter sent;
    private final Counter reconnects;

    // Guarded by this; never held while calling into a stream (a stream calls back under its own lock).
    private final Map<String, TenantFeed> tenants = new HashMap<>();

    private volatile boolean running;
    private volatile boolean closing;
    private Thread listener;

    public EventFeed(EventStore store, EventsConfig config, MeterRegistry metrics,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "") String user,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        this.store = store;
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
        Gauge.builder("results.events.streams", open, AtomicInteger::get).description("Open live-event streams")
                .register(metrics);
        Gauge.builder("results.events.listener.connected", connected, AtomicInteger::get)
                .description("1 while this replica listens for new events").register(metrics);
        this.sent = Counter.builder("results.events.sent").description("Events sent to live-event streams")
                .register(metrics);
        this.reconnects = Counter.builder("results.events.listener.reconnects")
                .description("Listening connections opened again after a failure").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        listener = new Thread(this::listen, "job-events-listener");
        listener.setDaemon(true);
        listener.start();
        long every = config.keepAlive().toMillis();
        timer.scheduleWithFixedDelay(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * At the start of a shutdown, while the HTTP server still runs (quarkus.shutdown.delay-enabled): ends
     * every stream properly, and refuses new ones; clients resume elsewhere with Last-Event-ID.
     */
    void endStreams(@Observes ShutdownDelayInitiatedEvent event) {
        closing = true;
        List<EventStream> all;
        synchronized (this) {
            all = tenants.values().stream().flatMap(f -> f.streams.stream()).toList();
        }
        all.forEach(EventStream::end);
        if (!all.isEmpty()) {
            LOG.infof("Shutting down: ended %d live-event streams", all.size());
        }
    }

    /** Stops listening (and ends any stream left). */
    void stop(@Observes ShutdownEvent event) {
        endStreams(null);
        running = false;
        timer.shutdownNow();
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Streams open on this replica. */
    public int openStreams() {
        return open.get();
    }

    /** Whether the listening connection is up. */
    public boolean listening() {
        return connected.get() == 1;
    }

    /**
     * A stream of a tenant's events, or of one job's ({@code jobId} not null), after {@code afterId}; without
     * it, a tenant's stream starts with the next event and a job's with the job's first.
     * {@code endWhenCaughtUp} ends it once it has sent what is stored (a job already finished). Runs on a
     * worker thread: it reads the tenant's newest event id. Refused with 503 TOO_MANY_STREAMS when this
     * replica has its most streams open.
     */
    public Multi<StreamItem> open(String tenant, String jobId, Long afterId, boolean endWhenCaughtUp)
            throws SQLException {
        refuseWhenFull();
        long latest = store.latest(tenant);
        long start = afterId != null ? afterId : jobId != null ? 0 : latest;
        return Multi.createFrom().<StreamItem>deferred(() -> {
            EventStream stream = new EventStream(tenant, jobId, start, endWhenCaughtUp, config.pageSize(),
                    config.maxQueued(), Infrastructure.getDefaultWorkerPool(), host);
            return Multi.createFrom().<StreamItem>emitter(emitter -> {
                emitter.onTermination(stream::terminated);
                register(stream, latest);
                stream.start(emitter);
                if (closing) { // opened just as the replica began to shut down
                    stream.end();
                }
            }, BackPressureStrategy.BUFFER).onItem().invoke(item -> {
                stream.delivered();
                if (item instanceof StreamItem.Event) {
                    sent.increment();
                }
            });
        });
    }

    /** Refuses a new stream when this replica has its most open, or is shutting down. */
    public void refuseWhenFull() {
        if (closing) {
            throw new ResultsException(503, "SHUTTING_DOWN", "This replica is shutting down; connect again",
                    config.retryAfterSeconds());
        }
        if (open.get() >= config.maxStreams()) {
            throw new ResultsException(503, "TOO_MANY_STREAMS", "This replica has its most live-event streams open;"
                    + " retry after Retry-After seconds", config.retryAfterSeconds());
        }
    }

    private final EventStream.Host host = new EventStream.Host() {
        @Override
        public List<JobEvent> read(EventStream stream, long afterId) throws SQLException {
            return store.after(stream.tenant, stream.jobId, afterId, config.pageSize());
        }

        @Override
        public void retryLater(Runnable read) {
            if (running) {
                timer.schedule(() -> Infrastructure.getDefaultWorkerPool().execute(read), READ_RETRY.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void ended(EventStream stream) {
            synchronized (EventFeed.this) {
                TenantFeed feed = tenants.get(stream.tenant);
                if (feed != null && feed.streams.remove(stream)) {
                    open.decrementAndGet();
                    if (feed.streams.isEmpty()) {
                        tenants.remove(stream.tenant);
                    }
                }
            }
        }
    };

    /**
     * From now on the stream is handed its tenant's events read after {@code latest}; every event up to
     * it was committed before, so the stream's own first read finds it.
     */
    private synchronized void register(EventStream stream, long latest) {
        tenants.computeIfAbsent(stream.tenant, t -> new TenantFeed(latest)).streams.add(stream);
        open.incrementAndGet();
    }

    private void keepAlive() {
        List<EventStream> all;
        synchronized (this) {
            all = tenants.values().stream().flatMap(f -> f.streams.stream()).toList();
        }
        all.forEach(EventStream::keepAlive);
    }

    private void listen() {
        Duration delay = config.reconnectDelay();
        boolean failedBefore = false;
        while (running) {
            try (Connection c = connect()) {
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + EventLog.CHANNEL);
                }
                connected.set(1);
                if (failedBefore) {
                    reconnects.increment();
                    LOG.info("Listening for job events again; reading what was missed");
                }
                failedBefore = false;
                delay = config.reconnectDelay();
                readNew(c); // what committed while nobody listened
                long probeEvery = config.probeInterval().toNanos();
                long nextProbe = System.nanoTime() + probeEvery;
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    boolean probe = System.nanoTime() >= nextProbe;
                    if (probe) {
                        try (Statement s = c.createStatement()) {
                            s.execute("SELECT 1");
                        }
                        nextProbe = System.nanoTime() + probeEvery;
                    }
                    if (probe || (notifications != null && notifications.length > 0)) {
                        readNew(c);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                connected.set(0);
                if (!running) {
                    break;
                }
                if (!failedBefore) {
                    LOG.warnf("Listening for job events failed; opening the connection again: %s", e.toString());
                }
                failedBefore = true;
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY
                        : delay.multipliedBy(2);
            }
        }
        connected.set(0);
    }

    /** Reads each watched tenant's events after its cursor, and hands them to its streams. */
    private void readNew(Connection c) throws SQLException {
        int limit = config.pageSize();
        while (running) {
            Map<String, Long> cursors;
            synchronized (this) {
                cursors = new HashMap<>();
                tenants.forEach((tenant, feed) -> cursors.put(tenant, feed.cursor));
            }
            if (cursors.isEmpty()) {
                return;
            }
            List<JobEvent> events = EventStore.after(c, cursors, limit);
            Map<String, Integer> perTenant = new HashMap<>();
            for (JobEvent event : events) {
                perTenant.merge(event.tenant(), 1, Integer::sum);
                List<EventStream> to = new ArrayList<>();
                synchronized (this) {
                    TenantFeed feed = tenants.get(event.tenant());
                    if (feed == null || event.eventId() <= feed.cursor) {
                        continue;
                    }
                    feed.cursor = event.eventId();
                    to.addAll(feed.streams);
                }
                // Outside the lock: a stream registered after this point reads the event itself.
                to.forEach(s -> s.offer(event));
            }
            if (perTenant.values().stream().noneMatch(n -> n >= limit)) {
                return;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "results-service events");
        properties.setProperty("connectTimeout", "10");
        // A read that hangs (a silently dead connection) fails after this many seconds.
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        c.setAutoCommit(true);
        return c;
    }
}
