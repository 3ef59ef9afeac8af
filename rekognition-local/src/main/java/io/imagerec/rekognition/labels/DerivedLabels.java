package io.imagerec.rekognition.labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.imagerec.rekognition.shape.BoundingBox;

/**
 * Labels that follow from what a model saw, one method per source, each rule written out so a
 * label is never a guess: an activity from a person and a piece of equipment placed as the activity
 * places them, Face and Portrait from confirmed faces, Text from text lines the recognizer can read. Nothing here looks at
 * colours or pixels. A new source (for example a drawing probability from a content classifier) is
 * one more method here and one call in {@link DetectLabelsService}.
 *
 * <p>Confidences are on Rekognition's 0-100 scale; a label's instances are boxes only where a model
 * gave one (faces), never for activities or Text.
 */
public final class DerivedLabels {

    /** One derived label: its name (in the taxonomy), confidence and the instances it has, if any. */
    public record Derived(String name, float confidence, List<LabelInstance> instances) {
    }

    /** An object the detector found, with its calibrated confidence (0-100). */
    public record Seen(String name, float confidence, BoundingBox box) {
    }

    /** How a piece of equipment sits against the person using it. */
    enum Placement {
        /** At or under the feet: the equipment's middle in the person's lower half or just below it. */
        UNDERFOOT,
        /** In hand: the equipment touches the person's box grown by a quarter of its size. */
        HELD,
        /** Ridden: the person's middle is over the vehicle or animal and their lower half overlaps it. */
        RIDDEN
    }

    record Activity(String label, String equipment, Placement placement) {
    }

    /**
     * The activities this engine derives, with the COCO equipment each needs. Kite flying is left out:
     * Rekognition reports the kite ("Kite") and the people, and a kite in the sky cannot be tied to one
     * person by geometry.
     */
    static final List<Activity> ACTIVITIES = List.of(
            new Activity("Skiing", "Skis", Placement.UNDERFOOT),
            new Activity("Snowboarding", "Snowboard", Placement.UNDERFOOT),
            new Activity("Skateboarding", "Skateboard", Placement.UNDERFOOT),
            new Activity("Surfing", "Surfboard", Placement.UNDERFOOT),
            new Activity("Tennis", "Tennis Racket", Placement.HELD),
            new Activity("Baseball", "Baseball Bat", Placement.HELD),
            new Activity("Baseball", "Baseball Glove", Placement.HELD),
            new Activity("Cycling", "Bicycle", Placement.RIDDEN),
            new Activity("Horseback Riding", "Horse", Placement.RIDDEN));

    /** Portrait: the face's box is at least this share of the image height. */
    static final float PORTRAIT_FACE_HEIGHT = 0.2f;
    /** Portrait: any other face has at most this share of the largest face's area. */
    static final float PORTRAIT_OTHER_FACE_AREA = 0.25f;

    private DerivedLabels() {
    }

    /**
     * Activities from pairs of a person and equipment placed as the activity places them. Confidence =
     * the lower of the two detections' confidences, over the best pair.
     */
    public static List<Derived> activities(List<Seen> seen) {
        List<Seen> persons = seen.stream().filter(s -> s.name().equals("Person")).toList();
        Map<String, Float> best = new java.util.LinkedHashMap<>();
        for (Activity activity : ACTIVITIES) {
            for (Seen equipment : seen) {
                if (!equipment.name().equals(activity.equipment())) {
                    continue;
                }
                for (Seen person : persons) {
                    if (placed(person.box(), equipment.box(), activity.placement())) {
                        best.merge(activity.label(), Math.min(person.confidence(), equipment.confidence()), Math::max);
                    }
                }
            }
        }
        List<Derived> out = new ArrayList<>();
        best.forEach((name, confidence) -> out.add(new Derived(name, confidence, List.of())));
        return out;
    }

