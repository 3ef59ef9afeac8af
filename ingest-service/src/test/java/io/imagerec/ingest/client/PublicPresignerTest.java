package io.imagerec.ingest.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** ingest.direct-uploads.s3-endpoint: presigned URLs name S3 as the client reaches it, signed for that host. */
class PublicPresignerTest {

    @Test
    void presignedUrlsNameThePublicEndpointPathStyle() {
        try (S3Presigner presigner = ImageStore.presigner("http://localhost:9000", "us-east-1", true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))) {
            URL url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(15))
                    .putObjectRequest(b -> b.bucket("images").key("direct/default/abc").contentType("image/jpeg")
                            .contentLength(10L))).url();
            assertEquals("localhost", url.getHost());
            assertEquals(9000, url.getPort());
            assertEquals("/images/direct/default/abc", url.getPath());
            assertTrue(url.getQuery().contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost"), url.getQuery());
        }
    }
}
