package io.imagerec.e2e;

import java.net.URI;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs requests to rekognition-local as an AWS SDK client would (SigV4, service {@code rekognition},
 * us-east-1), with the SDK's own signer and the credentials the platform's processes get.
 */
final class EngineSigner {

    static final String ACCESS_KEY = "e2e";
    static final String SECRET_KEY = "e2e-secret";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private EngineSigner() {
    }

    /** The engine's JSON API call {@code operation} with {@code body}, signed; optionally with other credentials. */
    static RawHttp.Builder signed(String engineUrl, String operation, byte[] body, String accessKey, String secret) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(engineUrl + "/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "RekognitionService." + operation).build();
        SignedRequest signed = SIGNER.sign(r -> r.identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rekognition")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        RawHttp.Builder builder = RawHttp.request("POST", engineUrl, "/").body(body);
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Host")) { // RawHttp writes the same Host itself
                h.getValue().forEach(v -> builder.header(h.getKey(), v));
            }
        }
        return builder;
    }

    static RawHttp.Builder signed(String engineUrl, String operation, byte[] body) {
        return signed(engineUrl, operation, body, ACCESS_KEY, SECRET_KEY);
    }
}