    static boolean placed(BoundingBox person, BoundingBox thing, Placement placement) {
        float pr = person.left() + person.width();
        float pb = person.top() + person.height();
        float tr = thing.left() + thing.width();
        float tb = thing.top() + thing.height();
        boolean sideBySide = thing.left() < pr && tr > person.left();
        return switch (placement) {
            case UNDERFOOT -> {
                float middle = thing.top() + thing.height() / 2;
                yield sideBySide && middle >= person.top() + person.height() / 2
                        && middle <= pb + person.height() / 4;
            }
            case HELD -> {
                float gx = person.width() / 4;
                float gy = person.height() / 4;
                yield thing.left() < pr + gx && tr > person.left() - gx
                        && thing.top() < pb + gy && tb > person.top() - gy;
            }
            case RIDDEN -> {
                float middle = person.left() + person.width() / 2;
                float overlap = Math.min(pr, tr) - Math.max(person.left(), thing.left());
                yield middle >= thing.left() && middle <= tr && overlap >= person.width() / 2
                        && person.top() < thing.top() && pb > thing.top() + thing.height() / 4 && pb <= tb
                        + person.height() / 4;
            }
        };
    }

    /** A face the face models confirmed: box as ratios and confidence 0-100. */
    public record FaceSeen(BoundingBox box, float confidence) {
    }

    /**
     * Face (one instance per confirmed face, with its box; its parents Head and Person follow from
     * the taxonomy) and Portrait: the largest face is at least {@link #PORTRAIT_FACE_HEIGHT} of the
     * image height and any other face is at most {@link #PORTRAIT_OTHER_FACE_AREA} of its area.
     * Confidence of Face = its most confident face; of Portrait = the largest face's.
     */
    public static List<Derived> faces(List<FaceSeen> faces) {
        if (faces.isEmpty()) {
            return List.of();
        }
        List<FaceSeen> bySize = new ArrayList<>(faces);
        bySize.sort(Comparator.comparing((FaceSeen f) -> f.box().width() * f.box().height()).reversed());
        List<LabelInstance> instances = new ArrayList<>();
        float best = 0;
        for (FaceSeen f : faces) {
            instances.add(new LabelInstance(f.box(), f.confidence(), null));
            best = Math.max(best, f.confidence());
        }
        instances.sort(Comparator.comparing(LabelInstance::confidence).reversed());
        List<Derived> out = new ArrayList<>();
        out.add(new Derived("Face", best, instances));
        FaceSeen largest = bySize.get(0);
        float area = largest.box().width() * largest.box().height();
        boolean alone = bySize.size() == 1
                || bySize.get(1).box().width() * bySize.get(1).box().height() <= PORTRAIT_OTHER_FACE_AREA * area;
        if (alone && largest.box().height() >= PORTRAIT_FACE_HEIGHT) {
            out.add(new Derived("Portrait", largest.confidence(), List.of()));
        }
        return out;
    }

    /** A line the text detector found (mean probability in its box) and what the recognizer read in it. */
    public record TextLine(float detectorScore, String reading, float readingProbability) {
    }

    /** Mean probability a line's reading needs for the Text label (a bar of its own, below DetectText's 76). */
    static final float MIN_READING_PROBABILITY = 0.6f;
    /** Characters (not spaces) a reading needs: a single glyph is how the recognizer reads fur or grass. */
    static final int MIN_CHARACTERS = 2;

    /** Whether a line counts as text: read with at least two characters at a mean probability of 0.6. */
    public static boolean readable(TextLine line) {
        return line.readingProbability() >= MIN_READING_PROBABILITY
                && line.reading().replace(" ", "").length() >= MIN_CHARACTERS;
    }

    /**
     * Text when a line the text detector found is {@link #readable}; confidence = 100 × the lower of
     * the detector's score for that line and the recognizer's mean probability, for the first readable
     * line in the order given (the service reads lines best detector score first).
     */
    public static List<Derived> text(List<TextLine> lines) {
        for (TextLine line : lines) {
            if (readable(line)) {
                return List.of(new Derived("Text", 100f * Math.min(line.detectorScore(), line.readingProbability()),
                        List.of()));
            }
        }
        return List.of();
    }

    /**
     * Art, at 100 × the content classifier's probability that the image is drawn (nsfwjs' Drawing and
     * Hentai classes together). Only Art: those classes take in drawings, paintings, cartoons and anime
     * alike, so Rekognition's finer Drawing, Painting or Cartoon cannot be told apart from them.
     */
    public static List<Derived> art(float drawnProbability) {
        return List.of(new Derived("Art", 100f * drawnProbability, List.of()));
    }
}
