package io.imagerec.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;

import io.imagerec.contracts.Json;

/**
 * HTTP/1.1 over a plain socket, one request per connection, byte for byte as given: a request line
 * with NUL or CR LF in it, headers no client library would send, a body that lies about its length.
 * The body is written on another thread while the answer is read, so a server that answers early
 * (413 before the body) and closes is still heard.
 */
final class RawHttp {

    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-http-writer");
        t.setDaemon(true);
        return t;
    });

    /** A request as bytes on the wire; {@code text} describes it in failures. */
    record Request(String host, int port, byte[] head, byte[] body, String text) {
    }

    /**
     * An answer: status -1 when the server closed or reset the connection without one, -2 when none came
     * within the timeout.
     */
    record Response(int status, Map<String, String> headers, byte[] body, long millis, String failure) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON, or null when it is not JSON. */
        JsonNode json() {
            try {
                return body.length == 0 ? null : Json.mapper().readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    private RawHttp() {
    }

    /** A builder for one request; header names and values, the target and the body are taken as ISO-8859-1 bytes. */
    static Builder request(String method, String base, String target) {
        return new Builder(method, base, target);
    }

    static final class Builder {
        private final String method;
        private final String host;
        private final int port;
        private final String target;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean contentLength = true;
        private boolean chunked;

        private Builder(String method, String base, String target) {
            this.method = method;
            String hostPort = base.replaceFirst("^http://", "");
            int colon = hostPort.lastIndexOf(':');
            this.host = hostPort.substring(0, colon);
            this.port = Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*", ""));
            this.target = target;
        }

        Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Builder headers(Map<String, String> all) {
            all.forEach(this::header);
            return this;
        }

        Builder body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** No Content-Length header of our own (the caller sends its own, or none). */
        Builder noContentLength() {
            this.contentLength = false;
            return this;
        }

        /** The body in chunks of 64 KB, without a length. */
        Builder chunked() {
            this.chunked = true;
            this.contentLength = false;
            return this;
        }

        Request build() {
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            if (contentLength && (body.length > 0 || method.equals("POST") || method.equals("PUT"))) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            if (chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            byte[] payload = chunked ? chunk(body) : body;
            String text = method + " " + printable(target, 160) + " (" + headers.size() + " headers, " + body.length
                    + " bytes)";
            return new Request(host, port, head.toString().getBytes(StandardCharsets.ISO_8859_1), payload, text);
        }

        private static byte[] chunk(byte[] body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
            for (int i = 0; i < body.length; i += 65536) {
                int n = Math.min(65536, body.length - i);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, i, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            return out.toByteArray();
        }
    }

    /** Sends one request and reads its answer, waiting at most {@code timeoutMillis} for it. */
    static Response send(Request request, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(request.host(), request.port()), 5000);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
                try {
                    out.write(request.head());
                    out.write(request.body());
                    out.flush();
                } catch (IOException e) {
                    // The server answered (and closed) before it read everything: the answer says why.
                }
            }, WRITERS);
            Response response = read(socket.getInputStream(), start);
            written.cancel(true);
            return response;
        } catch (SocketTimeoutException e) {
            return new Response(-2, Map.of(), new byte[0], millis(start), "no answer within " + timeoutMillis + " ms");
        } catch (IOException e) {
            return new Response(-1, Map.of(), new byte[0], millis(start), e.toString());
        }
    }

    private static Response read(InputStream in, long start) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int state = 0;
        while (state < 4 && (b = in.read()) != -1) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : b == '\r' ? 1 : 0;
        }
        if (state < 4) {
            return new Response(-1, Map.of(), head.toByteArray(), millis(start),
                    head.size() == 0 ? "closed without an answer" : "closed in the middle of the answer's head");
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        int status = Integer.parseInt(statusLine[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1)
                        .trim());
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body, millis(start), null);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Text safe to print: control and non-ASCII characters as \xNN, cut at {@code max}. */
    static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c >= 0x7f ? String.format("\\x%02x", (int) c & 0xff) : String.valueOf(c));
        }
        return text.length() > max ? out + "...(" + text.length() + " chars)" : out.toString();
    }
}
