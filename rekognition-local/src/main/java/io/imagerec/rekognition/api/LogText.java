package io.imagerec.rekognition.api;

/**
 * Caller-supplied text made safe to echo in a log line or an error message: control characters
 * (NUL, CR, LF, ESC, C1 controls, line and paragraph separators) become a backslash-u escape, so a caller
 * cannot forge log lines, and long values are cut.
 */
public final class LogText {

    static final int MAX_LENGTH = 200;

    private LogText() {
    }

    public static String clean(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= MAX_LENGTH && text.length() > MAX_LENGTH) {
            out.setLength(MAX_LENGTH);
            out.append("...");
        }
        return out.toString();
    }

    /** True when the text holds a control character, which no Rekognition id or name may. */
    public static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
