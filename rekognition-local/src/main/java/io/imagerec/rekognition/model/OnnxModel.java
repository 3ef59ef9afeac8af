package io.imagerec.rekognition.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import org.jboss.logging.Logger;

/** An ONNX model on ONNX Runtime with one float input and one float output. Thread-safe. */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OnnxModel.class);

    /** A float tensor: its shape and its values, row-major. */
    public record Output(long[] shape, float[] values) {
    }

    private final String name;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final OrtSession.RunOptions runOptions;
    private volatile Consumer<Long> inferenceNanos = nanos -> { };

    private OnnxModel(String name, OrtSession session, OrtSession.RunOptions runOptions) throws OrtException {
        this.name = name;
        this.session = session;
        this.runOptions = runOptions;
        this.input = session.getInputNames().iterator().next();
        this.output = session.getOutputNames().iterator().next();
    }

    /**
     * Loads with ONNX Runtime's CPU arena shrunk after every pass and the graph as it is
     * ({@link #load(Path, int, boolean, boolean)}).
     */
    public static OnnxModel load(Path file, int intraOpThreads) throws OrtException {
        return load(file, intraOpThreads, true, false);
    }

    /**
     * @param shrinkArena give the CPU arena's memory back after every forward pass. ONNX Runtime's arena
     *        otherwise keeps, for good, the largest intermediate tensors any pass needed (the text
     *        detector's grow with the image); shrunk, a pass allocates them afresh from malloc, which
     *        keeps them at hand (docs/benchmarks.md, "Engine memory").
     * @param rewriteGraph apply {@link OnnxGraphRewrite} to the model before ONNX Runtime sees it, so
     *        its fusions match the graph (PaddleOCR's models: about 15% less CPU a pass)
     */
    public static OnnxModel load(Path file, int intraOpThreads, boolean shrinkArena, boolean rewriteGraph)
            throws OrtException {
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException(file);
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Math.max(1, intraOpThreads));
        if (intraOpThreads > 1) {
            // ONNX Runtime's pool threads otherwise spin for a while after each parallel section,
            // burning a core that a concurrent request's pass could use.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
        }
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        OrtSession session;
        if (rewriteGraph) {
            OnnxGraphRewrite.Result rewritten;
            try {
                rewritten = OnnxGraphRewrite.rewrite(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read model " + file + ": " + e.getMessage(), e);
            }
            LOG.infof("Model %s rewritten: %s", name, rewritten.summary());
            session = OrtEnvironment.getEnvironment().createSession(rewritten.model(), options);
        } else {
            session = OrtEnvironment.getEnvironment().createSession(file.toString(), options);
        }
        OrtSession.RunOptions runOptions = new OrtSession.RunOptions();
        if (shrinkArena) {
            runOptions.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
        }
        return new OnnxModel(name, session, runOptions);
    }

    public String name() {
        return name;
    }

    public void onInference(Consumer<Long> listener) {
        this.inferenceNanos = listener;
    }

    public Output run(long[] shape, float[] values) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape)) {
            long start = System.nanoTime();
            try (OrtSession.Result result = session.run(Map.of(input, tensor), runOptions)) {
                inferenceNanos.accept(System.nanoTime() - start);
                OnnxTensor out = (OnnxTensor) result.get(output).orElseThrow();
                FloatBuffer buffer = out.getFloatBuffer();
                float[] data = new float[buffer.remaining()];
                buffer.get(data);
                return new Output(out.getInfo().getShape(), data);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("model " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One forward pass returning every output by name, for models with several (an age model's
     * stages); {@link #run} returns the first only.
     */
    public Map<String, Output> runAll(long[] shape, float[] values) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape)) {
            long start = System.nanoTime();
            try (OrtSession.Result result = session.run(Map.of(input, tensor), runOptions)) {
                inferenceNanos.accept(System.nanoTime() - start);
                Map<String, Output> outputs = new LinkedHashMap<>();
                for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : result) {
                    OnnxTensor out = (OnnxTensor) e.getValue();
                    FloatBuffer buffer = out.getFloatBuffer();
                    float[] data = new float[buffer.remaining()];
                    buffer.get(data);
                    outputs.put(e.getKey(), new Output(out.getInfo().getShape(), data));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("model " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The declared shape of the input (-1 where a dimension is free, such as a dynamic batch). */
    public long[] inputShape() {
        try {
            return ((ai.onnxruntime.TensorInfo) session.getInputInfo().get(input).getInfo()).getShape();
        } catch (OrtException e) {
            throw new IllegalStateException("model " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        runOptions.close();
    }
}
