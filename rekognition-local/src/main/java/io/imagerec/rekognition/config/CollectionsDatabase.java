package io.imagerec.rekognition.config;

import java.util.Locale;
import java.util.Set;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * The datasource (and with it Flyway) is active exactly when {@code rekognition.collections.store} is
 * {@code postgresql}, unless {@code quarkus.datasource.active} is set: with the file store the engine
 * starts with no database. One setting chooses the store; this keeps the datasource in step with it.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
public class CollectionsDatabase implements ConfigSourceInterceptor {

    private static final Set<String> ACTIVE = Set.of("quarkus.datasource.active");
    private static final String STORE = "rekognition.collections.store";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !ACTIVE.contains(name)) {
            return value;
        }
        ConfigValue store = context.proceed(STORE);
        boolean postgresql = store != null && store.getValue() != null
                && store.getValue().trim().toLowerCase(Locale.ROOT).equals("postgresql");
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(postgresql))
                .withConfigSourceName("rekognition.collections.store").build();
    }
}
