package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * An engine whose admission slots are all taken answers ThrottlingException from the request's headers
 * alone: a client waiting for {@code 100 Continue} gets the refusal instead and never sends its body, and
 * a body that is sent anyway is not read; the connection is closed instead.
 */
@QuarkusTest
class AdmissionControlTest {

    /** A DetectLabels body near its limit: 7 MB of base64. */
    private static final int LARGE = 7_000_000;

    @Inject
    RequestGate gate;

    private final List<Socket> holders = new ArrayList<>();

    /** Takes every admission slot with requests whose bodies never come. */
    @BeforeEach
    void fillTheGate() throws Exception {
        Map<String, String> headers = SignedRequests.headers("ListCollections", "{}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < gate.capacity(); i++) {
            Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort());
            holders.add(socket);
            socket.getOutputStream().write((HostileInputTest.head(headers, "Content-Length: 100") + "{")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (gate.inFlight() < gate.capacity() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(gate.capacity(), gate.inFlight(), "every slot taken");
    }

    @AfterEach
    void releaseTheGate() throws Exception {
        for (Socket socket : holders) {
            socket.close();
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (gate.inFlight() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aClientWaitingFor100ContinueIsRefusedWithoutSendingItsBody() throws Exception {
        Map<String, String> headers = SignedRequests.headers("DetectLabels", "{}".getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(HostileInputTest.head(headers, "Expect: 100-continue\r\nContent-Length: " + LARGE).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = HostileInputTest.readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 500"), "a final answer, not 100 Continue: " + response);
            assertTrue(response.contains("\"__type\":\"ThrottlingException\""), response);
            // The client will not send the body it was not asked for: the engine must not wait for it.
            assertEquals(-1, socket.getInputStream().read(), "the connection is closed, not kept for a body");
        }
    }

    @Test
    void aLargeBodyIsRefusedBeforeItIsSentAndNotReadAfter() throws Exception {
        Map<String, String> headers = SignedRequests.headers("DetectLabels", "{}".getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(HostileInputTest.head(headers, "Content-Length: " + LARGE).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Nothing of the body is sent before the answer arrives.
            String response = HostileInputTest.readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 500"), response);
            assertTrue(response.contains("\"__type\":\"ThrottlingException\""), response);
            assertTrue(response.toLowerCase().contains("connection: close"), response);
            // Sending the body now fails: the engine does not read (and so never buffers) it.
            byte[] chunk = new byte[64 * 1024];
            assertThrows(IOException.class, () -> {
                for (int sent = 0; sent < LARGE; sent += chunk.length) {
                    out.write(chunk);
                }
                out.flush();
            });
        }
    }

    @Test
    void aSmallRefusedBodyIsDroppedAndTheConnectionKept() throws Exception {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = SignedRequests.headers("ListCollections", body);
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 2; i++) {
                out.write(HostileInputTest.head(headers, "Content-Length: " + body.length).getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String response = HostileInputTest.readResponse(socket.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 500") && response.contains("ThrottlingException"),
                        "request " + i + " on one connection: " + response);
            }
        }
    }
}
