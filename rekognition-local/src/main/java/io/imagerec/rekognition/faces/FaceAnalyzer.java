package io.imagerec.rekognition.faces;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.imagerec.rekognition.image.DecodedImage;
import io.imagerec.rekognition.properties.ImagePropertiesAnalyzer;
import io.imagerec.rekognition.shape.BoundingBox;
import io.imagerec.rekognition.shape.FaceDetail;
import io.imagerec.rekognition.shape.FaceDetail.Attribute;
import io.imagerec.rekognition.shape.FaceDetail.Emotion;
import io.imagerec.rekognition.shape.FaceDetail.Landmark;
import io.imagerec.rekognition.shape.FaceDetail.Pose;
import io.imagerec.rekognition.shape.ImageQuality;
import io.imagerec.rekognition.shape.Overlaps;

/**
 * Finds faces and describes them: BlazeFace finds candidates, FaceMesh confirms each one and gives
 * its geometry (box, landmarks, pose, eye and mouth openness), FaceRes its age, gender and (if chosen)
 * identity descriptor, the ArcFace-style model (if chosen) its identity embedding, and the emotion
 * model its expression.
 */
public final class FaceAnalyzer {

    /** BlazeFace score a candidate needs before the mesh model looks at it. */
    static final float DETECTOR_MIN_SCORE = 0.5f;
    /**
     * Face flag the mesh model must give a candidate. On ../shared/testdata the candidates on real
     * faces get 1.0, except a shouting three-quarter profile (0.71), and the detector's false alarms
     * (a dog, fur, a distant figure) 0.003 or less.
     */
    static final float MIN_FACE_PROBABILITY = 0.5f;
    /** The model window is this many times the detector's box, as the mesh model was trained. */
    static final float WINDOW_SCALE = 1.4f;
    static final float TRAITS_WINDOW_SCALE = 1.2f;
    private static final float SAME_FACE_IOU = 0.4f;
    /**
     * Eye height over eye width above which the eyes count as open: about 0.3 wide open, under 0.1
     * shut. A smiling squint sits near 0.17 (Obama in two_people.jpg), hence the lower bar.
     */
    static final float EYE_OPEN_RATIO = 0.13f;
    /**
     * Half-width of the age range in years: FaceRes' mean absolute error on the tuning half of the
     * dated sample faces (7.5), rounded up.
     */
    static final double AGE_ERROR = 8;
    /** Lip gap over mouth width above which the mouth counts as open. */
    static final float MOUTH_OPEN_RATIO = 0.08f;

    private final BlazeFaceDetector detector;
    private final FaceMeshModel mesh;
    private final FaceTraitsModel traits;
    private final EmotionModel emotions;
    private final ArcFaceModel arcFace;

    public FaceAnalyzer(BlazeFaceDetector detector, FaceMeshModel mesh, FaceTraitsModel traits, EmotionModel emotions,
                        ArcFaceModel arcFace) {
        this.detector = detector;
        this.mesh = mesh;
        this.traits = traits;
        this.emotions = emotions;
        this.arcFace = arcFace;
    }

    /** What to estimate beyond the default fields (box, landmarks, pose, quality, confidence). */
    public enum Attributes {
        /** Nothing more. */
        NONE,
        /** Emotions, smile, eyes and mouth open: what CompareFaces' ComparedFace carries. */
        EXPRESSION,
        /** Also age and gender (FaceRes): Rekognition's ALL. */
        ALL
    }

