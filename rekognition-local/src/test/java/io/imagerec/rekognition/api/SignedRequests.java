package io.imagerec.rekognition.api;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.imagerec.testsupport.TestCloud;
import io.restassured.response.Response;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Requests to the engine signed with the AWS SDK's own SigV4 signer and sent with rest-assured, for the
 * tests that need a body or a header the SDK client would never send. Only {@code host},
 * {@code x-amz-date} and {@code x-amz-target} are signed: rest-assured may rewrite Content-Type.
 */
public final class SignedRequests {

    public static final String AMZ_JSON = "application/x-amz-json-1.1";

    private SignedRequests() {
    }

    /** The signature headers (Authorization, X-Amz-Date, Host) plus X-Amz-Target for this body. */
    public static Map<String, String> headers(String operation, byte[] body, String accessKey, String secret,
            Clock clock) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(RekognitionClients.endpoint())
                .encodedPath("/")
                .putHeader("X-Amz-Target", "RekognitionService." + operation)
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rekognition")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
        return headers;
    }

    public static Map<String, String> headers(String operation, byte[] body) {
        return headers(operation, body, TestCloud.ACCESS_KEY, TestCloud.SECRET_KEY, Clock.systemUTC());
    }

    /** POSTs the body, signed with the engine's credentials, and answers the response. */
    public static Response post(String operation, byte[] body) {
        return post(headers(operation, body), body);
    }

    public static Response post(String operation, String json) {
        return post(operation, json.getBytes(StandardCharsets.UTF_8));
    }

    public static Response post(Map<String, String> headers, byte[] body) {
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.remove("Host"); // rest-assured writes the same host:port itself
        return given().headers(sent).contentType(AMZ_JSON).body(body).when().post("/");
    }

    /** Just the headers as a list of "Name: value" lines, for raw-socket requests. */
    public static List<String> lines(Map<String, String> headers) {
        return headers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
