package io.imagerec.rekognition.api;

import java.net.URI;

import org.eclipse.microprofile.config.ConfigProvider;

import io.imagerec.testsupport.TestCloud;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionClient;

/**
 * The unmodified AWS SDK v2 client, pointed at the engine under test. It signs with the test cloud's
 * credentials, which the engine accepts because they are its own: LocalCloudResource puts them in the
 * system properties the AWS default credentials chain reads first.
 */
public final class RekognitionClients {

    private RekognitionClients() {
    }

    public static URI endpoint() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        return URI.create("http://localhost:" + port);
    }

    /** The management interface: metrics and OpenAPI. */
    public static URI managementEndpoint() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return URI.create("http://localhost:" + port);
    }

    public static RekognitionClient client(String accessKey, String secretKey) {
        return RekognitionClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
                .build();
    }

    public static RekognitionClient client() {
        return client(TestCloud.ACCESS_KEY, TestCloud.SECRET_KEY);
    }
}
