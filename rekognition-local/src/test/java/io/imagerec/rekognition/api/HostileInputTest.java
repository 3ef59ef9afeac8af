package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Hostile and malformed requests, signed so that they reach the checks behind authentication: each
 * gets a 4xx with the error type Rekognition's service model (or AWS's JSON protocol) names, never a
 * 5xx, and bodies over the limit are refused without being read.
 */
@QuarkusTest
class HostileInputTest {

    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Inject
    @Any
    Instance<RekognitionOperation> registered;

    private static void assertRefused(Response response, String type) {
        response.then().statusCode(400).header("x-amzn-ErrorType", type);
        assertEquals(type, response.jsonPath().getString("__type"), response.asString());
    }

    @Test
    void malformedJsonIsASerializationError() {
        for (String body : List.of("{not json", "[1,2]", "\"text\"", "{\"Image\":", "{\"a\":\"\\ud800\u0000\"")) {
            assertRefused(SignedRequests.post("DetectLabels", body), "SerializationException");
        }
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertRefused(SignedRequests.post("DetectLabels", invalidUtf8), "SerializationException");
        assertRefused(SignedRequests.post("ListCollections", "[".repeat(5000)), "SerializationException");
    }

    @Test
    void wrongJsonTypesAreSerializationErrors() {
        String png = "{\"Bytes\":\"iVBORw0KGgo=\"}";
        assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":\"abc\"}"), "SerializationException");
        assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":{\"Bytes\":42}}"), "SerializationException");
        assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":" + png + ",\"MaxLabels\":\"ten\"}"),
                "SerializationException");
        assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":" + png + ",\"Features\":\"GENERAL_LABELS\"}"),
                "SerializationException");
        assertRefused(SignedRequests.post("CreateCollection", "{\"CollectionId\":7}"), "SerializationException");
        assertRefused(SignedRequests.post("ListCollections", "{\"NextToken\":{}}"), "SerializationException");
        assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":{\"S3Object\":[\"images\",\"a.png\"]}}"),
                "SerializationException");
    }

    @Test
    void malformedBase64IsAnInvalidImageFormat() {
        for (String bytes : List.of("not*base64!", "iVBORw0KGgo", "iVBO\\u0000Rw0KGgo=", "====")) {
            assertRefused(SignedRequests.post("DetectLabels", "{\"Image\":{\"Bytes\":\"" + bytes + "\"}}"),
                    "InvalidImageFormatException");
        }
    }

    @Test
    void controlCharactersInIdsAreInvalidParameters() {
        String collection = "hostile-" + RUN;
        SignedRequests.post("CreateCollection", "{\"CollectionId\":\"" + collection + "\"}").then().statusCode(200);
        try {
            for (String id : List.of("a\\u0000b", "line\\nbreak", "tab\\there", "..", "a/b", "x".repeat(256))) {
                assertRefused(SignedRequests.post("CreateCollection", "{\"CollectionId\":\"" + id + "\"}"),
                        "InvalidParameterException");
                assertRefused(SignedRequests.post("ListFaces", "{\"CollectionId\":\"" + id + "\"}"),
                        "InvalidParameterException");
            }
            assertRefused(SignedRequests.post("SearchFaces", "{\"CollectionId\":\"" + collection
                    + "\",\"FaceId\":\"\\u0000\"}"), "InvalidParameterException");
            assertRefused(SignedRequests.post("SearchFaces", "{\"CollectionId\":\"" + collection
                    + "\",\"FaceId\":\"1-1-1-1-1\"}"), "InvalidParameterException");
            assertRefused(SignedRequests.post("DeleteFaces", "{\"CollectionId\":\"" + collection
                    + "\",\"FaceIds\":[\"00000000-0000-0000-0000-000000000000\",\"\\u0000\"]}"),
                    "InvalidParameterException");
            assertRefused(SignedRequests.post("IndexFaces", "{\"CollectionId\":\"" + collection
                    + "\",\"ExternalImageId\":\"photo\\u0000.jpg\",\"Image\":{\"Bytes\":\"iVBORw0KGgo=\"}}"),
                    "InvalidParameterException");
            assertRefused(SignedRequests.post("DetectLabels",
                    "{\"Image\":{\"S3Object\":{\"Bucket\":\"images\",\"Name\":\"a\\u0000.png\"}}}"),
                    "InvalidParameterException");
            assertRefused(SignedRequests.post("DetectLabels",
                    "{\"Image\":{\"S3Object\":{\"Bucket\":\"../etc\",\"Name\":\"a.png\"}}}"),
                    "InvalidParameterException");
        } finally {
            SignedRequests.post("DeleteCollection", "{\"CollectionId\":\"" + collection + "\"}");
        }
    }

    @Test
    void noOperationAnswersAHostileBodyWithA5xx() {
        // Every operation the engine registers, so a new one is covered without being listed here.
        List<String> operations = registered.stream().map(RekognitionOperation::name).sorted().toList();
        assertTrue(operations.containsAll(List.of("DetectLabels", "DetectModerationLabels", "SearchUsersByImage")),
                "operations found: " + operations);
        List<String> bodies = List.of("", "{}", "null", "{\"Image\":null}", "{\"Image\":{}}", "{\"Image\":[]}",
                "{\"SourceImage\":1,\"TargetImage\":true}", "{\"CollectionId\":null}", "{\"CollectionId\":\"\"}",
                "{\"CollectionId\":\"no-such-" + RUN + "\",\"FaceId\":5,\"FaceIds\":{},\"MaxFaces\":1e99}",
                "{\"MaxResults\":-1,\"NextToken\":\"%%%\"}", "{\"QualityFilter\":5,\"Attributes\":[null]}",
                "{\"Filters\":{\"RegionsOfInterest\":\"all\",\"WordFilter\":[]}}",
                "{\"Settings\":{\"GeneralLabels\":{\"LabelInclusionFilters\":[1]}},\"MinConfidence\":\"x\"}",
                "{\"Image\":{\"Bytes\":\"\",\"S3Object\":{}}}");
        Set<String> allowed = Set.of("SerializationException", "InvalidParameterException",
                "InvalidImageFormatException", "ResourceNotFoundException", "InvalidS3ObjectException",
                "InvalidPaginationTokenException");
        List<String> failures = new ArrayList<>();
        for (String operation : operations) {
            for (String body : bodies) {
                Response response = SignedRequests.post(operation, body);
                String type = response.header("x-amzn-ErrorType");
                if (response.statusCode() >= 500 || (response.statusCode() != 200 && !allowed.contains(type))) {
                    failures.add(operation + " " + body + " -> " + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void anOversizedDeclaredBodyIsRefusedBeforeItIsSent() throws Exception {
        Map<String, String> headers = SignedRequests.headers("DetectLabels", "{}".getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            // 50 MB declared, 10 bytes sent: the answer must come without the rest.
            out.write(head(headers, "Content-Length: 50000000").getBytes(StandardCharsets.US_ASCII));
            out.write("{\"Image\":{".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"__type\":\"ImageTooLargeException\""), response);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOff() throws Exception {
        Map<String, String> headers = SignedRequests.headers("DetectLabels", "{}".getBytes(StandardCharsets.UTF_8));
        long cap = 64L * 1024 * 1024;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(headers, "Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'A');
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < cap) {
                        out.write(size);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    // the engine stopped reading and closed the connection
                }
            });
            String response;
            try {
                response = readResponse(socket.getInputStream());
            } catch (IOException e) {
                response = "closed: " + e;
            }
            writer.get(60, TimeUnit.SECONDS);
            // DetectLabels' limit is 7.7 MB: the engine stops reading there, answers and closes the
            // connection (what was sent beyond it sat in the sockets' buffers).
            assertTrue(sent.get() < cap / 2, "the engine read " + sent.get() + " bytes");
            assertTrue(response.startsWith("closed") || (response.startsWith("HTTP/1.1 400")
                    && response.contains("\"__type\":\"ImageTooLargeException\"")), response);
        }
    }

    @Test
    void aChunkedBodyOverTheOperationsLimitIsTooLargeOnceRead() throws Exception {
        // 9 MB of JSON: under quarkus.http.limits.max-body-size, over DetectLabels' limit of one image.
        byte[] body = ("{\"Image\":{\"Bytes\":\"" + "A".repeat(9 * 1024 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = SignedRequests.headers("DetectLabels", body);
        try (Socket socket = new Socket("localhost", RekognitionClients.endpoint().getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(headers, "Transfer-Encoding: chunked").getBytes(StandardCharsets.US_ASCII));
            for (int offset = 0; offset < body.length; offset += 65_536) {
                int n = Math.min(65_536, body.length - offset);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, offset, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(socket.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"__type\":\"ImageTooLargeException\""), response);
        }
    }

    static String head(Map<String, String> headers, String framing) {
        StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\n");
        SignedRequests.lines(headers).forEach(line -> head.append(line).append("\r\n"));
        head.append("Content-Type: ").append(SignedRequests.AMZ_JSON).append("\r\n");
        head.append(framing).append("\r\n\r\n");
        return head.toString();
    }

    /** The status line, headers and a Content-Length body. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                int length = 0;
                for (String line : text.split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
