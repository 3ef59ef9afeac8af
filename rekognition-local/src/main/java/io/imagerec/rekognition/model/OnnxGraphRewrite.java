package io.imagerec.rekognition.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

/**
 * Semantics-preserving rewrites of an ONNX graph at load time, so that ONNX Runtime's own fusions
 * match graphs exported by Paddle2ONNX (PP-OCR's PP-LCNetV3 backbone):
 *
 * <ul>
 * <li>{@code Mul}/{@code Add} with the constant as the first input get their inputs swapped (both
 * are commutative, broadcasting included): ONNX Runtime's Conv+Mul and Conv+Add fusions look at the
 * second input only.</li>
 * <li>A one-element constant of shape [1] feeding such a {@code Mul}/{@code Add} whose other input is
 * known to have rank of at least 1 (a {@code Conv} output or an element-wise result of one) becomes a
 * scalar (rank 0): the broadcast result is the same, and those fusions accept a scalar but not [1].</li>
 * <li>Hard-swish spelt {@code Add(x, 3) → Clip(0, 6) → Mul(x, ·) → Div(·, 6)} becomes
 * {@code HardSigmoid(x; 1/6, 0.5) → Mul(x, ·)} (both since opset 6, so the model's opset is kept).</li>
 * <li>{@code Conv → Mul(·, scalar) → Add(·, scalar)}: the bias becomes [C, 1, 1], the shape ONNX
 * Runtime's Conv+Add fusion takes.</li>
 * <li>{@code Mul(h, s) → Add(·, b) → Conv}: the scale moves into the Conv's weights (and the bias into
 * its bias where the Conv has no padding).</li>
 * </ul>
 *
 * The model is read and written with protobuf-java's {@link UnknownFieldSet} (no ONNX classes), so
 * every field this class does not touch is carried over as it was. Field numbers from onnx.proto.
 * Graphs with subgraphs (If, Loop, Scan) are left as they are.
 */
public final class OnnxGraphRewrite {

    // ModelProto
    private static final int MODEL_GRAPH = 7;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_OUTPUT = 12;
    // ValueInfoProto
    private static final int VALUE_INFO_NAME = 1;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    // AttributeProto
    private static final int ATTR_NAME = 1;
    private static final int ATTR_F = 2;
    private static final int ATTR_S = 4;
    private static final int ATTR_T = 5;
    private static final int ATTR_G = 6;
    private static final int ATTR_INTS = 8;
    private static final int ATTR_GRAPHS = 11;
    private static final int ATTR_TYPE = 20;
    private static final int ATTR_TYPE_FLOAT = 1;
    private static final int ATTR_TYPE_TENSOR = 4;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int FLOAT = 1;

    /** The rewritten model and what was changed. */
    public record Result(byte[] model, int swapped, int scalars, int convBiases, int hardSwishes,
            int scalesIntoConv) {

        public String summary() {
            return String.format("%d Mul/Add inputs swapped, %d constants made scalar, %d Conv biases per channel, "
                    + "%d hard-swishes as HardSigmoid and Mul, %d scales moved into the next Conv",
                    swapped, scalars, convBiases, hardSwishes, scalesIntoConv);
        }
    }

    /** Which rewrites to apply. */
    public record Options(boolean swapConstantFirst, boolean scalarConstants, boolean convBias, boolean hardSwish,
            boolean scaleIntoConv) {
        public static final Options ALL = new Options(true, true, true, true, true);
    }

    private OnnxGraphRewrite() {
    }

