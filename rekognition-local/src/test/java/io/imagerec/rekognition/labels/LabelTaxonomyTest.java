package io.imagerec.rekognition.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class LabelTaxonomyTest {

    private final LabelTaxonomy taxonomy = LabelTaxonomy.load();

    @Test
    void hasTheEightyDetectorClassesInOrder() {
        assertEquals(80, taxonomy.classCount());
        assertEquals("Person", taxonomy.forClass(0).name());
        assertEquals("Dog", taxonomy.forClass(16).name());
        assertEquals("Toothbrush", taxonomy.forClass(79).name());
    }

    @Test
    void everyParentListHoldsAllAncestors() {
        for (int i = 0; i < taxonomy.classCount(); i++) {
            LabelTaxonomy.Entry entry = taxonomy.forClass(i);
            Set<String> listed = new HashSet<>(entry.parents());
            for (String parent : entry.parents()) {
                for (String grandparent : taxonomy.get(parent).parents()) {
                    assertEquals(true, listed.contains(grandparent),
                            entry.name() + " lists " + parent + " but not its parent " + grandparent);
                }
            }
            assertFalse(entry.categories().isEmpty(), entry.name() + " has no category");
        }
        assertEquals(List.of("Canine", "Mammal", "Pet", "Animal"), taxonomy.get("Dog").parents());
    }
}