    /**
     * Every face in the image, largest first.
     *
     * @param attributes what to estimate beyond the default fields; each model runs only when needed
     * @param descriptor the identity descriptor to compute (for comparing and searching), or null for none:
     *     only the model it names runs for it, so DetectFaces never pays for an identity model
     */
    public List<AnalyzedFace> analyze(DecodedImage decoded, Attributes attributes, FaceDescriptor descriptor) {
        BufferedImage image = decoded.pixels();
        float w = image.getWidth();
        float h = image.getHeight();
        float toOriginal = decoded.width() / w;
        List<FaceCrop> windows = new ArrayList<>();
        for (BlazeFaceDetector.Candidate c : detector.detect(image, DETECTOR_MIN_SCORE)) {
            float roll = (float) Math.atan2(c.ky(1) - c.ky(0), c.kx(1) - c.kx(0));
            windows.add(new FaceCrop((c.x1() + c.x2()) / 2, (c.y1() + c.y2()) / 2,
                    WINDOW_SCALE * Math.max(c.width(), c.height()), roll));
        }
        List<FaceMeshModel.Mesh> meshes = mesh.run(image, windows);
        List<Located> located = new ArrayList<>();
        for (int i = 0; i < windows.size(); i++) {
            FaceMeshModel.Mesh m = meshes.get(i);
            if (m.faceProbability() >= MIN_FACE_PROBABILITY) {
                located.add(new Located(windows.get(i), m, meshBox(m, w, h)));
            }
        }
        located.sort(Comparator.comparing((Located l) -> l.box.width() * l.box.height()).reversed());
        List<Located> kept = Overlaps.keepFirst(located, (k, l) -> k.box.iou(l.box) > SAME_FACE_IOU);
        List<FaceTraitsModel.Traits> traitList = attributes == Attributes.ALL || descriptor == FaceDescriptor.FACERES
                ? traits.run(image, kept.stream().map(l -> traitsWindow(l, w, h)).toList()) : null;
        List<float[]> emotionList = attributes != Attributes.NONE
                ? emotions.run(image, kept.stream().map(Located::window).toList()) : null;
        List<float[]> embeddings = descriptor == FaceDescriptor.ARCFACE
                ? arcFace.run(image, kept.stream().map(l -> FaceAlignment.of(FaceLandmarks.fivePoints(l.mesh))).toList())
                : null;
        List<AnalyzedFace> faces = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            Located l = kept.get(i);
            float[] identity = descriptor == FaceDescriptor.FACERES ? traitList.get(i).descriptor()
                    : embeddings != null ? embeddings.get(i) : null;
            faces.add(describe(image, l, attributes == Attributes.ALL ? traitList.get(i) : null,
                    emotionList == null ? null : emotionList.get(i), identity, l.box.width() * w * toOriginal));
        }
        return faces;
    }

    private record Located(FaceCrop window, FaceMeshModel.Mesh mesh, BoundingBox box) {
    }

    /** The FaceDetail of one face; {@code t} and {@code p} (emotion probabilities) are null when not asked for. */
    private AnalyzedFace describe(BufferedImage image, Located l, FaceTraitsModel.Traits t, float[] p,
                                  float[] descriptor, float pixelWidth) {
        FaceMeshModel.Mesh m = l.mesh;
        float w = image.getWidth();
        float h = image.getHeight();
        List<Landmark> landmarks = FaceLandmarks.of(m, w, h);
        Pose pose = FaceLandmarks.pose(m);
        ImageQuality quality = faceQuality(image, l.box);
        float confidence = round3(100f * m.faceProbability());
        FaceDetail.AgeRange age = null;
        Attribute<String> gender = null;
        Attribute<Boolean> smile = null;
        Attribute<Boolean> eyesOpen = null;
        Attribute<Boolean> mouthOpen = null;
        List<Emotion> emotionList = null;
        if (t != null) {
            age = ageRange(t.ageProbabilities());
            float male = t.maleProbability();
            gender = new Attribute<>(male >= 0.5f ? "Male" : "Female", round3(100f * Math.max(male, 1 - male)));
        }
        if (p != null) {
            emotionList = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                emotionList.add(new Emotion(EmotionModel.TYPES[i], round3(100f * p[i])));
            }
            emotionList.sort(Comparator.comparing(Emotion::confidence).reversed());
            float happy = p[EmotionModel.HAPPY];
            smile = new Attribute<>(happy >= 0.5f, round3(100f * Math.max(happy, 1 - happy)));
            eyesOpen = threshold(FaceLandmarks.eyeOpenness(m), EYE_OPEN_RATIO);
            mouthOpen = threshold(FaceLandmarks.mouthOpenness(m), MOUTH_OPEN_RATIO);
        }
        FaceDetail detail = new FaceDetail(l.box, age, smile, gender, eyesOpen, mouthOpen, emotionList, landmarks,
                pose, quality, confidence);
        return new AnalyzedFace(detail, descriptor, pixelWidth, t == null ? null : t.ageProbabilities());
    }

    /**
     * The window FaceRes sees: centred on the mesh box, 1.2 times its longer side, turned by the eyes'
     * roll like the mesh window. This tighter window separated same-person from different-person pairs
     * better on ../shared/testdata than the detector's 1.4 window did.
     */
    static FaceCrop traitsWindow(Located l, float w, float h) {
        float cx = (l.box.left() + l.box.width() / 2) * w;
        float cy = (l.box.top() + l.box.height() / 2) * h;
        return new FaceCrop(cx, cy, TRAITS_WINDOW_SCALE * Math.max(l.box.width() * w, l.box.height() * h),
                l.window.angle());
    }

    /**
     * A geometric yes/no: the confidence grows from 50 at the threshold to 99 at half the threshold
     * away from it.
     */
    static Attribute<Boolean> threshold(float ratio, float threshold) {
        float distance = Math.abs(ratio - threshold) / (threshold / 2);
        return new Attribute<>(ratio > threshold, round3(Math.min(99f, 50f + 49f * distance)));
    }

    /**
     * FaceRes' age (the mean of its distribution) ± {@value #AGE_ERROR} years, rounded outward. The
     * half-width is the mean absolute error of that estimate on the tuning half of the dated sample faces
     * (docs/engine-faces.md); the model's own spread (often 25-35 years for its central 80%) says more
     * about its doubt than about its error.
     */
    static FaceDetail.AgeRange ageRange(float[] probabilities) {
        double centre = ageEstimate(probabilities);
        int low = (int) Math.max(0, Math.floor(centre - AGE_ERROR));
        int high = (int) Math.ceil(centre + AGE_ERROR);
        return new FaceDetail.AgeRange(low, high);
    }

    /** The mean of the model's age distribution, in years. */
    static double ageEstimate(float[] probabilities) {
        double total = 0;
        double sum = 0;
        for (int i = 0; i < probabilities.length; i++) {
            total += probabilities[i];
            sum += i * probabilities[i];
        }
        return total > 0 ? sum / total : 0;
    }

    /** The box around the mesh (forehead to chin, cheek to cheek), as ratios of the image, clipped to it. */
    static BoundingBox meshBox(FaceMeshModel.Mesh m, float w, float h) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 0; i < FaceMeshModel.POINTS; i++) {
            minX = Math.min(minX, m.x(i));
            maxX = Math.max(maxX, m.x(i));
            minY = Math.min(minY, m.y(i));
            maxY = Math.max(maxY, m.y(i));
        }
        float left = clamp(minX / w);
        float top = clamp(minY / h);
        float right = clamp(maxX / w);
        float bottom = clamp(maxY / h);
        return new BoundingBox(right - left, bottom - top, left, top);
    }

    private static ImageQuality faceQuality(BufferedImage image, BoundingBox box) {
        int x = Math.round(box.left() * image.getWidth());
        int y = Math.round(box.top() * image.getHeight());
        int bw = Math.max(1, Math.min(image.getWidth() - x, Math.round(box.width() * image.getWidth())));
        int bh = Math.max(1, Math.min(image.getHeight() - y, Math.round(box.height() * image.getHeight())));
        return ImagePropertiesAnalyzer.quality(ImagePropertiesAnalyzer.whole(image.getSubimage(x, y, bw, bh)), false);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    static float round3(float v) {
        return Math.round(v * 1000f) / 1000f;
    }
}
