package io.imagerec.rekognition.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.config.EngineConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;

/**
 * Verifies the AWS Signature Version 4 of API requests with the AWS SDK's own signer: the canonical
 * request is rebuilt from the incoming request (method, path, query, the headers the Authorization
 * header lists, the body), signed again with the accepted secret of the credential scope's access key
 * id at the request's own {@code X-Amz-Date}, and the two signatures are compared in constant time.
 *
 * <p>The signer is the SDK's {@code Aws4Signer}, which signs exactly the headers it is given.
 * {@code AwsV4HttpSigner} always adds {@code x-amz-content-sha256} to what it signs, so it can only
 * reproduce the signatures of clients that sign that header too (the Java SDK v2), not those of
 * botocore (the AWS CLI, boto3), curl or others that do not; Aws4Signer reproduces both (tested).
 *
 * <p>Errors are AWS's common ones for JSON services: no Authorization header is
 * MissingAuthenticationTokenException (400), a malformed one IncompleteSignatureException (400), an
 * unknown access key id UnrecognizedClientException (403), a wrong signature or one outside
 * {@code rekognition.auth.max-clock-skew} InvalidSignatureException (403). No message echoes a key
 * id, a secret or a signature.
 */
@ApplicationScoped
public class SignatureVerifier {

    private static final Logger LOG = Logger.getLogger(SignatureVerifier.class);

