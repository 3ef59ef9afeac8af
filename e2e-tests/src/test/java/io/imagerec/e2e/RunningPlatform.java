package io.imagerec.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own platform: started before its tests, in a fresh directory and on free ports, and
 * stopped after them. {@code @RegisterExtension static final RunningPlatform running = ...}.
 */
final class RunningPlatform implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final Consumer<Platform> configure;
    private Path data;
    private Platform platform;
    private Api api;

    RunningPlatform(String name) {
        this(name, p -> { });
    }

    /** @param configure settings for the processes, applied before they start */
    RunningPlatform(String name, Consumer<Platform> configure) {
        this.name = name;
        this.configure = configure;
    }

    Platform platform() {
        return platform;
    }

    Api api() {
        return api;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("e2e-" + name);
        platform = new Platform(name, data);
        configure.accept(platform);
        api = new Api(platform);
        platform.startAll();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (platform != null) {
            platform.close();
        }
        try (var paths = Files.walk(data)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