    /** The graph's nodes in order without {@code removed}, each kept one in place of the nodes {@code with} gives. */
    private static void rebuild(List<Node> nodes, Set<Node> removed, Function<Node, List<Node>> with) {
        List<Node> out = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            if (!removed.contains(n)) {
                out.addAll(with.apply(n));
            }
        }
        nodes.clear();
        nodes.addAll(out);
    }

    public static Result rewrite(byte[] model) {
        return rewrite(model, Options.ALL);
    }

    public static Result rewrite(byte[] model, Options options) {
        try {
            UnknownFieldSet modelSet = UnknownFieldSet.parseFrom(model);
            UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(modelSet, MODEL_GRAPH));
            List<Node> nodes = new ArrayList<>();
            for (ByteString b : graph.getField(GRAPH_NODE).getLengthDelimitedList()) {
                nodes.add(new Node(UnknownFieldSet.parseFrom(b)));
            }
            // A subgraph (If, Loop, Scan) may use any outer name unseen by the consumer maps below.
            for (Node n : nodes) {
                for (UnknownFieldSet a : n.attributes) {
                    if (a.hasField(ATTR_G) || a.hasField(ATTR_GRAPHS)) {
                        return new Result(model, 0, 0, 0, 0, 0);
                    }
                }
            }
            // Constants: Constant nodes' "value" tensors and the graph's initializers, by name.
            Map<String, UnknownFieldSet> constants = new HashMap<>();
            Map<String, Node> constantNodes = new HashMap<>();
            for (Node n : nodes) {
                if (n.op.equals("Constant") && n.domain.isEmpty() && n.outputs.size() == 1) {
                    UnknownFieldSet value = n.attributeTensor("value");
                    if (value != null) {
                        constants.put(n.outputs.get(0), value);
                        constantNodes.put(n.outputs.get(0), n);
                    }
                }
            }
            Set<String> initializers = new HashSet<>();
            for (ByteString b : graph.getField(GRAPH_INITIALIZER).getLengthDelimitedList()) {
                UnknownFieldSet t = UnknownFieldSet.parseFrom(b);
                String name = single(t, TENSOR_NAME).toStringUtf8();
                constants.put(name, t);
                initializers.add(name);
            }

            int swapped = options.swapConstantFirst() ? swapConstantFirst(nodes, constants) : 0;
            int scalars = options.scalarConstants() ? scalarConstants(nodes, constants, constantNodes, initializers) : 0;
            int convBiases = options.convBias() ? perChannelConvBias(nodes, constants) : 0;
            int hardSwishes = options.hardSwish() ? fuseHardSwish(nodes, constants) : 0;
            int scalesIntoConv = options.scaleIntoConv() ? scaleIntoNextConv(nodes, constants) : 0;
            if (swapped + scalars + convBiases + hardSwishes + scalesIntoConv == 0) {
                return new Result(model, 0, 0, 0, 0, 0);
            }
            Set<String> graphOutputs = new HashSet<>();
            for (ByteString b : graph.getField(GRAPH_OUTPUT).getLengthDelimitedList()) {
                graphOutputs.add(UnknownFieldSet.parseFrom(b).getField(VALUE_INFO_NAME).getLengthDelimitedList()
                        .get(0).toStringUtf8());
            }
            removeUnusedConstants(nodes, graphOutputs);

            UnknownFieldSet.Field.Builder nodeField = UnknownFieldSet.Field.newBuilder();
            for (Node n : nodes) {
                nodeField.addLengthDelimited(n.toByteString());
            }
            UnknownFieldSet newGraph = UnknownFieldSet.newBuilder(graph)
                    .clearField(GRAPH_NODE).addField(GRAPH_NODE, nodeField.build()).build();
            UnknownFieldSet newModel = UnknownFieldSet.newBuilder(modelSet).clearField(MODEL_GRAPH)
                    .addField(MODEL_GRAPH, UnknownFieldSet.Field.newBuilder()
                            .addLengthDelimited(newGraph.toByteString()).build())
                    .build();
            return new Result(newModel.toByteArray(), swapped, scalars, convBiases, hardSwishes, scalesIntoConv);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static int swapConstantFirst(List<Node> nodes, Map<String, UnknownFieldSet> constants) {
        int swapped = 0;
        for (Node n : nodes) {
            if (n.isBinary("Mul", "Add") && constants.containsKey(n.inputs.get(0))
                    && !constants.containsKey(n.inputs.get(1))) {
                n.inputs.add(n.inputs.remove(0));
                n.changed = true;
                swapped++;
            }
        }
        return swapped;
    }

    private static int scalarConstants(List<Node> nodes, Map<String, UnknownFieldSet> constants,
            Map<String, Node> constantNodes, Set<String> initializers) {
        // Tensors known to have rank >= 1: Conv outputs, and element-wise results with such an input.
        Set<String> ranked = new HashSet<>();
        Map<String, List<Node>> consumers = consumers(nodes);
        Set<String> candidates = new HashSet<>();
        for (Node n : nodes) {
            if (n.domain.isEmpty() && n.op.equals("Conv")) {
                ranked.add(n.outputs.get(0));
            } else if (n.isBinary("Mul", "Add", "Sub", "Div")
                    && (ranked.contains(n.inputs.get(0)) || ranked.contains(n.inputs.get(1)))) {
                ranked.add(n.outputs.get(0));
                for (String in : n.inputs) {
                    if (constants.containsKey(in) && !ranked.contains(in)) {
                        candidates.add(in);
                    }
                }
            }
        }
        int changed = 0;
        for (String name : candidates) {
            UnknownFieldSet t = constants.get(name);
            Node constant = constantNodes.get(name);
            if (constant == null || initializers.contains(name) || !dims(t).equals(List.of(1L))) {
                continue;
            }
            // Every consumer must be a binary element-wise node whose other input has rank >= 1.
            boolean safe = true;
            for (Node c : consumers.getOrDefault(name, List.of())) {
                String other = c.inputs.get(0).equals(name) ? c.inputs.get(1) : c.inputs.get(0);
                safe &= c.isBinary("Mul", "Add", "Sub", "Div") && ranked.contains(other);
            }
            if (!safe) {
                continue;
            }
            UnknownFieldSet scalar = UnknownFieldSet.newBuilder(t).clearField(TENSOR_DIMS).build();
            constant.replaceAttributeTensor("value", scalar);
            constants.put(name, scalar);
            changed++;
        }
        return changed;
    }

    /**
     * {@code Conv → [Mul(·, scalar)] → Add(·, scalar)}: the scalar becomes a constant of shape [C, 1, 1]
     * (C the Conv's output channels), the only shape ONNX Runtime's Conv+Add fusion folds into the
     * Conv's bias. The broadcast sum is the same.
     */
    private static int perChannelConvBias(List<Node> nodes, Map<String, UnknownFieldSet> constants) {
        Map<String, Node> producers = new HashMap<>();
        for (Node n : nodes) {
            n.outputs.forEach(o -> producers.put(o, n));
        }
        List<Node> out = new ArrayList<>(nodes.size());
        int changed = 0;
        for (Node add : nodes) {
            Node conv = null;
            int bias = -1;
            if (add.isBinary("Add")) {
                for (int i = 0; i < 2 && conv == null; i++) {
                    float[] b = constants.containsKey(add.inputs.get(1 - i)) ? floats(constants.get(add.inputs.get(1 - i))) : null;
                    if (b == null || b.length != 1) {
                        continue;
                    }
                    Node p = producers.get(add.inputs.get(i));
                    if (p != null && p.isBinary("Mul")) { // a per-tensor scale between Conv and Add
                        int s = constants.containsKey(p.inputs.get(1)) ? 1 : constants.containsKey(p.inputs.get(0)) ? 0 : -1;
                        float[] scale = s < 0 ? null : floats(constants.get(p.inputs.get(s)));
                        p = scale != null && scale.length == 1 ? producers.get(p.inputs.get(1 - s)) : null;
                    }
                    if (p != null && p.domain.isEmpty() && p.op.equals("Conv") && p.inputs.size() >= 2
                            && constants.containsKey(p.inputs.get(1))) {
                        conv = p;
                        bias = 1 - i;
                    }
                }
            }
            if (conv == null) {
                out.add(add);
                continue;
            }
            List<Long> weightDims = dims(constants.get(conv.inputs.get(1)));
            if (weightDims.size() < 3) {
                out.add(add);
                continue;
            }
            int channels = Math.toIntExact(weightDims.get(0));
            float value = floats(constants.get(add.inputs.get(bias)))[0];
            ByteBuffer raw = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < channels; c++) {
                raw.putFloat(value);
            }
            raw.flip();
            String name = add.inputs.get(bias) + ".per_channel." + add.outputs.get(0);
            UnknownFieldSet.Field.Builder dims = UnknownFieldSet.Field.newBuilder().addVarint(channels);
            for (int d = 2; d < weightDims.size(); d++) {
                dims.addVarint(1);
            }
            UnknownFieldSet tensor = UnknownFieldSet.newBuilder()
                    .addField(TENSOR_DIMS, dims.build())
                    .addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT).build())
                    .addField(TENSOR_NAME, Node.lengthDelimited(ByteString.copyFromUtf8(name)))
                    .addField(TENSOR_RAW_DATA, Node.lengthDelimited(ByteString.copyFrom(raw)))
                    .build();
            Node constant = Node.of("Constant", name, List.of(), List.of(name)).withTensor("value", tensor);
            constants.put(name, tensor);
            add.inputs.set(bias, name);
            add.changed = true;
            out.add(constant);
            out.add(add);
            changed++;
        }
        nodes.clear();
        nodes.addAll(out);
        return changed;
    }

    /**
     * {@code Mul(h, s) → Add(·, b) → Conv(W, B)} with scalars s ≠ 0 and b: the scale moves into the
     * Conv's weights, exactly, since the Conv's zero padding is unchanged by a scale:
     * {@code Conv_W(s·h + b) = Conv_{s·W}(h + b/s)}. Without padding the bias moves too:
     * {@code = Conv_{s·W}(h) + b·ΣW}, per output channel.
     */
    private static int scaleIntoNextConv(List<Node> nodes, Map<String, UnknownFieldSet> constants) {
        Map<String, List<Node>> consumers = consumers(nodes);
        Map<String, Node> producers = new HashMap<>();
        for (Node n : nodes) {
            n.outputs.forEach(o -> producers.put(o, n));
        }
        Set<Node> removed = new HashSet<>();
        Map<Node, List<Node>> before = new HashMap<>();
        int changed = 0;
        for (Node conv : nodes) {
            if (!conv.domain.isEmpty() || !conv.op.equals("Conv") || conv.inputs.size() < 2
                    || onlyConsumer(consumers, conv.inputs.get(1)) != conv
                    || (conv.inputs.size() == 3 && onlyConsumer(consumers, conv.inputs.get(2)) != conv)) {
                continue;
            }
            Node add = producers.get(conv.inputs.get(0));
            if (add == null || !add.isBinary("Add") || onlyConsumer(consumers, add.outputs.get(0)) != conv
                    || removed.contains(add)) {
                continue;
            }
            int bi = scalarIndex(add, constants);
            Node mul = bi < 0 ? null : producers.get(add.inputs.get(1 - bi));
            if (mul == null || !mul.isBinary("Mul") || onlyConsumer(consumers, mul.outputs.get(0)) != add) {
                continue;
            }
            int si = scalarIndex(mul, constants);
            if (si < 0) {
                continue;
            }
            float scale = floats(constants.get(mul.inputs.get(si)))[0];
            float bias = floats(constants.get(add.inputs.get(bi)))[0];
            UnknownFieldSet w = constants.get(conv.inputs.get(1));
            float[] weights = w == null ? null : floats(w);
            UnknownFieldSet b = conv.inputs.size() == 3 ? constants.get(conv.inputs.get(2)) : null;
            float[] biases = b == null ? null : floats(b);
            List<Long> wDims = w == null ? List.of() : dims(w);
            if (scale == 0f || weights == null || wDims.size() < 3 || (conv.inputs.size() == 3 && biases == null)
                    || conv.attribute("auto_pad") != null && !conv.attributeString("auto_pad").equals("NOTSET")) {
                continue;
            }
            int out = Math.toIntExact(wDims.get(0));
            int perOut = weights.length / out;
            boolean padded = conv.attributeInts("pads").stream().anyMatch(p -> p != 0);
            float[] newBiases = biases == null ? new float[out] : biases.clone();
            if (!padded) {
                for (int o = 0; o < out; o++) {
                    double sum = 0;
                    for (int k = 0; k < perOut; k++) {
                        sum += weights[o * perOut + k];
                    }
                    newBiases[o] += (float) (bias * sum);
                }
            }
            float[] newWeights = weights.clone();
            for (int k = 0; k < newWeights.length; k++) {
                newWeights[k] *= scale;
            }
            String prefix = conv.name.isEmpty() ? conv.outputs.get(0) : conv.name;
            List<Node> inserted = new ArrayList<>();
            inserted.add(constant(prefix + ".scaled_w", wDims, newWeights, constants));
            String h = mul.inputs.get(1 - si);
            String input = h;
            if (padded) {
                Node shifted = constant(prefix + ".shift", List.of(), new float[] {bias / scale}, constants);
                inserted.add(shifted);
                input = prefix + ".shifted_input";
                inserted.add(Node.of("Add", prefix + ".shift_add", List.of(h, shifted.outputs.get(0)), List.of(input)));
            }
            if (!padded || biases != null) {
                inserted.add(constant(prefix + ".shifted_b", List.of((long) out), newBiases, constants));
            }
            conv.inputs.clear();
            conv.inputs.add(input);
            conv.inputs.add(prefix + ".scaled_w");
            if (!padded || biases != null) {
                conv.inputs.add(prefix + ".shifted_b");
            }
            conv.changed = true;
            removed.add(mul);
            removed.add(add);
            before.put(conv, inserted);
            changed++;
        }
        rebuild(nodes, removed, n -> {
            List<Node> with = new ArrayList<>(before.getOrDefault(n, List.of()));
            with.add(n);
            return with;
        });
        return changed;
    }

    /** The index of the input that is a one-element float constant, or -1. */
    private static int scalarIndex(Node n, Map<String, UnknownFieldSet> constants) {
        for (int i = 0; i < n.inputs.size(); i++) {
            UnknownFieldSet t = constants.get(n.inputs.get(i));
            float[] values = t == null ? null : floats(t);
            if (values != null && values.length == 1 && !constants.containsKey(n.inputs.get(1 - i))) {
                return i;
            }
        }
        return -1;
    }

    private static Node constant(String name, List<Long> dims, float[] values, Map<String, UnknownFieldSet> constants) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        UnknownFieldSet.Field.Builder d = UnknownFieldSet.Field.newBuilder();
        dims.forEach(d::addVarint);
        UnknownFieldSet.Builder tensor = UnknownFieldSet.newBuilder();
        if (!dims.isEmpty()) {
            tensor.addField(TENSOR_DIMS, d.build());
        }
        UnknownFieldSet t = tensor
                .addField(TENSOR_DATA_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(FLOAT).build())
                .addField(TENSOR_NAME, Node.lengthDelimited(ByteString.copyFromUtf8(name)))
                .addField(TENSOR_RAW_DATA, Node.lengthDelimited(ByteString.copyFrom(raw)))
                .build();
        constants.put(name, t);
        return Node.of("Constant", name, List.of(), List.of(name)).withTensor("value", t);
    }

    private static void removeUnusedConstants(List<Node> nodes, Set<String> graphOutputs) {
        Map<String, List<Node>> consumers = consumers(nodes);
        nodes.removeIf(n -> n.domain.isEmpty() && n.op.equals("Constant") && n.outputs.size() == 1
                && !consumers.containsKey(n.outputs.get(0)) && !graphOutputs.contains(n.outputs.get(0)));
    }

    private static int fuseHardSwish(List<Node> nodes, Map<String, UnknownFieldSet> constants) {
        Map<String, List<Node>> consumers = consumers(nodes);
        Set<Node> removed = new HashSet<>();
        Map<Node, Node> replaced = new HashMap<>();
        int fused = 0;
        for (Node add : nodes) {
            if (!add.isBinary("Add")) {
                continue;
            }
            int three = constantIndex(add, constants, 3f);
            if (three < 0) {
                continue;
            }
            String x = add.inputs.get(1 - three);
            Node clip = onlyConsumer(consumers, add.outputs.get(0));
            if (clip == null || !clip.domain.isEmpty() || !clip.op.equals("Clip") || !clipsTo(clip, constants, 0f, 6f)) {
                continue;
            }
            Node mul = onlyConsumer(consumers, clip.outputs.get(0));
            if (mul == null || !mul.isBinary("Mul") || !mul.inputs.contains(x)
                    || !mul.inputs.contains(clip.outputs.get(0))) {
                continue;
            }
            Node div = onlyConsumer(consumers, mul.outputs.get(0));
            if (div == null || !div.isBinary("Div") || !div.inputs.get(0).equals(mul.outputs.get(0))
                    || constantIndex(div, constants, 6f) != 1) {
                continue;
            }
            String gate = add.outputs.get(0) + ".hard_sigmoid";
            Node hardSigmoid = Node.of("HardSigmoid", add.name + ".hard_sigmoid", List.of(x), List.of(gate))
                    .withFloat("alpha", 1f / 6f).withFloat("beta", 0.5f);
            Node product = Node.of("Mul", div.name + ".hard_swish", List.of(x, gate), List.copyOf(div.outputs));
            replaced.put(add, hardSigmoid);
            removed.add(clip);
            removed.add(mul);
            replaced.put(div, product);
            fused++;
        }
        rebuild(nodes, removed, n -> List.of(replaced.getOrDefault(n, n)));
        return fused;
    }

    /** A Clip to [min, max]: as attributes (before opset 11) or as constant inputs (since). */
    private static boolean clipsTo(Node clip, Map<String, UnknownFieldSet> constants, float min, float max) {
        if (clip.inputs.size() == 1) {
            return Float.valueOf(min).equals(clip.attributeFloat("min"))
                    && Float.valueOf(max).equals(clip.attributeFloat("max"));
        }
        return clip.inputs.size() == 3 && isScalar(constants.get(clip.inputs.get(1)), min)
                && isScalar(constants.get(clip.inputs.get(2)), max);
    }

    private static boolean isScalar(UnknownFieldSet tensor, float value) {
        float[] values = tensor == null ? null : floats(tensor);
        return values != null && values.length == 1 && values[0] == value;
    }

    /** The index of the input that is a one-element float constant equal to {@code value}, or -1. */
    private static int constantIndex(Node n, Map<String, UnknownFieldSet> constants, float value) {
        for (int i = 0; i < n.inputs.size(); i++) {
            if (isScalar(constants.get(n.inputs.get(i)), value)) {
                return i;
            }
        }
        return -1;
    }

    private static Node onlyConsumer(Map<String, List<Node>> consumers, String tensor) {
        List<Node> c = consumers.getOrDefault(tensor, List.of());
        return c.size() == 1 ? c.get(0) : null;
    }

    private static Map<String, List<Node>> consumers(List<Node> nodes) {
        Map<String, List<Node>> consumers = new HashMap<>();
        for (Node n : nodes) {
            for (String in : n.inputs) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        return consumers;
    }

    private static List<Long> dims(UnknownFieldSet tensor) {
        return tensor.hasField(TENSOR_DIMS) ? tensor.getField(TENSOR_DIMS).getVarintList() : List.of();
    }

    /** A float tensor's values (float_data or raw_data), or null if it is not a float tensor. */
    private static float[] floats(UnknownFieldSet tensor) {
        if (!tensor.hasField(TENSOR_DATA_TYPE) || tensor.getField(TENSOR_DATA_TYPE).getVarintList().get(0) != FLOAT) {
            return null;
        }
        if (tensor.hasField(TENSOR_RAW_DATA)) {
            ByteBuffer raw = single(tensor, TENSOR_RAW_DATA).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[raw.remaining() / 4];
            raw.asFloatBuffer().get(values);
            return values;
        }
        if (tensor.hasField(TENSOR_FLOAT_DATA)) {
            UnknownFieldSet.Field f = tensor.getField(TENSOR_FLOAT_DATA);
            if (!f.getFixed32List().isEmpty()) {
                return toFloats(f.getFixed32List());
            }
            if (!f.getLengthDelimitedList().isEmpty()) { // packed
                ByteBuffer packed = f.getLengthDelimitedList().get(0).asReadOnlyByteBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] values = new float[packed.remaining() / 4];
                packed.asFloatBuffer().get(values);
                return values;
            }
        }
        return null;
    }

    private static float[] toFloats(List<Integer> bits) {
        float[] values = new float[bits.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(bits.get(i));
        }
        return values;
    }

    private static ByteString single(UnknownFieldSet set, int field) {
        List<ByteString> values = set.getField(field).getLengthDelimitedList();
        if (values.size() != 1) {
            throw new IllegalArgumentException("expected one field " + field + ", found " + values.size());
        }
        return values.get(0);
    }

    /** A NodeProto: inputs, outputs and op type decoded; every other field kept as read. */
    private static final class Node {
        final UnknownFieldSet original;
        final String op;
        final String domain;
        final String name;
        final List<String> inputs;
        final List<String> outputs;
        final List<UnknownFieldSet> attributes;
        boolean changed;

        Node(UnknownFieldSet set) throws InvalidProtocolBufferException {
            this.original = set;
            this.op = string(set, NODE_OP_TYPE);
            this.domain = string(set, NODE_DOMAIN);
            this.name = string(set, NODE_NAME);
            this.inputs = strings(set, NODE_INPUT);
            this.outputs = strings(set, NODE_OUTPUT);
            this.attributes = new ArrayList<>();
            for (ByteString b : set.getField(NODE_ATTRIBUTE).getLengthDelimitedList()) {
                attributes.add(UnknownFieldSet.parseFrom(b));
            }
        }

        static Node of(String op, String name, List<String> inputs, List<String> outputs) {
            UnknownFieldSet.Builder b = UnknownFieldSet.newBuilder();
            b.addField(NODE_OP_TYPE, lengthDelimited(ByteString.copyFromUtf8(op)));
            b.addField(NODE_NAME, lengthDelimited(ByteString.copyFromUtf8(name)));
            try {
                Node n = new Node(b.build());
                n.inputs.addAll(inputs);
                n.outputs.addAll(outputs);
                n.changed = true;
                return n;
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        Node withFloat(String attribute, float value) {
            attributes.add(UnknownFieldSet.newBuilder()
                    .addField(ATTR_NAME, lengthDelimited(ByteString.copyFromUtf8(attribute)))
                    .addField(ATTR_F, UnknownFieldSet.Field.newBuilder().addFixed32(Float.floatToIntBits(value)).build())
                    .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTR_TYPE_FLOAT).build())
                    .build());
            changed = true;
            return this;
        }

        Node withTensor(String attribute, UnknownFieldSet tensor) {
            attributes.add(UnknownFieldSet.newBuilder()
                    .addField(ATTR_NAME, lengthDelimited(ByteString.copyFromUtf8(attribute)))
                    .addField(ATTR_T, lengthDelimited(tensor.toByteString()))
                    .addField(ATTR_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(ATTR_TYPE_TENSOR).build())
                    .build());
            changed = true;
            return this;
        }

        boolean isBinary(String... ops) {
            if (!domain.isEmpty() || inputs.size() != 2) {
                return false;
            }
            for (String o : ops) {
                if (o.equals(op)) {
                    return true;
                }
            }
            return false;
        }

        UnknownFieldSet attribute(String attributeName) {
            for (UnknownFieldSet a : attributes) {
                if (string(a, ATTR_NAME).equals(attributeName)) {
                    return a;
                }
            }
            return null;
        }

        String attributeString(String attributeName) {
            UnknownFieldSet a = attribute(attributeName);
            return a == null ? "" : string(a, ATTR_S);
        }

        List<Long> attributeInts(String attributeName) {
            UnknownFieldSet a = attribute(attributeName);
            return a == null ? List.of() : a.getField(ATTR_INTS).getVarintList();
        }

        Float attributeFloat(String attributeName) {
            UnknownFieldSet a = attribute(attributeName);
            return a == null || a.getField(ATTR_F).getFixed32List().isEmpty() ? null
                    : Float.intBitsToFloat(a.getField(ATTR_F).getFixed32List().get(0));
        }

        UnknownFieldSet attributeTensor(String attributeName) throws InvalidProtocolBufferException {
            UnknownFieldSet a = attribute(attributeName);
            return a == null || a.getField(ATTR_T).getLengthDelimitedList().isEmpty() ? null
                    : UnknownFieldSet.parseFrom(a.getField(ATTR_T).getLengthDelimitedList().get(0));
        }

        void replaceAttributeTensor(String attributeName, UnknownFieldSet tensor) {
            UnknownFieldSet a = attribute(attributeName);
            attributes.set(attributes.indexOf(a), UnknownFieldSet.newBuilder(a).clearField(ATTR_T)
                    .addField(ATTR_T, lengthDelimited(tensor.toByteString())).build());
            changed = true;
        }

        ByteString toByteString() {
            if (!changed) {
                return original.toByteString();
            }
            UnknownFieldSet.Field.Builder in = UnknownFieldSet.Field.newBuilder();
            inputs.forEach(s -> in.addLengthDelimited(ByteString.copyFromUtf8(s)));
            UnknownFieldSet.Field.Builder out = UnknownFieldSet.Field.newBuilder();
            outputs.forEach(s -> out.addLengthDelimited(ByteString.copyFromUtf8(s)));
            UnknownFieldSet.Field.Builder attrs = UnknownFieldSet.Field.newBuilder();
            attributes.forEach(a -> attrs.addLengthDelimited(a.toByteString()));
            return UnknownFieldSet.newBuilder(original)
                    .clearField(NODE_INPUT).addField(NODE_INPUT, in.build())
                    .clearField(NODE_OUTPUT).addField(NODE_OUTPUT, out.build())
                    .clearField(NODE_ATTRIBUTE).addField(NODE_ATTRIBUTE, attrs.build())
                    .build().toByteString();
        }

        private static UnknownFieldSet.Field lengthDelimited(ByteString value) {
            return UnknownFieldSet.Field.newBuilder().addLengthDelimited(value).build();
        }

        private static String string(UnknownFieldSet set, int field) {
            List<ByteString> v = set.getField(field).getLengthDelimitedList();
            return v.isEmpty() ? "" : v.get(0).toStringUtf8();
        }

        private static List<String> strings(UnknownFieldSet set, int field) {
            List<String> out = new ArrayList<>();
            set.getField(field).getLengthDelimitedList().forEach(b -> out.add(b.toStringUtf8()));
            return out;
        }
    }
}
