package io.imagerec.results.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.imagerec.results.service.ResultsException;

/**
 * A tenant's webhook subscriptions and their deliveries: checks what a caller asks for and answers in
 * the API's error format. The tenant is always the caller's.
 */
@ApplicationScoped
public class WebhookService {

    /** The event types a subscription may ask for. */
    public static final Set<String> EVENT_TYPES = Set.of("job.queued", "job.processing", "job.succeeded", "job.failed");
    static final List<String> DEFAULT_EVENTS = List.of("job.succeeded", "job.failed");
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private static final Pattern WEBHOOK_ID = Pattern.compile("wh_[0-9a-f]{24}");
    private static final Pattern DELIVERY_ID = Pattern.compile("dlv_[0-9a-f]{32}");
    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "DEAD");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a caller sends to subscribe. */
    @Schema(name = "WebhookRequest")
    public record CreateRequest(@Schema(required = true, description = "http or https URL of the consumer") String url,
            @Schema(description = "event types; default job.succeeded and job.failed") List<String> events,
            @Schema(description = "for people, at most 200 characters") String description) {
    }

    /** A subscription as shown; {@code secret} only in the answers that make or rotate it. */
    @Schema(name = "Webhook")
    public record View(@Schema(required = true) String webhookId, @Schema(required = true) String url,
            @Schema(required = true) List<String> events, String description, @Schema(required = true) Instant createdAt,
            Instant secretRotatedAt,
            @Schema(description = "the signing secret: only in the answers that make or rotate it") String secret) {

        static View of(WebhookRepository.Subscription s, boolean withSecret) {
            return new View(s.webhookId(), s.url(), s.events(), s.description(), s.createdAt(), s.secretRotatedAt(),
                    withSecret ? s.secret() : null);
        }
    }

    @Schema(name = "WebhookList")
    public record Subscriptions(@Schema(required = true) List<View> webhooks) {
    }

    @Schema(name = "WebhookDeliveryPage")
    public record DeliveryPage(@Schema(required = true) List<WebhookRepository.Delivery> deliveries,
            @Schema(description = "pass as cursor for the next page; absent on the last page") String nextCursor) {
    }

    private final WebhookRepository repository;
    private final WebhookSender sender;
    private final WebhookConfig config;

    public WebhookService(WebhookRepository repository, WebhookSender sender, WebhookConfig config) {
        this.repository = repository;
        this.sender = sender;
        this.config = config;
    }

    public View create(String tenant, CreateRequest request) throws SQLException {
        if (request == null) {
            throw new ResultsException(400, "INVALID_PARAMETER", "send a JSON body: {\"url\": \"https://...\"}");
        }
        URI url;
        try {
            url = AddressGuard.checkUrl(request.url());
        } catch (AddressGuard.Refused e) {
            throw new ResultsException(400, "INVALID_WEBHOOK_URL", e.getMessage());
        }
        try {
            sender.guard().target(url.getHost());
        } catch (AddressGuard.Refused e) {
            throw new ResultsException(400, e.getMessage().contains("does not resolve") ? "INVALID_WEBHOOK_URL"
                    : "WEBHOOK_TARGET_NOT_ALLOWED", e.getMessage());
        }
        List<String> events = events(request.events());
        String description = request.description();
        if (description != null && (description.length() > 200 || description.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new ResultsException(400, "INVALID_PARAMETER",
                    "description must be at most 200 characters, without control characters");
        }
        byte[] id = new byte[12];
        RANDOM.nextBytes(id);
        var subscription = new WebhookRepository.Subscription("wh_" + HexFormat.of().formatHex(id), tenant,
                url.toString(), events, WebhookSigner.newSecret(), description, Instant.now(), null);
        if (!repository.create(subscription, config.maxPerTenant())) {
            throw new ResultsException(409, "TOO_MANY_WEBHOOKS",
                    "a tenant may have at most " + config.maxPerTenant() + " webhook subscriptions");
        }
        return View.of(subscription, true);
    }

    public Subscriptions list(String tenant) throws SQLException {
        return new Subscriptions(repository.list(tenant).stream().map(s -> View.of(s, false)).toList());
    }

    public View get(String tenant, String webhookId) throws SQLException {
        return View.of(repository.find(tenant, checkedId(webhookId)).orElseThrow(WebhookService::notFound), false);
    }

    public void delete(String tenant, String webhookId) throws SQLException {
        if (!repository.delete(tenant, checkedId(webhookId))) {
            throw notFound();
        }
    }

    public View rotateSecret(String tenant, String webhookId) throws SQLException {
        return View.of(repository.rotate(tenant, checkedId(webhookId), WebhookSigner.newSecret(), Instant.now())
                .orElseThrow(WebhookService::notFound), true);
    }

    public DeliveryPage deliveries(String tenant, String webhookId, String state, Integer limit, String cursor)
            throws SQLException {
        get(tenant, webhookId); // 404 for another tenant's or an unknown subscription
        if (state != null && !STATES.contains(state)) {
            throw new ResultsException(400, "INVALID_PARAMETER", "state must be PENDING, DELIVERED or DEAD");
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new ResultsException(400, "INVALID_PARAMETER", "limit must be from 1 to " + MAX_LIMIT);
        }
        Instant afterCreated = null;
        String afterId = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", 2);
                afterCreated = Instant.parse(parts[0]);
                afterId = parts[1];
            } catch (RuntimeException e) {
                throw new ResultsException(400, "INVALID_CURSOR", "cursor is not one this API returned");
            }
            if (!DELIVERY_ID.matcher(afterId).matches() || afterCreated.isBefore(Instant.EPOCH)
                    || afterCreated.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new ResultsException(400, "INVALID_CURSOR", "cursor is not one this API returned");
            }
        }
        List<WebhookRepository.Delivery> rows = repository.deliveries(tenant, webhookId, state, null, size + 1,
                afterCreated, afterId);
        if (rows.size() <= size) {
            return new DeliveryPage(rows, null);
        }
        List<WebhookRepository.Delivery> page = new ArrayList<>(rows.subList(0, size));
        WebhookRepository.Delivery last = page.get(size - 1);
        String next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (last.createdAt() + "\n" + last.deliveryId()).getBytes(StandardCharsets.UTF_8));
        return new DeliveryPage(page, next);
    }

    /** Sends a delivered or dead delivery again (a new retry window); 409 while it is still pending. */
    public WebhookRepository.Delivery redeliver(String tenant, String webhookId, String deliveryId) throws SQLException {
        checkedId(webhookId);
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            throw deliveryNotFound();
        }
        WebhookRepository.Delivery delivery = repository.delivery(tenant, webhookId, deliveryId)
                .orElseThrow(WebhookService::deliveryNotFound);
        if (!repository.redeliver(tenant, webhookId, deliveryId, config.retryFor())) {
            throw new ResultsException(409, "DELIVERY_PENDING", "the delivery is still being tried; state "
                    + delivery.state());
        }
        return repository.delivery(tenant, webhookId, deliveryId).orElseThrow(WebhookService::deliveryNotFound);
    }

    private static List<String> events(List<String> requested) {
        if (requested == null) {
            return DEFAULT_EVENTS;
        }
        Set<String> events = new LinkedHashSet<>();
        for (String e : requested) {
            if (e == null || !EVENT_TYPES.contains(e)) {
                throw new ResultsException(400, "INVALID_EVENT_TYPE",
                        "events may be job.queued, job.processing, job.succeeded and job.failed");
            }
            events.add(e);
        }
        if (events.isEmpty()) {
            throw new ResultsException(400, "INVALID_EVENT_TYPE", "events must name at least one event type");
        }
        return List.copyOf(events);
    }

    private static String checkedId(String webhookId) {
        if (webhookId == null || !WEBHOOK_ID.matcher(webhookId).matches()) {
            throw notFound();
        }
        return webhookId;
    }

    private static ResultsException notFound() {
        return new ResultsException(404, "WEBHOOK_NOT_FOUND", "No such webhook subscription");
    }

    private static ResultsException deliveryNotFound() {
        return new ResultsException(404, "DELIVERY_NOT_FOUND", "No such delivery");
    }
}
