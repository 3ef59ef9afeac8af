package io.imagerec.results.config;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.contracts.Json;
import io.quarkus.jackson.ObjectMapperCustomizer;

/** Applies the platform's one JSON setup to Quarkus's ObjectMapper. */
@Singleton
public class JsonSetup implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
