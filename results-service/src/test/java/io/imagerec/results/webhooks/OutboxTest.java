package io.imagerec.results.webhooks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class OutboxTest {

    @Test
    void aCallbackUrlExtendsASubscriptionOnlyOnItsOriginAndUnderItsPath() {
        for (String url : List.of("https://app.example.com/hooks", "https://app.example.com/hooks/job-1",
                "https://APP.example.com:443/hooks/a/b?x=1", "https://app.example.com/hooks?job=1")) {
            assertTrue(Outbox.extendsUrl("https://app.example.com/hooks", url), url);
        }
        for (String url : List.of("https://app.example.com/hooksevil", "https://app.example.com.evil.net/hooks/x",
                "http://app.example.com/hooks/x", "https://app.example.com:8443/hooks/x",
                "https://app.example.com/other", "https://user@app.example.com/hooks/x",
                "https://app.example.com/hooks/../admin", "not a url")) {
            assertFalse(Outbox.extendsUrl("https://app.example.com/hooks", url), url);
        }
        assertTrue(Outbox.extendsUrl("https://app.example.com/", "https://app.example.com/anything"));
        assertTrue(Outbox.extendsUrl("https://app.example.com", "https://app.example.com/anything"));
        assertTrue(Outbox.extendsUrl("http://127.0.0.1:8099/in/", "http://127.0.0.1:8099/in/x"));
        assertFalse(Outbox.extendsUrl("http://127.0.0.1:8099/in/", "http://127.0.0.1:8099/in"));
    }
}
