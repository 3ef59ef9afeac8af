package io.imagerec.worker.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.imagerec.worker.config.WorkerConfig;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rekognition.RekognitionAsyncClient;

/**
 * The Rekognition async client (no Quarkus extension is served here): the default credentials chain
 * and region from configuration; an endpoint override points it at rekognition-local.
 */
@ApplicationScoped
public class RekognitionClientProducer {

    @Produces
    @ApplicationScoped
    RekognitionAsyncClient rekognition(WorkerConfig config) {
        var builder = RekognitionAsyncClient.builder()
                .region(Region.of(config.rekognition().region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(config.rekognition().maxConnections()))
                .overrideConfiguration(c -> c.apiCallTimeout(config.rekognition().callTimeout()));
        config.rekognition().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes RekognitionAsyncClient client) {
        client.close();
    }
}
