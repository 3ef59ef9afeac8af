package io.imagerec.rekognition.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A TensorFlow.js graph model (model.json plus weight shards) running on TensorFlow Java.
 * Thread-safe: TensorFlow sessions accept concurrent {@code run} calls.
 */
public final class TfjsGraphModel implements AutoCloseable {

    private final String name;
    private final Graph graph;
    private final Session session;
    private volatile Consumer<Long> inferenceNanos = nanos -> { };

    private TfjsGraphModel(String name, Graph graph, Session session) {
        this.name = name;
        this.graph = graph;
        this.session = session;
    }

    /** Receives the duration of every forward pass, in nanoseconds (for metrics). */
    public void onInference(Consumer<Long> listener) {
        this.inferenceNanos = listener;
    }

    /**
     * Loads a model.json and the weight shards its manifest names, from the same directory.
     *
     * @param intraOpThreads threads one operation may use (0 lets TensorFlow choose)
     */
    public static TfjsGraphModel load(Path modelJson, int intraOpThreads) throws IOException {
        if (!Files.isRegularFile(modelJson)) {
            throw new ModelNotFoundException(modelJson);
        }
        GraphDef graphDef = TfjsGraphConverter.convert(modelJson);
        String fileName = modelJson.getFileName().toString();
        return fromGraphDef(fileName.replaceFirst("\\.json$", ""), graphDef, intraOpThreads, modelJson.toString());
    }

    /**
     * Loads a TensorFlow.js <em>layers</em> model that nsfwjs ships as browserify bundles
     * ({@code model.min.js} and {@code group1-shardKofN.min.js}), converted by {@link KerasLayersConverter}.
     *
     * @param name the model's name in metrics and logs
     */
    public static TfjsGraphModel loadBrowserifiedLayers(Path modelMinJs, String name, int intraOpThreads)
            throws IOException {
        GraphDef graphDef = KerasLayersConverter.convert(BrowserifiedModel.readModelJson(modelMinJs),
                modelMinJs.getParent(), BrowserifiedModel::readShard);
        return fromGraphDef(name, graphDef, intraOpThreads, modelMinJs.toString());
    }

    private static TfjsGraphModel fromGraphDef(String name, GraphDef graphDef, int intraOpThreads, String source)
            throws IOException {
        Graph graph = new Graph();
        try {
            graph.importGraphDef(graphDef);
        } catch (RuntimeException e) {
            graph.close();
            throw new IOException("TensorFlow refused the converted graph of " + source + ": " + e.getMessage(), e);
        }
        // Without Grappler: on a graph's first run it rewrote a copy of the graph with every weight in it,
        // and kept some; the moderation classifier's first pass took the engine's RSS from 1.2 to 1.9 GB,
        // 290 MB of it for good. The converted graphs are already fused where TensorFlow's kernels allow
        // (docs/benchmarks.md, "Engine memory").
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(1)
                .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(RewriterConfig.newBuilder()
                        .setDisableMetaOptimizer(true)))
                .build();
        Session session = new Session(graph, config);
        return new TfjsGraphModel(name, graph, session);
    }

    public String name() {
        return name;
    }

    /**
     * Runs the graph on one float input and returns the named float outputs, flattened.
     */
    public float[][] run(String inputName, long[] inputShape, float[] input, String... outputNames) {
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(inputShape), DataBuffers.of(input, true, false))) {
            Session.Runner runner = session.runner().feed(inputName, in);
            for (String output : outputNames) {
                runner.fetch(output);
            }
            long start = System.nanoTime();
            try (Result result = runner.run()) {
                inferenceNanos.accept(System.nanoTime() - start);
                float[][] outputs = new float[outputNames.length][];
                for (int i = 0; i < outputNames.length; i++) {
                    Tensor t = result.get(i);
                    if (!(t instanceof TFloat32 f)) {
                        throw new IllegalStateException("output " + outputNames[i] + " of " + name + " is not float32");
                    }
                    float[] values = new float[(int) f.shape().size()];
                    f.copyTo(DataBuffers.of(values, false, false));
                    outputs[i] = values;
                }
                return outputs;
            }
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
