package io.imagerec.ingest.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.ingest.config.IngestConfig;
import io.imagerec.security.ApiKeyStore;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** API key records live beside the images, under {@code apikeys/} of the images bucket. */
@ApplicationScoped
public class KeyStoreProducer {

    @Produces
    @Singleton // no client proxy: made when ApiKeys (@Startup) is, on the main thread, with its S3 client
    ApiKeyStore apiKeyStore(S3AsyncClient s3, IngestConfig config, ObjectMapper json) {
        return new ApiKeyStore(s3, config.bucket(), json);
    }
}
