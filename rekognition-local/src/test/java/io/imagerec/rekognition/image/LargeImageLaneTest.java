package io.imagerec.rekognition.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.api.RequestGate;
import io.imagerec.rekognition.api.SignedRequests;
import io.imagerec.testsupport.GeneratedImages;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Huge images are decoded in their own lane: while four 10,000 x 10,000 JPEGs are in flight (more
 * than there are analysis slots), a small image is answered without waiting for them.
 */
@QuarkusTest
class LargeImageLaneTest {

    private static final int HUGE = 4;

    @Inject
    RequestGate gate;

    @Test
    void aSmallImageIsAnsweredWhileHugeOnesAreStillDecoding() throws Exception {
        byte[] huge = GeneratedImages.jpeg(10_000, 10_000);
        assertTrue(huge.length < ImageSource.MAX_BYTES, "a legal request: " + huge.length + " bytes");
        String hugeBody = body(huge);
        String smallBody = body(GeneratedImages.jpeg(640, 480));

        ExecutorService clients = Executors.newFixedThreadPool(HUGE + 1);
        try {
            AtomicInteger hugeAnswered = new AtomicInteger();
            List<CompletableFuture<Integer>> hugeCalls = new ArrayList<>();
            for (int i = 0; i < HUGE; i++) {
                hugeCalls.add(CompletableFuture.supplyAsync(() -> {
                    int status = SignedRequests.post("DetectFaces", hugeBody).statusCode();
                    hugeAnswered.incrementAndGet();
                    return status;
                }, clients));
            }
            // All of them read and analysing (or waiting to), more than the engine has slots for.
            long deadline = System.currentTimeMillis() + 60_000;
            while (gate.analysing() < HUGE && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(HUGE, gate.analysing(), "the huge requests are analysing or waiting to");

            int small = SignedRequests.post("DetectFaces", smallBody).statusCode();
            int hugeDoneBeforeSmall = hugeAnswered.get();
            assertEquals(200, small);
            for (CompletableFuture<Integer> call : hugeCalls) {
                assertEquals(200, call.get(5, TimeUnit.MINUTES), "a huge image is still analysed");
            }
            // Without the lane the small request waits until huge ones free an analysis slot: at least as
            // many as there are slots are answered first. With it, it overtakes them.
            assertTrue(hugeDoneBeforeSmall < Math.min(HUGE, Runtime.getRuntime().availableProcessors()),
                    hugeDoneBeforeSmall + " huge images were answered before the small one");
        } finally {
            clients.shutdownNow();
        }
    }

    private static String body(byte[] jpeg) {
        return "{\"Image\":{\"Bytes\":\"" + Base64.getEncoder().encodeToString(jpeg) + "\"}}";
    }
}
