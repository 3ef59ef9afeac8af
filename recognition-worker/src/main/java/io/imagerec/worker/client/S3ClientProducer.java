package io.imagerec.worker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The S3 client that stores results too large for an SQS message (the claim check). */
@ApplicationScoped
public class S3ClientProducer {

    @Produces
    @ApplicationScoped
    S3AsyncClient s3(WorkerConfig config) {
        var builder = S3AsyncClient.builder()
                .region(Region.of(config.rekognition().region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .forcePathStyle(config.s3().pathStyle());
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes S3AsyncClient client) {
        client.close();
    }
}
