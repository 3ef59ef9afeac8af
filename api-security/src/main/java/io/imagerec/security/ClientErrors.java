package io.imagerec.security;

import org.jboss.logging.Logger;

/**
 * The one log line of a refused request (4xx): method, path, status, code and message, at INFO, without
 * a stack trace, under a service's own category (e.g. {@code io.imagerec.ingest.refused}). Caller-supplied
 * text (paths, ids, parameters) is cleaned of control and bidirectional characters, so a request cannot
 * forge log lines, and cut short.
 */
public final class ClientErrors {

    private static final int MAX_TEXT = 300;

    private final Logger log;

    /** @param category the logger category of the service's refusals */
    public ClientErrors(String category) {
        this.log = Logger.getLogger(category);
    }

    public void log(String method, String path, int status, String code, String message) {
        log.infof("%s %s refused: %d %s: %s", clean(method), clean(path), status, code, clean(message));
    }

    /** Control characters (C0, DEL, C1), line and paragraph separators and bidi controls as '?'. */
    public static String clean(String text) {
        if (text == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            boolean unsafe = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
            out.append(unsafe ? '?' : c);
        }
        return text.length() > MAX_TEXT ? out + "..." : out.toString();
    }
}
