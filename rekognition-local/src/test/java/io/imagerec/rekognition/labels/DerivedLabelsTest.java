package io.imagerec.rekognition.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.imagerec.rekognition.labels.DerivedLabels.Derived;
import io.imagerec.rekognition.labels.DerivedLabels.FaceSeen;
import io.imagerec.rekognition.labels.DerivedLabels.Seen;
import io.imagerec.rekognition.shape.BoundingBox;

/** The derivation rules alone, on boxes laid out by hand. */
class DerivedLabelsTest {

    private static final BoundingBox PERSON = new BoundingBox(0.2f, 0.6f, 0.4f, 0.2f);

    private static List<String> names(List<Derived> derived) {
        return derived.stream().map(Derived::name).toList();
    }

    @Test
    void skiingWhenTheSkisAreUnderTheFeet() {
        Seen person = new Seen("Person", 90, PERSON);
        Seen skis = new Seen("Skis", 70, new BoundingBox(0.3f, 0.05f, 0.35f, 0.78f));
        List<Derived> d = DerivedLabels.activities(List.of(person, skis));
        assertEquals(List.of("Skiing"), names(d));
        assertEquals(70f, d.get(0).confidence(), "the lower of the two confidences");
        assertTrue(d.get(0).instances().isEmpty());
        // The same skis leaning on a wall to the side, or on the roof of a car above the person: no Skiing.
        assertEquals(List.of(), DerivedLabels.activities(List.of(person,
                new Seen("Skis", 70, new BoundingBox(0.1f, 0.4f, 0.8f, 0.4f)))));
        assertEquals(List.of(), DerivedLabels.activities(List.of(person,
                new Seen("Skis", 70, new BoundingBox(0.3f, 0.05f, 0.35f, 0.05f)))));
        // No person, no activity.
        assertEquals(List.of(), DerivedLabels.activities(List.of(skis)));
    }

    @Test
    void tennisWhenTheRacketIsInReach() {
        Seen person = new Seen("Person", 80, PERSON);
        assertEquals(List.of("Tennis"), names(DerivedLabels.activities(List.of(person,
                new Seen("Tennis Racket", 95, new BoundingBox(0.08f, 0.1f, 0.62f, 0.4f))))));
        assertEquals(List.of(), DerivedLabels.activities(List.of(person,
                new Seen("Tennis Racket", 95, new BoundingBox(0.08f, 0.1f, 0.9f, 0.85f)))));
    }

    @Test
    void ridingOnlyWhenThePersonIsOnTheAnimalOrBicycle() {
        BoundingBox horse = new BoundingBox(0.4f, 0.4f, 0.3f, 0.5f);
        Seen rider = new Seen("Person", 88, new BoundingBox(0.15f, 0.45f, 0.42f, 0.25f));
        assertEquals(List.of("Horseback Riding"), names(DerivedLabels.activities(List.of(rider,
                new Seen("Horse", 77, horse)))));
        // Standing beside the horse (as in person.jpg): no riding.
        Seen beside = new Seen("Person", 88, new BoundingBox(0.15f, 0.6f, 0.1f, 0.35f));
        assertEquals(List.of(), DerivedLabels.activities(List.of(beside, new Seen("Horse", 77, horse))));
        assertEquals(List.of("Cycling"), names(DerivedLabels.activities(List.of(rider,
                new Seen("Bicycle", 60, horse)))));
    }

    @Test
    void faceAndPortrait() {
        FaceSeen large = new FaceSeen(new BoundingBox(0.3f, 0.35f, 0.35f, 0.2f), 99);
        FaceSeen small = new FaceSeen(new BoundingBox(0.05f, 0.06f, 0.8f, 0.1f), 95);
        List<Derived> one = DerivedLabels.faces(List.of(large, small));
        assertEquals(List.of("Face", "Portrait"), names(one));
        assertEquals(2, one.get(0).instances().size());
        assertEquals(99f, one.get(1).confidence());
        // Two faces of about the same size: a group, not a portrait.
        FaceSeen other = new FaceSeen(new BoundingBox(0.28f, 0.33f, 0.0f, 0.2f), 97);
        assertEquals(List.of("Face"), names(DerivedLabels.faces(List.of(large, other))));
        // One small face: a Face, not a portrait.
        assertEquals(List.of("Face"), names(DerivedLabels.faces(List.of(small))));
        assertEquals(List.of(), DerivedLabels.faces(List.of()));
    }

    @Test
    void textFromReadableLinesAndTheDrawingHook() {
        assertEquals(List.of(), DerivedLabels.text(List.of()));
        // What horses.jpg gives: the detector is sure of a region on the horses, the recognizer reads one
        // unsure glyph there. Then a 0.55 reading (potted_plant.jpg's boxes): neither is Text.
        DerivedLabels.TextLine fur = new DerivedLabels.TextLine(0.99f, "河", 0.08f);
        DerivedLabels.TextLine unsure = new DerivedLabels.TextLine(0.94f, "O0XS", 0.55f);
        DerivedLabels.TextLine glyph = new DerivedLabels.TextLine(0.9f, "A ", 0.99f);
        assertEquals(List.of(), DerivedLabels.text(List.of(fur, unsure, glyph)));
        Derived text = DerivedLabels.text(List.of(fur, new DerivedLabels.TextLine(0.93f, "NO PARKING", 0.97f))).get(0);
        assertEquals("Text", text.name());
        assertEquals(93f, text.confidence(), 1e-3);
        assertEquals(List.of("Art"), names(DerivedLabels.art(0.8f)));
        assertEquals(80f, DerivedLabels.art(0.8f).get(0).confidence(), 1e-3);
        // Every derived name is in the taxonomy, with its parents.
        LabelTaxonomy taxonomy = LabelTaxonomy.load();
        for (String name : List.of("Skiing", "Snowboarding", "Skateboarding", "Surfing", "Tennis", "Baseball", "Cycling",
                "Horseback Riding", "Face", "Head", "Portrait", "Text", "Drawing", "Art")) {
            taxonomy.get(name);
        }
        assertEquals(List.of("Art"), taxonomy.get("Drawing").parents());
    }

    @Test
    void tilesMergeWithTheWholeImagePass() {
        Detection whole = new Detection(0, 0.4f, 0.1f, 0.1f, 0.4f, 0.8f);
        // The tile saw the upper part of the same person, more surely: one instance, the whole box, the tile's score.
        Detection cut = new Detection(0, 0.7f, 0.1f, 0.1f, 0.4f, 0.4f);
        // A second person only the tile saw.
        Detection other = new Detection(0, 0.5f, 0.7f, 0.6f, 0.1f, 0.2f);
        // A dog where the person is: another class, kept.
        Detection dog = new Detection(16, 0.6f, 0.1f, 0.1f, 0.4f, 0.4f);
        List<Detection> merged = CocoObjectDetector.mergeTiles(List.of(whole), List.of(cut, other, dog));
        assertEquals(3, merged.size());
        assertEquals(new Detection(0, 0.7f, 0.1f, 0.1f, 0.4f, 0.8f), merged.get(0));
        assertTrue(merged.contains(other));
        assertTrue(merged.contains(dog));
    }
}
