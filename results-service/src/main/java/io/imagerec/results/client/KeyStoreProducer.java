package io.imagerec.results.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.results.config.ResultsConfig;
import io.imagerec.security.ApiKeyStore;

/** The API keys that ingest manages, read from {@code apikeys/} of the images bucket. */
@ApplicationScoped
public class KeyStoreProducer {

    @Produces
    @Singleton // no client proxy: made when ApiKeys (@Startup) is, on the main thread, with its S3 client
    ApiKeyStore apiKeyStore(ResultPayloads payloads, ResultsConfig config, ObjectMapper json) {
        return new ApiKeyStore(payloads.s3(), config.s3().payloadBucket(), json);
    }
}
