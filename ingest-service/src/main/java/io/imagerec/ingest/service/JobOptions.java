package io.imagerec.ingest.service;

import java.util.List;
import java.util.Objects;

import io.imagerec.contracts.Feature;

/**
 * What a job is asked to find, however its image arrived (upload, direct upload, backfill).
 *
 * @param features empty means the default, {@link Feature#LABELS}
 * @param callbackUrl where results-service posts the job's end, signed like the tenant's webhook whose
 *     URL it extends; null when none
 */
public record JobOptions(List<Feature> features, Float minConfidence, Integer maxLabels, String callbackUrl) {

    public JobOptions(List<Feature> features, Float minConfidence, Integer maxLabels) {
        this(features, minConfidence, maxLabels, null);
    }

    public JobOptions {
        if (features != null && features.stream().anyMatch(Objects::isNull)) {
            throw new IngestException(400, "INVALID_PARAMETER", "features must name features");
        }
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** The features the job runs. */
    public List<Feature> effectiveFeatures() {
        return features.isEmpty() ? List.of(Feature.LABELS) : features;
    }

    /** Refuses options no job could honour, with the stable codes of the README. */
    public JobOptions validated() {
        if (minConfidence != null && (minConfidence.isNaN() || minConfidence < 0 || minConfidence > 100)) {
            throw new IngestException(400, "INVALID_PARAMETER", "minConfidence must be from 0 to 100");
        }
        if (maxLabels != null && (maxLabels < 1 || maxLabels > 1000)) {
            throw new IngestException(400, "INVALID_PARAMETER", "maxLabels must be from 1 to 1000");
        }
        if (callbackUrl != null && !validCallbackUrl(callbackUrl)) {
            throw new IngestException(400, "INVALID_CALLBACK_URL", "callbackUrl must be an http or https URL of at "
                    + "most 2048 characters, without user info or fragment, under the URL of one of the tenant's webhooks");
        }
        return this;
    }

    /** A stable text of the options, for fingerprints. */
    String canonical() {
        return effectiveFeatures().stream().map(Enum::name).sorted().toList() + "\n" + minConfidence + "\n" + maxLabels
                + (callbackUrl == null ? "" : "\n" + callbackUrl);
    }

    private static boolean validCallbackUrl(String url) {
        if (url.length() > 2048) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
