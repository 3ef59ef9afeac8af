package io.imagerec.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a module's own configuration says about how it is run: its ports, where its health is served,
 * the environment variables it reads, and how long it takes to drain at SIGTERM. Read from the
 * module's {@code application.properties} (Quarkus services) or from its {@code env("NAME", "default")}
 * calls (local-cloud), never written down a second time here.
 */
record ServiceSettings(String module, Set<Integer> ports, int healthPort, String healthRoot,
        Set<String> environment, Duration drain, Map<String, String> properties, String readyFile) {

    /** Read by the AWS SDK's default credentials chain in every service; never in application.properties. */
    static final Set<String> SDK_ENVIRONMENT = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION");

    /** The modules that run as processes of their own. */
    static final Set<String> MODULES = Set.of("ingest-service", "results-service", "recognition-worker",
            "rekognition-local", "local-cloud");

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern COMMENTED_KEY = Pattern.compile("(?m)^#\\s*([a-z%][A-Za-z0-9_.\"%-]*)\\s*=");
    /** The file local-cloud writes in its data directory once everything answers: {@code resolve("local-cloud.ready")}. */
    private static final Pattern READY_FILE = Pattern.compile("resolve\\(\"([a-z-]+\\.ready)\"\\)");
    /** A name an {@code ENV} instruction of a Dockerfile sets: {@code ENV A=1 B="x y"}. */
    private static final Pattern DOCKERFILE_ENV = Pattern.compile("(?:^|\\s)([A-Z][A-Z0-9_]*)=");
    private static final Pattern LOCAL_CLOUD_ENV = Pattern.compile("env\\(\"([A-Z][A-Z0-9_]*)\"(?:,\\s*\"([^\"]*)\")?");

    static ServiceSettings of(String module) {
        return module.equals("local-cloud") ? localCloud() : quarkus(module, Repo.path(module + "/src/main/resources/application.properties"));
    }

    /** A Quarkus service's settings, from its application.properties. */
    static ServiceSettings quarkus(String module, Path file) {
        String text = Repo.read(file);
        Properties loaded = new Properties();
        try {
            loaded.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        loaded.stringPropertyNames().forEach(k -> properties.put(k, loaded.getProperty(k)));

        int httpPort = Integer.parseInt(properties.getOrDefault("quarkus.http.port", "8080"));
        boolean management = Boolean.parseBoolean(properties.getOrDefault("quarkus.management.enabled", "false"));
        int managementPort = Integer.parseInt(properties.getOrDefault("quarkus.management.port", "9000"));
        boolean healthOnManagement = management
                && Boolean.parseBoolean(properties.getOrDefault("quarkus.smallrye-health.management.enabled", "true"));
        Set<Integer> ports = new TreeSet<>();
        ports.add(httpPort);
        if (management) {
            ports.add(managementPort);
        }
        String root = "/" + properties.getOrDefault("quarkus.http.non-application-root-path", "q") + "/"
                + properties.getOrDefault("quarkus.smallrye-health.root-path", "health");

        Set<String> environment = new TreeSet<>(SDK_ENVIRONMENT);
        environment.addAll(imageEnvironment(module));
        Matcher reference = ENV_REFERENCE.matcher(text);
        while (reference.find()) {
            environment.add(reference.group(1));
        }
        Set<String> keys = new TreeSet<>(properties.keySet());
        Matcher commented = COMMENTED_KEY.matcher(text);
        while (commented.find()) {
            keys.add(commented.group(1));
        }
        for (String key : keys) {
            // Any property can be set through its MicroProfile environment name; a profile prefix does not count.
            String plain = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
            environment.add(environmentName(plain));
        }

        // At SIGTERM: each consumer's shutdown grace, after the long poll under way has returned.
        Duration drain = Duration.ZERO;
        long longestPoll = 0;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().endsWith(".shutdown-grace")) {
                drain = drain.plus(duration(e.getValue()));
            }
            if (e.getKey().startsWith("mp.messaging.incoming.") && e.getKey().endsWith(".wait-time-seconds")) {
                longestPoll = Math.max(longestPoll, Long.parseLong(e.getValue().trim()));
            }
        }
        drain = drain.plusSeconds(longestPoll);
        return new ServiceSettings(module, ports, healthOnManagement ? managementPort : httpPort, root,
                environment, drain, properties, null);
    }

    /** local-cloud reads environment variables only: {@code env("LOCAL_CLOUD_SQS_PORT", "9324")} and the like. */
    static ServiceSettings localCloud() {
        Set<Integer> ports = new TreeSet<>();
        Set<String> environment = new TreeSet<>(SDK_ENVIRONMENT);
        environment.addAll(imageEnvironment("local-cloud"));
        Map<String, String> defaults = new LinkedHashMap<>();
        String readyFile = null;
        for (Path source : Repo.files(Repo.path("local-cloud/src/main/java"), ".java")) {
            Matcher ready = READY_FILE.matcher(Repo.read(source));
            if (ready.find()) {
                readyFile = ready.group(1);
            }
            Matcher m = LOCAL_CLOUD_ENV.matcher(Repo.read(source));
            while (m.find()) {
                environment.add(m.group(1));
                defaults.put(m.group(1), m.group(2));
                if (m.group(2) != null && m.group(1).endsWith("_PORT") && !m.group(1).contains("ADVERTISED")) {
                    ports.add(Integer.parseInt(m.group(2)));
                }
            }
        }
        if (ports.isEmpty()) {
            throw new IllegalStateException("No env(\"..._PORT\", \"...\") found in local-cloud's sources");
        }
        return new ServiceSettings("local-cloud", ports, -1, null, environment, Duration.ZERO, defaults, readyFile);
    }

    /**
     * What the module's container image reads itself ({@code src/main/docker/Dockerfile.jvm}, where there
     * is one): the variables its {@code ENV} instructions declare, such as {@code JAVA_OPTS} and the
     * {@code *_FILE} variables its entrypoint reads secrets from.
     */
    static Set<String> imageEnvironment(String module) {
        Set<String> names = new TreeSet<>();
        Path dockerfile = Repo.path(module + "/src/main/docker/Dockerfile.jvm");
        if (!Files.isRegularFile(dockerfile)) {
            return names;
        }
        for (String line : Repo.read(dockerfile).replace("\\\n", " ").split("\n")) {
            if (line.startsWith("ENV ")) {
                Matcher m = DOCKERFILE_ENV.matcher(line.substring(4));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** MicroProfile Config's environment name of a property: non-alphanumerics to '_', upper case. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Quarkus durations as these files write them: 15S, 5M, 1H, 2D, or plain seconds. */
    static Duration duration(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        if (v.matches("\\d+MS")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.matches("\\d+D")) {
            return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.parse("PT" + v);
    }

    boolean hasHealth() {
        return healthPort > 0;
    }

    /** The module a container image belongs to: {@code .../imagerec/<module>:<tag>}, or null. */
    static String moduleOfImage(String image) {
        if (image == null) {
            return null;
        }
        Matcher m = Pattern.compile("(?:^|/)imagerec/([a-z-]+)(?::[^/]*)?$").matcher(image);
        return m.find() && MODULES.contains(m.group(1)) ? m.group(1) : null;
    }

    static boolean exists(String module) {
        return Files.isDirectory(Repo.path(module));
    }
}
