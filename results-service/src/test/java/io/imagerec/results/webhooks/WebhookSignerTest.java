package io.imagerec.results.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void theSignatureIsTheOneTheReadmesShellRecipeComputes() {
        // printf '%s.%s' 1700000000 '{"jobId":"j1"}' | openssl dgst -sha256 -hmac "whsec_test" -hex
        assertEquals("v1=dbf348108b78b4cc2b0532bef155758d568dd2f56f3abcc9cf95e0ad088287fc",
                WebhookSigner.sign("whsec_test", 1700000000L, "{\"jobId\":\"j1\"}"));
    }

    @Test
    void anyChangeOfBodyTimestampOrSecretBreaksIt() {
        String signature = WebhookSigner.sign("whsec_test", 1700000000L, "{\"jobId\":\"j1\"}");
        assertTrue(WebhookSigner.verify("whsec_test", 1700000000L, "{\"jobId\":\"j1\"}", signature));
        assertFalse(WebhookSigner.verify("whsec_test", 1700000000L, "{\"jobId\":\"j2\"}", signature));
        assertFalse(WebhookSigner.verify("whsec_test", 1700000001L, "{\"jobId\":\"j1\"}", signature));
        assertFalse(WebhookSigner.verify("whsec_other", 1700000000L, "{\"jobId\":\"j1\"}", signature));
        assertFalse(WebhookSigner.verify("whsec_test", 1700000000L, "{\"jobId\":\"j1\"}", null));
    }

    @Test
    void secretsAreLongAndDifferent() {
        String a = WebhookSigner.newSecret();
        assertTrue(a.matches("whsec_[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, WebhookSigner.newSecret());
    }
}
