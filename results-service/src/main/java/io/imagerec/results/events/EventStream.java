package io.imagerec.results.events;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * One client's stream: the tenant's events (or one job's) after a cursor, in id order, each once.
 * <p>
 * It is either <em>catching up</em>, reading pages from the database after its cursor at the client's
 * pace, or <em>live</em>, sending what the replica's {@link EventFeed} hands it. It is registered with
 * the feed before its first read, and goes live only after a read that found nothing new while no
 * newer event was handed to it; an event handed to it meanwhile makes it read again. Since a tenant's
 * ids commit in order, the cursor alone tells what was sent: nothing is skipped across the switch, and
 * nothing sent twice. A client that falls {@code maxQueued} events behind goes back to catching up.
 */
final class EventStream {

    private static final Logger LOG = Logger.getLogger(EventStream.class);

    /** What the stream needs from its replica. */
    interface Host {
        List<JobEvent> read(EventStream stream, long afterId) throws SQLException;

        void retryLater(Runnable read);

        void ended(EventStream stream);
    }

    final String tenant;
    /** null: every job of the tenant. */
    final String jobId;
    private final int pageSize;
    private final int maxQueued;
    private final Executor reads;
    private final Host host;
    /** End once what is stored has been sent (a job that had already finished). */
    private final boolean endWhenCaughtUp;

    // Guarded by this.
    private MultiEmitter<? super StreamItem> emitter;
    private long cursor;
    private boolean live;
    private boolean reading;
    /** A newer event was handed over while catching up: read once more before going live. */
    private boolean behind;
    /** Items emitted and not yet taken by the client's connection. */
    private int queued;
    private boolean ended;
    /** The last read failed (logged once until one succeeds). */
    private boolean failing;

    EventStream(String tenant, String jobId, long cursor, boolean endWhenCaughtUp, int pageSize, int maxQueued,
            Executor reads, Host host) {
        this.tenant = tenant;
        this.jobId = jobId;
        this.cursor = cursor;
        this.endWhenCaughtUp = endWhenCaughtUp;
        this.pageSize = pageSize;
        this.maxQueued = maxQueued;
        this.reads = reads;
        this.host = host;
    }

    /** Called once the stream is registered with the feed: starts catching up. */
    synchronized void start(MultiEmitter<? super StreamItem> emitter) {
        this.emitter = emitter;
        readWhenReady();
    }

    /** An event the feed read; ignored unless it is this stream's and newer than what it sent. */
    synchronized void offer(JobEvent event) {
        if (ended || emitter == null || event.eventId() <= cursor || !matches(event)) {
            return;
        }
        if (!live) {
            behind = true;
            return;
        }
        if (queued >= maxQueued) {
            // The client is slow: let it catch up from the database at its own pace.
            live = false;
            behind = true;
            readWhenReady();
            return;
        }
        send(event);
    }

    /** A keep-alive comment, unless the connection has items to write anyway. */
    synchronized void keepAlive() {
        if (!ended && emitter != null && queued == 0) {
            queued++;
            emitter.emit(new StreamItem.KeepAlive());
        }
    }

    /** The client's connection took an item. */
    synchronized void delivered() {
        queued--;
        if (!live && !reading && queued <= pageSize / 2) {
            readWhenReady();
        }
    }

    /** Ends the stream (the client sees the response end); idempotent. */
    synchronized void end() {
        if (!ended) {
            ended = true;
            if (emitter != null) {
                emitter.complete(); // its termination callback tells the host
            }
        }
    }

    /** The client went away or the stream ended; the host forgets it. Called by the emitter, never under a lock of the host. */
    void terminated() {
        synchronized (this) {
            ended = true;
        }
        host.ended(this);
    }

    private boolean matches(JobEvent event) {
        return tenant.equals(event.tenant()) && (jobId == null || jobId.equals(event.jobId()));
    }

    private void send(JobEvent event) {
        cursor = event.eventId();
        queued++;
        emitter.emit(new StreamItem.Event(event));
        if (jobId != null && event.isTerminal()) {
            end();
        }
    }

    private void readWhenReady() {
        if (ended || reading || live || queued > pageSize / 2) {
            return;
        }
        reading = true;
        behind = false;
        long after = cursor;
        reads.execute(() -> readPage(after));
    }

    private void readPage(long after) {
        List<JobEvent> page;
        try {
            page = host.read(this, after);
        } catch (SQLException | RuntimeException e) {
            boolean first;
            synchronized (this) {
                reading = false;
                behind = true;
                first = !failing;
                failing = true;
            }
            if (first) {
                LOG.warnf("Reading events for a stream failed; trying again every few seconds: %s", e.toString());
            }
            host.retryLater(() -> {
                synchronized (this) {
                    readWhenReady();
                }
            });
            return;
        }
        synchronized (this) {
            reading = false;
            failing = false;
            if (ended) {
                return;
            }
            for (JobEvent event : page) {
                if (event.eventId() > cursor && !ended) {
                    send(event);
                }
            }
            if (ended) {
                return;
            }
            if (page.size() >= pageSize || behind) {
                readWhenReady();
            } else if (endWhenCaughtUp) {
                end();
            } else {
                live = true;
            }
        }
    }
}
