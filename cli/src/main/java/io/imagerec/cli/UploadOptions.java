package io.imagerec.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.imagerec.contracts.Feature;

/**
 * What every upload of one run asks for, and where it goes. Features are kept in the order given,
 * without repeats; none means the server's default (LABELS).
 */
record UploadOptions(URI endpoint, URI resultsEndpoint, String tenant, String apiKey, List<Feature> features,
        Float minConfidence, Integer maxLabels) {

    UploadOptions {
        endpoint = withoutTrailingSlash(endpoint);
        resultsEndpoint = withoutTrailingSlash(resultsEndpoint);
        features = features == null ? List.of() : features.stream().distinct().toList();
    }

    private static URI withoutTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
    }

    /** The features as the server will apply them. */
    List<Feature> effectiveFeatures() {
        return features.isEmpty() ? List.of(Feature.LABELS) : features;
    }

    /** The query parameters of {@code POST /v1/images}; only those given. */
    Map<String, String> queryParameters() {
        Map<String, String> q = new LinkedHashMap<>();
        if (!features.isEmpty()) {
            q.put("features", features.stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        if (minConfidence != null) {
            q.put("minConfidence", minConfidence.toString());
        }
        if (maxLabels != null) {
            q.put("maxLabels", maxLabels.toString());
        }
        return q;
    }

    static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * What decides whether an upload is the same request: tenant, effective features and thresholds.
     * Part of the Idempotency-Key, so a different request never reuses a key.
     */
    String requestKey() {
        return "tenant=" + (tenant == null ? "" : tenant)
                + ";features=" + effectiveFeatures().stream().map(Enum::name).sorted().collect(Collectors.joining(","))
                + ";minConfidence=" + (minConfidence == null ? "" : minConfidence)
                + ";maxLabels=" + (maxLabels == null ? "" : maxLabels);
    }

    /** The state file's {@code options}: the request key and the server it went to. */
    String stateKey() {
        return "endpoint=" + endpoint + ";" + requestKey();
    }

    /**
     * The Idempotency-Key of one file's upload: a hash of its content and the request key, so a retry,
     * even from another run, is deduplicated server-side, and another request never collides.
     */
    String idempotencyKey(String sha256) {
        return "imagerec-v1-" + Hashes.sha256Hex((sha256 + "\n" + requestKey()).getBytes(StandardCharsets.UTF_8));
    }
}
