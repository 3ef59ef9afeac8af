package io.imagerec.results.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The delivery signature: {@code v1=} and the hex HMAC-SHA256, keyed with the subscription's secret
 * (its UTF-8 bytes, as shown), of {@code <timestamp>.<body>}, the timestamp being the
 * {@code X-Imagerec-Timestamp} header (Unix seconds). The scheme of Stripe's and Slack's webhooks: a
 * receiver recomputes it over the raw body and refuses an old timestamp, so a captured delivery cannot
 * be replayed later.
 */
public final class WebhookSigner {

    public static final String DELIVERY_HEADER = "X-Imagerec-Delivery";
    public static final String EVENT_HEADER = "X-Imagerec-Event";
    public static final String TIMESTAMP_HEADER = "X-Imagerec-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Imagerec-Signature";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The signature header's value for a body sent at {@code timestamp} (Unix seconds). */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    /** Whether a signature header is right for the body and timestamp (constant-time comparison). */
    public static boolean verify(String secret, long timestamp, String body, String signature) {
        return signature != null && MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
