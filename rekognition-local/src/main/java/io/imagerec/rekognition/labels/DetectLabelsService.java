package io.imagerec.rekognition.labels;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.imagerec.rekognition.faces.AnalyzedFace;
import io.imagerec.rekognition.faces.FaceAnalyzer;
import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.Resize;
import io.imagerec.rekognition.moderation.ContentClassifier;
import io.imagerec.rekognition.properties.ImagePropertiesAnalyzer;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.Named;
import io.imagerec.rekognition.text.TextDetector;
import io.imagerec.rekognition.text.TextRecognizer;

/**
 * DetectLabels on the COCO detector: one label per detected class with all its instances, the
 * taxonomy's parent labels, and scene labels that follow from what was detected (several people →
 * People, many → Crowd, a person with sports equipment → Sport, three or more of one animal → Herd).
 */
public class DetectLabelsService {

    public static final String LABEL_MODEL_VERSION = "3.0";

    /** Persons from which on a picture is also labelled Crowd. */
    private static final int CROWD_SIZE = 8;
    private static final Set<String> SPORTS_EQUIPMENT_PARENT = Set.of("Sports Equipment");
    private static final Set<String> HERD_ANIMALS = Set.of("Sheep", "Cow", "Horse", "Zebra", "Elephant", "Giraffe");

