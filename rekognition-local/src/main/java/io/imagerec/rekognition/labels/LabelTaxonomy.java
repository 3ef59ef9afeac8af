package io.imagerec.rekognition.labels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Names, aliases, parents and categories of every label the engine can report
 * ({@code labels/taxonomy.json}): the 80 detector classes in output order and the parent labels
 * above them.
 */
public final class LabelTaxonomy {

    /** One label's place in the taxonomy; {@code parents} lists every ancestor, nearest first. */
    public record Entry(String name, List<String> aliases, List<String> parents, List<String> categories) {
    }

    private final List<Entry> classes;
    private final Map<String, Entry> byName;

    private LabelTaxonomy(List<Entry> classes, Map<String, Entry> byName) {
        this.classes = classes;
        this.byName = byName;
    }

    public static LabelTaxonomy load() {
        try (InputStream in = LabelTaxonomy.class.getResourceAsStream("/labels/taxonomy.json")) {
            if (in == null) {
                throw new IllegalStateException("labels/taxonomy.json is missing from the classpath");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Entry> classes = new ArrayList<>();
            Map<String, Entry> byName = new HashMap<>();
            for (JsonNode c : root.path("classes")) {
                Entry e = new Entry(c.path("name").asText(), strings(c.path("aliases")), strings(c.path("parents")),
                        strings(c.path("categories")));
                classes.add(e);
                byName.put(e.name(), e);
            }
            root.path("parents").fields().forEachRemaining(p -> byName.put(p.getKey(), new Entry(p.getKey(), List.of(),
                    strings(p.getValue().path("parents")), strings(p.getValue().path("categories")))));
            for (Entry e : byName.values()) {
                for (String parent : e.parents()) {
                    if (!byName.containsKey(parent)) {
                        throw new IllegalStateException("taxonomy: parent " + parent + " of " + e.name() + " is undefined");
                    }
                }
            }
            return new LabelTaxonomy(List.copyOf(classes), Map.copyOf(byName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    public Entry forClass(int classIndex) {
        return classes.get(classIndex);
    }

    public int classCount() {
        return classes.size();
    }

    public Entry get(String name) {
        Entry e = byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("label " + name + " is not in the taxonomy");
        }
        return e;
    }
}
