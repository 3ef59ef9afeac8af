package io.imagerec.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The files under test, read once per test JVM. */
final class Fixtures {

    static final Path TEMPLATE = Path.of("deploy/aws/imagerec.yaml");
    static final List<String> KUSTOMIZATIONS = List.of("deploy/k8s/base", "deploy/k8s/overlays/local", "deploy/k8s/overlays/aws");

    private static Map<String, Object> template;
    private static Map<String, ServiceSettings> settings;
    private static final Map<String, List<Map<String, Object>>> RENDERED = new LinkedHashMap<>();

    private Fixtures() {
    }

    static synchronized Map<String, Object> template() {
        if (template == null) {
            template = Yamls.loadOne(Repo.read(Repo.root().resolve(TEMPLATE)));
        }
        return Yamls.copy(template);
    }

    static synchronized Map<String, ServiceSettings> settings() {
        if (settings == null) {
            settings = new LinkedHashMap<>();
            for (String module : ServiceSettings.MODULES) {
                settings.put(module, ServiceSettings.of(module));
            }
        }
        return settings;
    }

    /** The objects {@code kubectl kustomize dir} renders; a copy each time, to break in a test. */
    @SuppressWarnings("unchecked")
    static synchronized List<Map<String, Object>> rendered(String dir) throws Exception {
        if (!RENDERED.containsKey(dir)) {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (Object o : Yamls.loadAll(Kustomize.render(Repo.path(dir)))) {
                objects.add((Map<String, Object>) o);
            }
            RENDERED.put(dir, objects);
        }
        return Yamls.copy(RENDERED.get(dir));
    }

    static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(Yamls.at(o, "metadata", "name")))
                .findFirst().orElseThrow(() -> new AssertionError("No " + kind + "/" + name));
    }
}
