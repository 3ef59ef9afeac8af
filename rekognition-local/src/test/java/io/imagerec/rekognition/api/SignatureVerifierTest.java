package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Requests signed by the AWS SDK's own SigV4 signer are accepted, and only with the right secret, in time. */
class SignatureVerifierTest {

    private static final byte[] BODY = "{\"Image\":{}}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String SECRET = "s3cr3t-Value/With+Chars";

    private static SdkHttpRequest sign(AwsCredentialsIdentity identity, Instant at, String service, String query) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:8085/" + (query == null ? "" : "?" + query)))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "RekognitionService.DetectLabels")
                .putHeader("Content-Length", Integer.toString(BODY.length))
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
    }

    private static SdkHttpRequest sign(String key, String secret) {
        return sign(AwsBasicCredentials.create(key, secret), NOW, "rekognition", null);
    }

    private static SignatureVerifier verifier(AcceptedCredentials accepted) {
        return new SignatureVerifier(true, accepted, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static SignatureVerifier verifier() {
        return verifier(AcceptedCredentials.configured(List.of("AKIDLOCAL:" + SECRET, "other:x")));
    }

    private static void verify(SignatureVerifier verifier, SdkHttpRequest request, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(request.headers());
        Function<String, List<String>> lookup = name -> headers.getOrDefault(name, List.of());
        String query = request.encodedQueryParameters().orElse(null);
        verifier.verify("POST", request.encodedPath(), query, lookup, body);
    }

    private static String refusal(Executable call) {
        RekognitionException e = assertThrows(RekognitionException.class, call);
        assertFalse(e.getMessage().contains(SECRET), "no secret in " + e.getMessage());
        assertFalse(e.getMessage().contains("AKIDLOCAL"), "no key id in " + e.getMessage());
        return e.type() + " " + e.status();
    }

    @Test
    void acceptsTheSdksSignatureWithAQueryAndAnyRegion() {
        verify(verifier(), sign("AKIDLOCAL", SECRET), BODY);
        verify(verifier(), sign(AwsBasicCredentials.create("AKIDLOCAL", SECRET), NOW, "rekognition", "a=1&b=x%20y"),
                BODY);
    }

    @Test
    void acceptsTheAwsClisSignatureWhichDoesNotSignThePayloadHashHeader() {
        // Sent by the AWS CLI (botocore 1.43) with local/local; the signature was checked by hand against
        // its canonical request. AwsV4HttpSigner would add x-amz-content-sha256 and never match it.
        Map<String, List<String>> sent = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sent.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=local/20261126/us-east-1/rekognition/"
                + "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                + "Signature=8930a809fcaa53cd60b8a111a346c81cefaa46f39d2008c6582836cb27bc740a"));
        sent.put("X-Amz-Date", List.of("20261126T012844Z"));
        sent.put("Content-Type", List.of("application/x-amz-json-1.1"));
        sent.put("Host", List.of("localhost:18585"));
        sent.put("X-Amz-Target", List.of("RekognitionService.ListCollections"));
        sent.put("User-Agent", List.of("aws-cli/1.45.11"));
        sent.put("Content-Length", List.of("2"));
        SignatureVerifier verifier = new SignatureVerifier(true, AcceptedCredentials.configured(List.of("local:local")),
                Duration.ofMinutes(5), Clock.fixed(Instant.parse("2026-11-26T01:30:00Z"), ZoneOffset.UTC));
        Function<String, List<String>> lookup = name -> sent.getOrDefault(name, List.of());
        verifier.verify("POST", "/", null, lookup, "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("InvalidSignatureException 403", refusal(() -> verifier.verify("POST", "/", null, lookup,
                "{ }".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void refusesAWrongSecretAnUnknownKeyATamperedBodyAndAnotherService() {
        assertEquals("InvalidSignatureException 403", refusal(() -> verify(verifier(), sign("AKIDLOCAL", "guess"), BODY)));
        assertEquals("UnrecognizedClientException 403", refusal(() -> verify(verifier(), sign("AKIDOTHER", SECRET), BODY)));
        assertEquals("InvalidSignatureException 403", refusal(() -> verify(verifier(), sign("AKIDLOCAL", SECRET),
                "{\"Image\":{ }}".getBytes(StandardCharsets.UTF_8))));
        assertEquals("InvalidSignatureException 403", refusal(() -> verify(verifier(),
                sign(AwsBasicCredentials.create("AKIDLOCAL", SECRET), NOW, "s3", null), BODY)));
        SdkHttpRequest signed = sign("AKIDLOCAL", SECRET);
        SdkHttpRequest retargeted = signed.toBuilder().putHeader("X-Amz-Target", "RekognitionService.DeleteCollection")
                .build();
        assertEquals("InvalidSignatureException 403", refusal(() -> verify(verifier(), retargeted, BODY)));
    }

    @Test
    void refusesARequestOutsideTheClockSkewWindow() {
        SdkHttpRequest old = sign(AwsBasicCredentials.create("AKIDLOCAL", SECRET), NOW.minus(Duration.ofMinutes(20)),
                "rekognition", null);
        RekognitionException e = assertThrows(RekognitionException.class, () -> verify(verifier(), old, BODY));
        assertEquals("InvalidSignatureException", e.type());
        assertTrue(e.getMessage().startsWith("Signature expired: 20261125T114000Z is now earlier than 20261125T115500Z"),
                e.getMessage());
        SdkHttpRequest future = sign(AwsBasicCredentials.create("AKIDLOCAL", SECRET), NOW.plus(Duration.ofMinutes(6)),
                "rekognition", null);
        assertTrue(refusal(() -> verify(verifier(), future, BODY)).startsWith("InvalidSignatureException"));
        verify(verifier(), sign(AwsBasicCredentials.create("AKIDLOCAL", SECRET), NOW.minus(Duration.ofMinutes(4)),
                "rekognition", null), BODY);
    }

    @Test
    void refusesMissingAndMalformedAuthorization() {
        SdkHttpRequest signed = sign("AKIDLOCAL", SECRET);
        assertEquals("MissingAuthenticationTokenException 400", refusal(() -> verify(verifier(),
                signed.toBuilder().removeHeader("Authorization").build(), BODY)));
        for (String bad : List.of("Bearer abc", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20261125/us-east-1/rekognition",
                signed.firstMatchingHeader("Authorization").orElseThrow().replace("Signature=", "Signature=zz"),
                signed.firstMatchingHeader("Authorization").orElseThrow().replace("host;", ""))) {
            assertEquals("IncompleteSignatureException 400", refusal(() -> verify(verifier(),
                    signed.toBuilder().putHeader("Authorization", bad).build(), BODY)), bad);
        }
        assertEquals("IncompleteSignatureException 400", refusal(() -> verify(verifier(),
                signed.toBuilder().removeHeader("X-Amz-Date").build(), BODY)));
        assertEquals("IncompleteSignatureException 400", refusal(() -> verify(verifier(),
                signed.toBuilder().putHeader("X-Amz-Date", "yesterday").build(), BODY)));
    }

    @Test
    void theDefaultChainsCredentialsAreAcceptedWithTheirSessionToken() {
        verify(verifier(AcceptedCredentials.of(() -> AwsBasicCredentials.create("AKIDLOCAL", SECRET))),
                sign("AKIDLOCAL", SECRET), BODY);
        AwsSessionCredentials session = AwsSessionCredentials.create("ASIATEMP", SECRET, "token-1");
        SignatureVerifier verifier = verifier(AcceptedCredentials.of(() -> session));
        verify(verifier, sign(session, NOW, "rekognition", null), BODY);
        assertEquals("UnrecognizedClientException 403", refusal(() -> verify(verifier,
                sign(AwsSessionCredentials.create("ASIATEMP", SECRET, "token-2"), NOW, "rekognition", null), BODY)));
        assertEquals("UnrecognizedClientException 403", refusal(() -> verify(
                verifier(AcceptedCredentials.of(() -> {
                    throw software.amazon.awssdk.core.exception.SdkClientException.create("no credentials");
                })), sign("AKIDLOCAL", SECRET), BODY)));
    }

    @Test
    void configuredCredentialsMustBePairsAndAreNotEchoed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AcceptedCredentials.configured(List.of("AKIDLOCAL:" + SECRET, "no-secret-here")));
        assertTrue(e.getMessage().contains("entry 2"), e.getMessage());
        assertFalse(e.getMessage().contains("no-secret-here"), e.getMessage());
    }

    @Test
    void offAcceptsAnything() {
        new SignatureVerifier(false, AcceptedCredentials.configured(List.of("a:b")), Duration.ofMinutes(5),
                Clock.systemUTC()).verify("POST", "/", null, name -> List.of(), BODY);
    }
}