    private static final List<String> FACE_LABELS = List.of("Face", "Portrait");
    private static final List<String> TEXT_LABELS = List.of("Text");
    private static final List<String> ART_LABELS = List.of("Art");
    /** Threads for the derived labels' passes, beside the requests' own; as many as cores, idle when unused. */
    private static final ExecutorService SIDE_PASSES = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), runnable -> {
                Thread thread = new Thread(runnable, "detect-labels-side-pass");
                thread.setDaemon(true);
                return thread;
            });
    /** Lines read for the Text label before giving up: reading costs a recognizer pass per line. */
    static final int TEXT_LINES_READ = 3;

    private final CocoObjectDetector detector;
    private final LabelTaxonomy taxonomy;
    private final ScoreCalibration calibration;
    private final boolean tiles;
    private final FaceAnalyzer faces;
    private final TextDetector text;
    private final TextRecognizer recognizer;
    private final int textSide;
    private final ContentClassifier art;

    public DetectLabelsService(CocoObjectDetector detector, LabelTaxonomy taxonomy, ScoreCalibration calibration) {
        this(detector, taxonomy, calibration, false, null, null, null, 0, null);
    }

    /**
     * @param tiles also run the detector on the image's quadrants
     * @param faces the face models for Face and Portrait, or null for none
     * @param text the text detector for Text, or null for none
     * @param recognizer the text recognizer that must read a line before it counts as Text
     * @param textSide longer side the image is scaled down to for the text detector
     * @param art the content classifier whose drawing classes give Drawing (and Art), or null for none
     */
    public DetectLabelsService(CocoObjectDetector detector, LabelTaxonomy taxonomy, ScoreCalibration calibration,
            boolean tiles, FaceAnalyzer faces, TextDetector text, TextRecognizer recognizer, int textSide,
            ContentClassifier art) {
        this.detector = detector;
        this.taxonomy = taxonomy;
        this.calibration = calibration;
        this.tiles = tiles;
        this.faces = faces;
        this.text = text;
        this.recognizer = recognizer;
        this.textSide = textSide;
        this.art = art;
    }

    public DetectLabelsResult detect(DecodedImage image, DetectLabelsOptions options) {
        List<Label> labels = null;
        List<Detection> detections = List.of();
        // The derived labels' passes (faces, text, art) do not need the detector's answer: each runs on a
        // thread of its own meanwhile, so a request on an otherwise idle machine waits for the longest of
        // them, not their sum. Under load it is the same work either way.
        List<CompletableFuture<List<DerivedLabels.Derived>>> derived = options.generalLabels()
                ? derivedPasses(image, options) : List.of();
        if (options.generalLabels() || options.imageProperties()) {
            detections = detector.detect(image.pixels(), calibration.toScore(options.minConfidence()), tiles);
        }
        ImagePropertiesAnalyzer.Region whole = options.imageProperties() ? ImagePropertiesAnalyzer.whole(image.pixels())
                : null;
        if (options.generalLabels()) {
            labels = filterAndLimit(labelsFrom(detections, join(derived), whole, options), options);
        }
        DetectLabelsResult.ImageProperties properties = null;
        if (options.imageProperties()) {
            properties = imageProperties(whole, detections, options.maxDominantColors());
        }
        return new DetectLabelsResult(labels, LABEL_MODEL_VERSION, properties);
    }

    /** The derived labels' passes the request's filters leave wanted, each started on its own side thread. */
    private List<CompletableFuture<List<DerivedLabels.Derived>>> derivedPasses(DecodedImage image,
            DetectLabelsOptions options) {
        List<CompletableFuture<List<DerivedLabels.Derived>>> passes = new ArrayList<>();
        if (faces != null && wanted(FACE_LABELS, options)) {
            passes.add(CompletableFuture.supplyAsync(() -> {
                List<DerivedLabels.FaceSeen> seen = new ArrayList<>();
                for (AnalyzedFace f : faces.analyze(image, FaceAnalyzer.Attributes.NONE, null)) {
                    seen.add(new DerivedLabels.FaceSeen(f.box(), f.detail().confidence()));
                }
                return DerivedLabels.faces(seen);
            }, SIDE_PASSES));
        }
        if (text != null && wanted(TEXT_LABELS, options)) {
            passes.add(CompletableFuture.supplyAsync(() -> DerivedLabels.text(textLines(image.pixels())), SIDE_PASSES));
        }
        if (art != null && wanted(ART_LABELS, options)) {
            passes.add(CompletableFuture.supplyAsync(() -> {
                ContentClassifier.Scores scores = art.classify(image);
                // Both of nsfwjs' drawn classes: a drawing, and a drawing with explicit content.
                return DerivedLabels.art(scores.drawing() + scores.hentai());
            }, SIDE_PASSES));
        }
        return passes;
    }

    /** The side passes' answers in order, or the first failure as it was thrown. */
    private static List<DerivedLabels.Derived> join(List<CompletableFuture<List<DerivedLabels.Derived>>> passes) {
        List<DerivedLabels.Derived> derived = new ArrayList<>();
        for (CompletableFuture<List<DerivedLabels.Derived>> pass : passes) {
            derived.addAll(join(pass));
        }
        return derived;
    }

    private static List<DerivedLabels.Derived> join(CompletableFuture<List<DerivedLabels.Derived>> derived) {
        try {
            return derived.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Lines the text detector finds on the image scaled to {@code textSide}, best first, each read by
     * the recognizer on the full image, until one is readable (at most {@link #TEXT_LINES_READ} reads).
     */
    private List<DerivedLabels.TextLine> textLines(BufferedImage pixels) {
        float scale = Math.min(1f, (float) textSide / Math.max(pixels.getWidth(), pixels.getHeight()));
        BufferedImage scaled = scale >= 1f ? pixels : Resize.bilinear(pixels,
                Math.max(1, Math.round(pixels.getWidth() * scale)), Math.max(1, Math.round(pixels.getHeight() * scale)));
        List<TextDetector.Box> boxes = new ArrayList<>(text.detect(scaled));
        boxes.sort(Comparator.comparing(TextDetector.Box::score).reversed());
        float back = (float) pixels.getWidth() / scaled.getWidth();
        float backY = (float) pixels.getHeight() / scaled.getHeight();
        List<DerivedLabels.TextLine> lines = new ArrayList<>();
        for (TextDetector.Box box : boxes.subList(0, Math.min(TEXT_LINES_READ, boxes.size()))) {
            TextRecognizer.Reading reading = recognizer.read(pixels, box.quad().scaled(back, backY));
            DerivedLabels.TextLine line = new DerivedLabels.TextLine(box.score(), reading.text(), reading.meanProbability());
            lines.add(line);
            if (DerivedLabels.readable(line)) {
                break;
            }
        }
        return lines;
    }

    /**
     * Whether any of these labels (or their parents) could pass the request's name and category
     * filters: a model pass whose labels would all be filtered out is not run.
     */
    private boolean wanted(List<String> names, DetectLabelsOptions options) {
        for (String name : names) {
            LabelTaxonomy.Entry e = taxonomy.get(name);
            List<String> family = new ArrayList<>(e.parents());
            family.add(name);
            for (String n : family) {
                LabelTaxonomy.Entry f = taxonomy.get(n);
                boolean byName = (options.labelInclusions().isEmpty() || options.labelInclusions().contains(n))
                        && !options.labelExclusions().contains(n);
                boolean byCategory = (options.categoryInclusions().isEmpty()
                        || f.categories().stream().anyMatch(options.categoryInclusions()::contains))
                        && f.categories().stream().noneMatch(options.categoryExclusions()::contains);
                if (byName && byCategory) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<Label> labelsFrom(List<Detection> detections, List<DerivedLabels.Derived> derived,
            ImagePropertiesAnalyzer.Region whole, DetectLabelsOptions options) {
        Map<Integer, List<Detection>> byClass = new LinkedHashMap<>();
        for (Detection d : detections) {
            byClass.computeIfAbsent(d.classIndex(), k -> new ArrayList<>()).add(d);
        }
        Map<String, Float> confidenceByName = new LinkedHashMap<>();
        List<Label> labels = new ArrayList<>();
        for (Map.Entry<Integer, List<Detection>> group : byClass.entrySet()) {
            LabelTaxonomy.Entry entry = taxonomy.forClass(group.getKey());
            List<LabelInstance> instances = new ArrayList<>();
            float best = 0;
            for (Detection d : group.getValue()) {
                float confidence = calibration.toConfidence(d.score());
                best = Math.max(best, confidence);
                BoundingBox box = d.box();
                instances.add(new LabelInstance(box, confidence, whole == null ? null
                        : ImagePropertiesAnalyzer.dominantColors(ImagePropertiesAnalyzer.crop(whole, box),
                                options.maxDominantColors())));
            }
            instances.sort(Comparator.comparing(LabelInstance::confidence).reversed());
            labels.add(label(entry, best, instances));
            confidenceByName.put(entry.name(), best);
        }
        List<Label> more = new ArrayList<>(sceneLabels(byClass));
        List<DerivedLabels.Seen> seen = new ArrayList<>();
        for (Detection d : detections) {
            seen.add(new DerivedLabels.Seen(taxonomy.forClass(d.classIndex()).name(),
                    calibration.toConfidence(d.score()), d.box()));
        }
        List<DerivedLabels.Derived> all = new ArrayList<>(DerivedLabels.activities(seen));
        all.addAll(derived);
        for (DerivedLabels.Derived d : all) {
            List<LabelInstance> instances = d.instances().stream()
                    .filter(i -> i.confidence() >= options.minConfidence()).toList();
            more.add(label(taxonomy.get(d.name()), d.confidence(), instances));
        }
        for (Label extra : more) {
            if (confidenceByName.containsKey(extra.name())) {
                continue;
            }
            labels.add(extra);
            confidenceByName.put(extra.name(), extra.confidence());
        }
        // Parent labels stand on their own too, as confident as their most confident child.
        Map<String, Float> parents = new LinkedHashMap<>();
        for (Label l : labels) {
            for (Named p : l.parents()) {
                if (!confidenceByName.containsKey(p.name())) {
                    parents.merge(p.name(), l.confidence(), Math::max);
                }
            }
        }
        parents.forEach((name, confidence) -> labels.add(label(taxonomy.get(name), confidence, List.of())));
        labels.sort(Comparator.comparing(Label::confidence).reversed().thenComparing(Label::name));
        return labels;
    }

    private List<Label> sceneLabels(Map<Integer, List<Detection>> byClass) {
        List<Label> scene = new ArrayList<>();
        List<Float> persons = confidencesOf(byClass, "Person");
        if (persons.size() >= 2) {
            scene.add(label(taxonomy.get("People"), persons.get(1), List.of()));
        }
        if (persons.size() >= CROWD_SIZE) {
            scene.add(label(taxonomy.get("Crowd"), persons.get(CROWD_SIZE - 1), List.of()));
        }
        if (!persons.isEmpty()) {
            float equipment = 0;
            for (Map.Entry<Integer, List<Detection>> group : byClass.entrySet()) {
                if (taxonomy.forClass(group.getKey()).parents().stream().anyMatch(SPORTS_EQUIPMENT_PARENT::contains)) {
                    equipment = Math.max(equipment, confidencesOf(byClass, taxonomy.forClass(group.getKey()).name()).get(0));
                }
            }
            if (equipment > 0) {
                scene.add(label(taxonomy.get("Sport"), Math.min(persons.get(0), equipment), List.of()));
            }
        }
        float herd = 0;
        for (String animal : HERD_ANIMALS) {
            List<Float> c = confidencesOf(byClass, animal);
            if (c.size() >= 3) {
                herd = Math.max(herd, c.get(2));
            }
        }
        if (herd > 0) {
            scene.add(label(taxonomy.get("Herd"), herd, List.of()));
        }
        return scene;
    }

    private List<Float> confidencesOf(Map<Integer, List<Detection>> byClass, String name) {
        List<Float> out = new ArrayList<>();
        byClass.forEach((cls, list) -> {
            if (taxonomy.forClass(cls).name().equals(name)) {
                list.forEach(d -> out.add(calibration.toConfidence(d.score())));
            }
        });
        out.sort(Comparator.reverseOrder());
        return out;
    }

    private static Label label(LabelTaxonomy.Entry entry, float confidence, List<LabelInstance> instances) {
        return new Label(entry.name(), confidence, instances, named(entry.parents()), named(entry.aliases()),
                named(entry.categories()));
    }

    private static List<Named> named(List<String> names) {
        return names.stream().map(Named::new).toList();
    }

    private static List<Label> filterAndLimit(List<Label> labels, DetectLabelsOptions options) {
        List<Label> out = new ArrayList<>();
        for (Label l : labels) {
            if (l.confidence() < options.minConfidence()) {
                continue;
            }
            if (!options.labelInclusions().isEmpty() && !options.labelInclusions().contains(l.name())) {
                continue;
            }
            if (options.labelExclusions().contains(l.name())) {
                continue;
            }
            List<String> categories = l.categories().stream().map(Named::name).toList();
            if (!options.categoryInclusions().isEmpty()
                    && categories.stream().noneMatch(options.categoryInclusions()::contains)) {
                continue;
            }
            if (categories.stream().anyMatch(options.categoryExclusions()::contains)) {
                continue;
            }
            if (options.maxLabels() != null && out.size() >= options.maxLabels()) {
                break;
            }
            out.add(l);
        }
        return out;
    }

    private static DetectLabelsResult.ImageProperties imageProperties(ImagePropertiesAnalyzer.Region whole,
            List<Detection> detections, int maxColors) {
        DetectLabelsResult.Region foreground = null;
        DetectLabelsResult.Region background = null;
        if (!detections.isEmpty()) {
            List<BoundingBox> boxes = detections.stream().map(Detection::box).toList();
            ImagePropertiesAnalyzer.Region fg = ImagePropertiesAnalyzer.masked(whole, boxes, true);
            ImagePropertiesAnalyzer.Region bg = ImagePropertiesAnalyzer.masked(whole, boxes, false);
            if (fg.pixelCount() > 0) {
                foreground = new DetectLabelsResult.Region(ImagePropertiesAnalyzer.quality(fg, false),
                        ImagePropertiesAnalyzer.dominantColors(fg, maxColors));
            }
            if (bg.pixelCount() > 0) {
                background = new DetectLabelsResult.Region(ImagePropertiesAnalyzer.quality(bg, false),
                        ImagePropertiesAnalyzer.dominantColors(bg, maxColors));
            }
        }
        return new DetectLabelsResult.ImageProperties(ImagePropertiesAnalyzer.quality(whole, true),
                ImagePropertiesAnalyzer.dominantColors(whole, maxColors), foreground, background);
    }
}
