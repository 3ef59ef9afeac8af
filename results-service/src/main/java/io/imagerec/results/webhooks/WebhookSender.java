package io.imagerec.results.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Sends due webhook deliveries. Every replica runs one: it claims rows of the outbox (SKIP LOCKED, so
 * replicas never wait on each other and a row is sent by one of them at a time), posts each body
 * signed with its subscription's secret to the address {@link AddressGuard} approved (no redirects,
 * connect and read timeouts, the answer read up to a cap), and records the outcome: delivered on a 2xx,
 * otherwise due again after an exponential back-off with jitter, or dead once the retry window is over.
 * A replica that dies mid-send leaves its claims to be sent by another after the claim lease.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int MAX_ERROR_LENGTH = 300;

    private final WebhookRepository repository;
    private final WebhookConfig config;
    private final AddressGuard guard;
    private final Vertx vertx;
    private final HttpClient client;
    private final MeterRegistry metrics;
    private final String replica;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean stopping;

    public WebhookSender(WebhookRepository repository, WebhookConfig config, Vertx vertx, MeterRegistry metrics) {
        this.repository = repository;
        this.config = config;
        this.guard = new AddressGuard(config.allowedPrivateNetworks().orElse(List.of()), InetAddress::getAllByName);
        this.vertx = vertx;
        this.metrics = metrics;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.concurrency())
                .setKeepAlive(false)
                .setForceSni(true)
                .setVerifyHost(true)
                .setMaxRedirects(0));
        this.replica = hostName() + ":" + ProcessHandle.current().pid();
        metrics.gauge("webhooks.deliveries.in.flight", inFlight);
    }

    /** The guard deliveries pass (also used to check a subscription's URL when it is made). */
    public AddressGuard guard() {
        return guard;
    }

    /** This replica's name in {@code claimed_by}: host and process id. */
    public String replica() {
        return replica;
    }

    @Scheduled(every = "${webhooks.poll-interval}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.senderEnabled() || stopping) {
            return;
        }
        try {
            int room;
            while (!stopping && (room = Math.min(config.batchSize(), config.concurrency() - inFlight.get())) > 0) {
                List<WebhookRepository.Claimed> claimed = repository.claim(room, config.claimLease(), replica);
                claimed.forEach(this::send);
                if (claimed.size() < room) {
                    break;
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Webhook deliveries cannot be claimed now; trying again shortly: %s", e.toString());
        }
    }

    private void send(WebhookRepository.Claimed d) {
        inFlight.incrementAndGet();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Future<Integer> answer;
        try {
            URI uri = AddressGuard.checkUrl(d.url());
            InetAddress address = guard.target(uri.getHost());
            answer = post(d, uri, address);
        } catch (AddressGuard.Refused e) {
            answer = Future.failedFuture(e);
        } catch (IllegalStateException e) { // the client closed: this replica is stopping
            release(d);
            return;
        }
        answer.onComplete(result -> vertx.executeBlocking(() -> {
            int millis = (int) Duration.ofNanos(System.nanoTime() - t0).toMillis();
            try {
                outcome(d, started, millis, result.succeeded() ? result.result() : null,
                        result.failed() ? result.cause() : null);
            } finally {
                inFlight.decrementAndGet();
            }
            return null;
        }, false));
    }

    /** Gives a claimed delivery back, due at once for any replica, as if it had not been claimed. */
    private void release(WebhookRepository.Claimed d) {
        try {
            repository.release(d);
        } catch (SQLException e) {
            LOG.debugf("Delivery %s is left to its claim lease: %s", d.deliveryId(), e.toString());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Records an attempt's outcome and what becomes of the delivery. */
    private void outcome(WebhookRepository.Claimed d, Instant started, int millis, Integer status, Throwable failure) {
        String error = failure == null ? (status >= 200 && status < 300 ? null : "HTTP " + status) : describe(failure);
        var attempt = new WebhookRepository.Attempt(d.attempt(), started, millis, status, error);
        try {
            if (error == null) {
                repository.record(d, attempt, "DELIVERED", null, null);
                metrics.counter("webhooks.deliveries", "outcome", "delivered").increment();
                return;
            }
            boolean refused = failure instanceof AddressGuard.Refused && !error.contains("does not resolve");
            Instant next = Instant.now().plus(backoff(d.attempt()));
            if (refused || next.isAfter(d.giveUpAt())) {
                String reason = refused ? "target refused: " + error
                        : "gave up after " + d.attempt() + " attempts: the retry window ended; last: " + error;
                repository.record(d, attempt, "DEAD", null, reason);
                metrics.counter("webhooks.deliveries", "outcome", "dead").increment();
                LOG.warnf("Webhook delivery %s to subscription %s is dead: %s", d.deliveryId(), d.webhookId(), reason);
            } else {
                repository.record(d, attempt, "PENDING", next, null);
                metrics.counter("webhooks.deliveries", "outcome", "retry").increment();
                LOG.infof("Webhook delivery %s (attempt %d) failed: %s; next attempt at %s", d.deliveryId(),
                        d.attempt(), error, next);
            }
        } catch (SQLException e) {
            // The claim lease runs out and the delivery is sent again: at least once, never lost.
            LOG.warnf("The outcome of webhook delivery %s could not be recorded; it will be sent again: %s",
                    d.deliveryId(), e.toString());
        }
    }

    /** The wait after failed attempt {@code n}: half the doubled delay plus a random share of the other half. */
    Duration backoff(int n) {
        long initial = config.retryInitialDelay().toMillis();
        long max = config.retryMaxDelay().toMillis();
        long delay = Math.min(max, initial << Math.min(n - 1, 30));
        return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }

    private Future<Integer> post(WebhookRepository.Claimed d, URI uri, InetAddress address) {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        long timestamp = Instant.now().getEpochSecond();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(uri.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .setIdleTimeout(config.readTimeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "imagerec-webhooks/1")
                .putHeader(WebhookSigner.DELIVERY_HEADER, d.deliveryId())
                .putHeader(WebhookSigner.EVENT_HEADER, d.eventType())
                .putHeader(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                .putHeader(WebhookSigner.SIGNATURE_HEADER, WebhookSigner.sign(d.secret(), timestamp, d.body()));
        Promise<Integer> result = Promise.promise();
        client.request(options).onFailure(result::tryFail).onSuccess(request -> {
            long deadline = vertx.setTimer(config.readTimeout().toMillis(), id -> {
                result.tryFail(new TimeoutException("no whole answer within " + config.readTimeout().toSeconds() + " s"));
                request.reset();
            });
            request.send(Buffer.buffer(d.body())).onFailure(e -> {
                vertx.cancelTimer(deadline);
                result.tryFail(e);
            }).onSuccess(response -> {
                int status = response.statusCode();
                long[] read = {0};
                response.handler(chunk -> {
                    read[0] += chunk.length();
                    if (read[0] > config.maxResponseBytes()) { // the status is all that counts; stop reading
                        vertx.cancelTimer(deadline);
                        result.tryComplete(status);
                        request.reset();
                    }
                });
                response.exceptionHandler(e -> {
                    vertx.cancelTimer(deadline);
                    result.tryComplete(status);
                });
                response.endHandler(v -> {
                    vertx.cancelTimer(deadline);
                    result.tryComplete(status);
                });
            });
        });
        return result.future();
    }

    private String describe(Throwable failure) {
        String text = failure instanceof TimeoutException // ours, or Vert.x's idle timeout
                ? "no whole answer within " + config.readTimeout().toSeconds() + " s"
                : failure instanceof AddressGuard.Refused ? failure.getMessage()
                : failure.getClass().getSimpleName() + (failure.getMessage() != null ? ": " + failure.getMessage() : "");
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    /** No new claims once shutdown begins; sends under way may finish until the client closes. */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    @PreDestroy
    void stop() {
        stopping = true;
        client.close();
    }
}