    static final String SERVICE = "rekognition";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._+=@-]{1,128}");
    private static final Pattern SCOPE_DATE = Pattern.compile("\\d{8}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    @SuppressWarnings("deprecation")
    private static final software.amazon.awssdk.auth.signer.Aws4Signer SIGNER =
            software.amazon.awssdk.auth.signer.Aws4Signer.create();
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
            + "documentation for details.";

    private final boolean enabled;
    private final AcceptedCredentials accepted;
    private final Duration maxSkew;
    private final Clock clock;

    @Inject
    public SignatureVerifier(EngineConfig config) {
        this(config.auth().enabled(), config.auth().credentials().filter(l -> !l.isEmpty())
                .map(AcceptedCredentials::configured).orElseGet(AcceptedCredentials::defaultChain),
                config.auth().maxClockSkew(), Clock.systemUTC());
        if (enabled) {
            LOG.infof("SigV4: every API request must be signed; accepting %s; clock skew allowed %s",
                    accepted.describe(), maxSkew);
        } else {
            LOG.warn("SigV4: signature checking is off (rekognition.auth.enabled=false): any caller that reaches "
                    + "this port can use the engine and have it read any object its S3 credentials can read");
        }
    }

    SignatureVerifier(boolean enabled, AcceptedCredentials accepted, Duration maxSkew, Clock clock) {
        if (maxSkew.isNegative() || maxSkew.isZero()) {
            throw new IllegalArgumentException("rekognition.auth.max-clock-skew must be positive, not " + maxSkew);
        }
        this.enabled = enabled;
        this.accepted = accepted;
        this.maxSkew = maxSkew;
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /** What an Authorization header says, once it has been found well-formed. */
    record Authorization(String accessKeyId, String scopeDate, String region, String service,
            List<String> signedHeaders, String signature, Instant signedAt) {
    }

    /**
     * Everything the headers alone can show, so that it is refused before a body is read: a missing or
     * malformed Authorization, a time outside the skew window, another service's scope, and (for
     * configured credentials) an unknown access key id. Does not block.
     *
     * @param header a request header's value by name (case-insensitive), null when absent
     * @return the parsed Authorization, or null when checking is off
     */
    public Authorization checkHeaders(Function<String, String> header) {
        if (!enabled) {
            return null;
        }
        Authorization auth = parse(header.apply("Authorization"), header.apply("X-Amz-Date"));
        if (!auth.service().equals(SERVICE)) {
            throw RekognitionException.invalidSignature("Credential should be scoped to correct service: '"
                    + SERVICE + "'.");
        }
        Instant now = clock.instant();
        if (auth.signedAt().isBefore(now.minus(maxSkew))) {
            throw RekognitionException.invalidSignature("Signature expired: " + amzDate(auth.signedAt())
                    + " is now earlier than " + amzDate(now.minus(maxSkew)) + " (" + amzDate(now) + " - "
                    + describe(maxSkew) + ".)");
        }
        if (auth.signedAt().isAfter(now.plus(maxSkew))) {
            throw RekognitionException.invalidSignature("Signature not yet current: " + amzDate(auth.signedAt())
                    + " is still later than " + amzDate(now.plus(maxSkew)) + " (" + amzDate(now) + " + "
                    + describe(maxSkew) + ".)");
        }
        if (!accepted.mayAccept(auth.accessKeyId())) {
            throw RekognitionException.unrecognizedClient();
        }
        return auth;
    }

    /**
     * Verifies the whole request; may block (the default credentials chain). Throws the AWS error when
     * the signature is absent, malformed, stale, by an unknown key, or does not match.
     *
     * @param rawPath the path as sent, percent-encoding kept
     * @param rawQuery the query string as sent, or null
     * @param headers every value of a request header by name (case-insensitive), empty when absent
     */
    public void verify(String method, String rawPath, String rawQuery, Function<String, List<String>> headers,
            byte[] body) {
        if (!enabled) {
            return;
        }
        Authorization auth = checkHeaders(name -> {
            List<String> values = headers.apply(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        });
        AwsCredentialsIdentity identity = accepted.lookup(auth.accessKeyId())
                .orElseThrow(RekognitionException::unrecognizedClient);
        if (identity instanceof AwsSessionCredentialsIdentity session) {
            List<String> token = headers.apply("X-Amz-Security-Token");
            if (token == null || token.size() != 1 || !constantTimeEquals(session.sessionToken(), token.get(0))) {
                throw RekognitionException.unrecognizedClient();
            }
        }

        List<String> host = headers.apply("Host");
        if (host == null || host.size() != 1) {
            throw RekognitionException.invalidSignature(SIGNATURE_MISMATCH);
        }
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(method.toUpperCase(Locale.ROOT)))
                .protocol("http")
                .encodedPath(rawPath == null || rawPath.isEmpty() ? "/" : rawPath)
                .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(body == null ? new byte[0] : body));
        hostAndPort(request, host.get(0));
        addQuery(request, rawQuery);
        for (String name : auth.signedHeaders()) {
            if (name.equals("x-amz-date") || name.equals("host")) {
                continue; // the signer writes them: the date from the signing clock, the host from host and port
            }
            List<String> values = headers.apply(name);
            if (values == null || values.isEmpty()) {
                throw RekognitionException.invalidSignature(SIGNATURE_MISMATCH);
            }
            request.putHeader(name, values);
        }
        String expected = sign(request.build(), identity, auth).firstMatchingHeader("Authorization").orElse("");
        String expectedSignature = expected.substring(expected.lastIndexOf('=') + 1);
        if (!constantTimeEquals(expectedSignature, auth.signature())) {
            throw RekognitionException.invalidSignature(SIGNATURE_MISMATCH);
        }
    }

    /**
     * Aws4Signer is deprecated in favour of AwsV4HttpSigner, which cannot verify every client (see above).
     * Basic credentials: a session token is signed as one of the listed headers, not added again.
     */
    @SuppressWarnings("deprecation")
    private static SdkHttpFullRequest sign(SdkHttpFullRequest request, AwsCredentialsIdentity identity,
            Authorization auth) {
        return SIGNER.sign(request, Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(identity.accessKeyId(), identity.secretAccessKey()))
                .signingName(auth.service())
                .signingRegion(Region.of(auth.region()))
                .signingClockOverride(Clock.fixed(auth.signedAt(), ZoneOffset.UTC))
                .doubleUrlEncode(true)
                .build());
    }

    /** The request's Host header as the signer's host and port, from which it writes that header again. */
    private static void hostAndPort(SdkHttpFullRequest.Builder request, String host) {
        String value = host.trim();
        int colon = value.lastIndexOf(':');
        if (colon > 0 && colon > value.lastIndexOf(']') && colon < value.length() - 1) {
            try {
                request.host(value.substring(0, colon)).port(Integer.parseInt(value.substring(colon + 1)));
                return;
            } catch (NumberFormatException e) {
                throw RekognitionException.invalidSignature(SIGNATURE_MISMATCH);
            }
        }
        request.host(value);
    }

    static Authorization parse(String authorization, String amzDate) {
        if (authorization == null || authorization.isBlank()) {
            throw RekognitionException.missingAuthenticationToken();
        }
        String value = authorization.trim();
        if (!value.startsWith(ALGORITHM + " ")) {
            throw RekognitionException.incompleteSignature("Authorization header requires the " + ALGORITHM
                    + " algorithm with 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : value.substring(ALGORITHM.length()).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String v = p.substring(eq + 1).trim();
            switch (p.substring(0, eq).trim()) {
                case "Credential" -> credential = v;
                case "SignedHeaders" -> signedHeaders = v;
                case "Signature" -> signature = v;
                default -> {
                    // AWS ignores other parameters too
                }
            }
        }
        List<String> missing = new ArrayList<>();
        if (credential == null) {
            missing.add("Authorization header requires 'Credential' parameter.");
        }
        if (signedHeaders == null) {
            missing.add("Authorization header requires 'SignedHeaders' parameter.");
        }
        if (signature == null) {
            missing.add("Authorization header requires 'Signature' parameter.");
        }
        if (amzDate == null || amzDate.isBlank()) {
            missing.add("Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        if (!missing.isEmpty()) {
            throw RekognitionException.incompleteSignature(String.join(" ", missing));
        }
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !KEY_ID.matcher(scope[0]).matches() || !SCOPE_DATE.matcher(scope[1]).matches()
                || !REGION.matcher(scope[2]).matches() || scope[3].isEmpty() || !scope[4].equals("aws4_request")) {
            throw RekognitionException.incompleteSignature("Credential must have the form "
                    + "ACCESS_KEY_ID/YYYYMMDD/region/service/aws4_request.");
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw RekognitionException.incompleteSignature("Signature must be 64 lowercase hexadecimal digits.");
        }
        List<String> names = List.of(signedHeaders.split(";", -1));
        if (names.stream().anyMatch(n -> !HEADER_NAME.matcher(n).matches())) {
            throw RekognitionException.incompleteSignature("SignedHeaders must be lowercase header names "
                    + "separated by ';'.");
        }
        if (!names.contains("host") || !names.contains("x-amz-date")) {
            throw RekognitionException.incompleteSignature("SignedHeaders must include 'host' and 'x-amz-date'.");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate.trim(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw RekognitionException.incompleteSignature("X-Amz-Date must be in the ISO 8601 basic format "
                    + "YYYYMMDD'T'HHMMSS'Z'.");
        }
        if (!amzDate.trim().startsWith(scope[1])) {
            throw RekognitionException.invalidSignature("Date in Credential scope does not match YYYYMMDD from "
                    + "ISO-8601 version of date from HTTP.");
        }
        return new Authorization(scope[0], scope[1], scope[2], scope[3], names, signature, signedAt);
    }

    /** Query parameters as the SDK holds them (decoded), so that it encodes them canonically again. */
    private static void addQuery(SdkHttpFullRequest.Builder request, String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                request.appendRawQueryParameter(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw RekognitionException.invalidSignature(SIGNATURE_MISMATCH);
            }
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String amzDate(Instant instant) {
        return AMZ_DATE.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
