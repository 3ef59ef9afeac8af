package io.imagerec.rekognition.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;

import io.imagerec.rekognition.config.EngineConfig;

/**
 * Checks AWS Signature Version 4 on {@code POST /} requests against the configured credentials,
 * when {@code rekognition.auth.verify-signatures} is on. Off by default: locally every SDK signs with
 * whatever credentials it has and the engine accepts them all.
 */
@ApplicationScoped
public class SignatureVerifier {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");

    private final boolean enabled;
    private final Map<String, String> secrets = new HashMap<>();

    public SignatureVerifier(EngineConfig config) {
        this.enabled = config.auth().verifySignatures();
        for (String pair : config.auth().credentials().orElse(List.of())) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                secrets.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
        }
        if (enabled && secrets.isEmpty()) {
            throw new IllegalStateException("rekognition.auth.verify-signatures is on but rekognition.auth.credentials "
                    + "lists no ACCESS_KEY_ID:SECRET_ACCESS_KEY pair");
        }
    }

    public void verify(HttpHeaders headers, byte[] body) {
        if (!enabled) {
            return;
        }
        String authorization = headers.getHeaderString("Authorization");
        if (authorization == null) {
            throw new RekognitionException("MissingAuthenticationTokenException", 403, "Missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.find()) {
            throw new RekognitionException("IncompleteSignatureException", 403, "The Authorization header is malformed");
        }
        String secret = secrets.get(m.group(1));
        if (secret == null) {
            throw new RekognitionException("UnrecognizedClientException", 400,
                    "The security token included in the request is invalid.");
        }
        String amzDate = headers.getHeaderString("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(m.group(2))) {
            throw new RekognitionException("IncompleteSignatureException", 403, "X-Amz-Date is missing or does not "
                    + "match the credential scope");
        }
        String expected = sign(secret, m.group(2), m.group(3), m.group(4), amzDate, m.group(5).split(";"), headers, body);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                m.group(6).getBytes(StandardCharsets.US_ASCII))) {
            throw new RekognitionException("InvalidSignatureException", 403, "The request signature we calculated "
                    + "does not match the signature you provided.");
        }
    }

    static String sign(String secret, String date, String region, String service, String amzDate,
            String[] signedHeaders, HttpHeaders headers, byte[] body) {
        StringBuilder canonical = new StringBuilder("POST\n/\n\n");
        List<String> names = new ArrayList<>(List.of(signedHeaders));
        for (String name : names) {
            String value = String.join(",", headers.getRequestHeader(name) == null ? List.of()
                    : headers.getRequestHeader(name));
            canonical.append(name.toLowerCase(Locale.ROOT)).append(':')
                    .append(value.trim().replaceAll("\\s+", " ")).append('\n');
        }
        canonical.append('\n').append(String.join(";", names)).append('\n').append(hex(sha256(body)));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, toSign));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
