package io.imagerec.rekognition.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a TensorFlow.js model that nsfwjs ships as browserify bundles instead of plain files:
 * {@code model.min.js} holds model.json as a minified JavaScript object literal
 * ({@code n.exports={modelTopology:{...},weightsManifest:[...]}}) and each
 * {@code group1-shardKofN.min.js} holds one weight shard as a base64 string ({@code h.exports="..."}).
 */
public final class BrowserifiedModel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPORTS = "exports=";

    private BrowserifiedModel() {
    }

    /** model.json of the bundle {@code model.min.js}. */
    public static JsonNode readModelJson(Path modelMinJs) throws IOException {
        if (!Files.isRegularFile(modelMinJs)) {
            throw new ModelNotFoundException(modelMinJs);
        }
        String js = Files.readString(modelMinJs, StandardCharsets.UTF_8);
        int start = js.indexOf(EXPORTS + "{");
        if (start < 0) {
            throw new IOException(modelMinJs + " does not export an object literal");
        }
        String json = literalToJson(js, start + EXPORTS.length());
        return JSON.readTree(json);
    }

    /** The bytes of the weight shard {@code name} (as the manifest names it) beside model.min.js. */
    public static byte[] readShard(Path shard) throws IOException {
        Path file = shard.resolveSibling(shard.getFileName() + ".min.js");
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException(file);
        }
        String js = Files.readString(file, StandardCharsets.US_ASCII);
        int start = js.indexOf(EXPORTS + "\"");
        int end = start < 0 ? -1 : js.indexOf('"', start + EXPORTS.length() + 1);
        if (end < 0) {
            throw new IOException(file + " does not export a base64 string");
        }
        return Base64.getDecoder().decode(js.substring(start + EXPORTS.length() + 1, end));
    }

    /**
     * The minified object literal starting at {@code from}, as JSON: unquoted keys get quotes,
     * {@code !0}/{@code !1} become true/false, and numbers such as {@code .5} or {@code -.5} get their
     * leading zero. Strings are copied as they are (minifiers write them with double quotes).
     */
    static String literalToJson(String js, int from) {
        StringBuilder out = new StringBuilder(js.length() - from);
        int depth = 0;
        int i = from;
        while (i < js.length()) {
            char c = js.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (js.charAt(end) != '"') {
                    end += js.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(js, i, end + 1);
                i = end + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                out.append(c);
                i++;
                if (depth == 0) {
                    return out.toString();
                }
                continue;
            } else if (c == '!' && i + 1 < js.length() && (js.charAt(i + 1) == '0' || js.charAt(i + 1) == '1')) {
                out.append(js.charAt(i + 1) == '0' ? "true" : "false");
                i += 2;
                continue;
            } else if (c == '.' && i + 1 < js.length() && Character.isDigit(js.charAt(i + 1))) {
                char prev = out.length() == 0 ? ' ' : out.charAt(out.length() - 1);
                if (!Character.isDigit(prev)) {
                    out.append('0');
                }
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int end = i;
                while (end < js.length() && (Character.isLetterOrDigit(js.charAt(end)) || js.charAt(end) == '_'
                        || js.charAt(end) == '$')) {
                    end++;
                }
                String word = js.substring(i, end);
                if (end < js.length() && js.charAt(end) == ':') {
                    out.append('"').append(word).append('"');
                } else {
                    out.append(word); // null, true, false, or an exponent such as the e of 1e-3
                }
                i = end;
                continue;
            }
            out.append(c);
            i++;
        }
        throw new IllegalArgumentException("unterminated object literal");
    }
}
