package io.imagerec.rekognition.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.config.EngineConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** Requests signed by the AWS SDK's own SigV4 signer are accepted, and only with the right secret. */
class SignatureVerifierTest {

    private static final byte[] BODY = "{\"Image\":{}}".getBytes(StandardCharsets.UTF_8);

    private static SignedRequest sign(String key, String secret) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://localhost:8085/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "RekognitionService.DetectLabels")
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(key, secret))
                .request(request)
                .payload(() -> new java.io.ByteArrayInputStream(BODY))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rekognition")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.systemUTC()));
    }

    private static SignatureVerifier verifier() {
        return new SignatureVerifier(config(true, List.of("AKIDLOCAL:s3cr3t")));
    }

    @Test
    void acceptsTheSdksSignature() {
        SignedRequest signed = sign("AKIDLOCAL", "s3cr3t");
        verifier().verify(headers(signed.request().headers()), BODY);
    }

    @Test
    void refusesAWrongSecretAnUnknownKeyAndNoSignature() {
        RekognitionException wrong = assertThrows(RekognitionException.class,
                () -> verifier().verify(headers(sign("AKIDLOCAL", "guess").request().headers()), BODY));
        assertEquals("InvalidSignatureException", wrong.type());
        RekognitionException unknown = assertThrows(RekognitionException.class,
                () -> verifier().verify(headers(sign("OTHER", "s3cr3t").request().headers()), BODY));
        assertEquals("UnrecognizedClientException", unknown.type());
        RekognitionException missing = assertThrows(RekognitionException.class,
                () -> verifier().verify(headers(Map.of()), BODY));
        assertEquals("MissingAuthenticationTokenException", missing.type());
        SignedRequest signed = sign("AKIDLOCAL", "s3cr3t");
        RekognitionException tampered = assertThrows(RekognitionException.class,
                () -> verifier().verify(headers(signed.request().headers()), "{}".getBytes()));
        assertEquals("InvalidSignatureException", tampered.type());
    }

    @Test
    void offByDefaultAcceptsAnything() {
        new SignatureVerifier(config(false, List.of())).verify(headers(Map.of()), BODY);
    }

    private static jakarta.ws.rs.core.HttpHeaders headers(Map<String, List<String>> values) {
        java.util.TreeMap<String, List<String>> map = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        map.putAll(values);
        return (jakarta.ws.rs.core.HttpHeaders) java.lang.reflect.Proxy.newProxyInstance(
                SignatureVerifierTest.class.getClassLoader(), new Class<?>[] {jakarta.ws.rs.core.HttpHeaders.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaderString" -> map.containsKey((String) args[0]) ? String.join(",", map.get((String) args[0]))
                            : null;
                    case "getRequestHeader" -> map.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static EngineConfig config(boolean verify, List<String> credentials) {
        EngineConfig.Auth auth = new EngineConfig.Auth() {
            @Override
            public boolean verifySignatures() {
                return verify;
            }

            @Override
            public Optional<List<String>> credentials() {
                return Optional.of(credentials);
            }
        };
        return (EngineConfig) java.lang.reflect.Proxy.newProxyInstance(SignatureVerifierTest.class.getClassLoader(),
                new Class<?>[] {EngineConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("auth")) {
                        return auth;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
