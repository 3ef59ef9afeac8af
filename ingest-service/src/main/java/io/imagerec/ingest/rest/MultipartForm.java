package io.imagerec.ingest.rest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;

import io.imagerec.ingest.service.IngestException;

/**
 * A {@code multipart/form-data} body (RFC 7578) read strictly from the bytes of the request, with limits:
 * at most {@value #MAX_PARTS} parts, {@value #MAX_HEADER_BYTES} bytes of headers per part,
 * {@value #MAX_FIELD_BYTES} bytes per text field, each name once, a closing delimiter. Anything else is
 * 400 {@code INVALID_MULTIPART}. The parts are views of the body, not copies.
 *
 * <p>Ingest parses its uploads itself rather than through Quarkus REST's multipart support, which answers
 * 500 to bodies that do not parse (no closing delimiter, another boundary, over 1,000 parts) and keeps
 * parsing the rest of a body after it failed, logging stack traces.
 */
public final class MultipartForm {

    static final int MAX_PARTS = 100;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_FIELD_BYTES = 64 * 1024;
    private static final int MAX_BOUNDARY = 70;
    private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    /** One part: its file name (null for a text field) and its content. */
    public record Part(String fileName, ByteBuffer content) {

        public String text() {
            return StandardCharsets.UTF_8.decode(content.duplicate()).toString();
        }
    }

    private final Map<String, Part> parts;

    private MultipartForm(Map<String, Part> parts) {
        this.parts = parts;
    }

    /** The part named {@code name}, or null. */
    public Part part(String name) {
        return parts.get(name);
    }

    /** The text of the field {@code name}, or null when there is none. */
    public String text(String name) {
        Part p = parts.get(name);
        return p == null ? null : p.text();
    }

    /** Parses {@code body} as the multipart/form-data that {@code contentType} announces. */
    public static MultipartForm parse(String contentType, byte[] body) {
        byte[] delimiter = ("\r\n--" + boundary(contentType)).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary starts the body, or follows a preamble and its CRLF.
        int first = startsWith(body, 0, new String(delimiter, 2, delimiter.length - 2, StandardCharsets.ISO_8859_1))
                ? -2 : indexOf(body, delimiter, 0);
        if (first == -1) {
            throw invalid("the body has no part with the boundary of its Content-Type");
        }
        Map<String, Part> parts = new LinkedHashMap<>();
        int cursor = first + delimiter.length;
        while (true) {
            if (startsWith(body, cursor, "--")) {
                return new MultipartForm(parts); // the closing delimiter; an epilogue after it is ignored
            }
            cursor = skipTransportPadding(body, cursor);
            if (!startsWith(body, cursor, "\r\n")) {
                throw invalid("a boundary is not followed by CRLF");
            }
            cursor += 2;
            if (startsWith(body, cursor, "\r\n")) {
                throw invalid("a part has no Content-Disposition");
            }
            int headersEnd = indexOf(body, HEADERS_END, cursor);
            if (headersEnd < 0 || headersEnd - cursor > MAX_HEADER_BYTES) {
                throw invalid(headersEnd < 0 ? "a part's headers do not end"
                        : "a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            String[] disposition = disposition(new String(body, cursor, headersEnd - cursor, StandardCharsets.UTF_8));
            int contentStart = headersEnd + 4;
            int next = indexOf(body, delimiter, contentStart);
            if (next < 0) {
                throw invalid("the body ends without its closing boundary");
            }
            if (parts.size() >= MAX_PARTS) {
                throw invalid("more than " + MAX_PARTS + " parts");
            }
            if (disposition[1] == null && next - contentStart > MAX_FIELD_BYTES) {
                throw invalid("the field '" + disposition[0] + "' is longer than " + MAX_FIELD_BYTES + " bytes");
            }
            if (parts.putIfAbsent(disposition[0], new Part(disposition[1],
                    ByteBuffer.wrap(body, contentStart, next - contentStart).slice().asReadOnlyBuffer())) != null) {
                throw invalid("more than one part is named '" + disposition[0] + "'");
            }
            cursor = next + delimiter.length;
        }
    }

    /** The boundary parameter of a multipart/form-data Content-Type. */
    static String boundary(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || !type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            throw invalid("the Content-Type is not multipart/form-data");
        }
        String boundary = type.getParameters().get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY
                || !boundary.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ') || boundary.endsWith(" ")) {
            throw invalid("the Content-Type has no valid boundary (1 to 70 printable characters)");
        }
        return boundary;
    }

    /** The name and file name (or null) of a part's Content-Disposition: form-data header. */
    private static String[] disposition(String headers) {
        String value = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw invalid("a part has a header line without a name");
            }
            if (line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                value = line.substring(colon + 1).trim();
            }
        }
        if (value == null) {
            throw invalid("a part has no Content-Disposition");
        }
        String[] pieces = value.split(";");
        if (!pieces[0].trim().toLowerCase(Locale.ROOT).equals("form-data")) {
            throw invalid("a part's Content-Disposition is not form-data");
        }
        String name = null;
        String fileName = null;
        for (int i = 1; i < pieces.length; i++) {
            String piece = pieces[i].trim();
            int eq = piece.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = piece.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String v = piece.substring(eq + 1).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            if (key.equals("name")) {
                name = v;
            } else if (key.equals("filename")) {
                fileName = v;
            }
        }
        if (name == null || name.isEmpty()) {
            throw invalid("a part has no name");
        }
        return new String[] {name, fileName};
    }

    /** RFC 2046 allows spaces and tabs between a boundary and its CRLF. */
    private static int skipTransportPadding(byte[] body, int i) {
        while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWith(byte[] body, int at, String prefix) {
        if (at < 0 || at + prefix.length() > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (body[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first index at or after {@code from} where {@code pattern} occurs in {@code body}, or -1;
     * Knuth-Morris-Pratt, so that no body, however crafted, costs more than linear time.
     */
    private static int indexOf(byte[] body, byte[] pattern, int from) {
        int[] failure = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = failure[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            failure[i] = k;
        }
        for (int i = Math.max(0, from), matched = 0; i < body.length; i++) {
            while (matched > 0 && body[i] != pattern[matched]) {
                matched = failure[matched - 1];
            }
            if (body[i] == pattern[matched]) {
                matched++;
            }
            if (matched == pattern.length) {
                return i - pattern.length + 1;
            }
        }
        return -1;
    }

    private static IngestException invalid(String why) {
        return new IngestException(400, "INVALID_MULTIPART", "The multipart body is not valid: " + why);
    }
}
