package io.imagerec.rekognition.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns a TensorFlow.js graph model (model.json + weight shards) into a TensorFlow {@link GraphDef}.
 *
 * <p>The node list in model.json is the protobuf JSON form of NodeDef. The weights are listed in the
 * weights manifest and stored back to back in the shards; each becomes the value of its Const node.
 * The tfjs converter leaves graphs that stock TensorFlow does not run, so this class also
 * <ul>
 *   <li>widens float16- and uint8-quantized weights to float32;</li>
 *   <li>splits the fused ops tfjs emits ({@code _FusedConv2D}, {@code FusedDepthwiseConv2dNative},
 *       {@code _FusedMatMul}) into the plain op, {@code BiasAdd} and the activation, which TensorFlow's
 *       grappler fuses again for its own kernels;</li>
 *   <li>rewrites {@code Prelu}, which is not a TensorFlow op, as relu(x) - alpha * relu(-x).</li>
 * </ul>
 */
public final class TfjsGraphConverter {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Attributes the plain convolution and matmul ops accept; the fused ops carry more. */
    private static final Set<String> CONV_ATTRS =
            Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations", "use_cudnn_on_gpu");
    private static final Set<String> DEPTHWISE_ATTRS =
            Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations");
    private static final Set<String> MATMUL_ATTRS = Set.of("T", "transpose_a", "transpose_b");
    /** Fusions TensorFlow's CPU kernel for {@code _FusedConv2D} runs as they are. */
    private static final Set<List<String>> NATIVE_FUSIONS = Set.of(List.of("BiasAdd"), List.of("BiasAdd", "Relu"),
            List.of("BiasAdd", "Relu6"), List.of("BiasAdd", "Elu"), List.of("BiasAdd", "LeakyRelu"));

    private TfjsGraphConverter() {
    }

    public static GraphDef convert(Path modelJson) throws IOException {
        JsonNode model = JSON.readTree(modelJson.toFile());
        if (!"graph-model".equals(model.path("format").asText("graph-model"))) {
            throw new IOException(modelJson + " is not a TensorFlow.js graph model");
        }
        Map<String, TensorProto> weights = readWeights(modelJson.getParent(), model.path("weightsManifest"));
        GraphDef.Builder graph = GraphDef.newBuilder();
        for (JsonNode node : model.path("modelTopology").path("node")) {
            for (NodeDef converted : convertNode(parseNode(node, weights))) {
                graph.addNode(converted);
            }
        }
        return graph.build();
    }

    // ---- nodes ----------------------------------------------------------------------------------

    static NodeDef parseNode(JsonNode json, Map<String, TensorProto> weights) {
        NodeDef.Builder node = NodeDef.newBuilder()
                .setName(json.path("name").asText())
                .setOp(json.path("op").asText());
        if (json.hasNonNull("device")) {
            node.setDevice(json.get("device").asText());
        }
        for (JsonNode input : json.path("input")) {
            node.addInput(input.asText());
        }
        Iterator<Map.Entry<String, JsonNode>> attrs = json.path("attr").fields();
        while (attrs.hasNext()) {
            Map.Entry<String, JsonNode> attr = attrs.next();
            node.putAttr(attr.getKey(), parseAttr(attr.getValue()));
        }
        if ("Const".equals(node.getOp())) {
            TensorProto value = weights.get(node.getName());
            if (value != null) {
                node.putAttr("value", AttrValue.newBuilder().setTensor(value).build());
            } else if (!node.getAttrOrThrow("value").getTensor().hasTensorShape()) {
                throw new IllegalArgumentException("Const node " + node.getName() + " has no weights");
            }
        }
        return node.build();
    }

    static AttrValue parseAttr(JsonNode json) {
        AttrValue.Builder value = AttrValue.newBuilder();
        if (json.has("type")) {
            value.setType(DataType.valueOf(json.get("type").asText()));
        } else if (json.has("tensor")) {
            value.setTensor(parseTensorHeader(json.get("tensor")));
        } else if (json.has("shape")) {
            value.setShape(parseShape(json.get("shape")));
        } else if (json.has("s")) {
            value.setS(ByteString.copyFrom(Base64.getDecoder().decode(json.get("s").asText())));
        } else if (json.has("i")) {
            value.setI(json.get("i").asLong());
        } else if (json.has("f")) {
            value.setF((float) json.get("f").asDouble());
        } else if (json.has("b")) {
            value.setB(json.get("b").asBoolean());
        } else if (json.has("list")) {
            JsonNode list = json.get("list");
            AttrValue.ListValue.Builder items = AttrValue.ListValue.newBuilder();
            list.path("i").forEach(i -> items.addI(i.asLong()));
            list.path("f").forEach(f -> items.addF((float) f.asDouble()));
            list.path("b").forEach(b -> items.addB(b.asBoolean()));
            list.path("s").forEach(s -> items.addS(ByteString.copyFrom(Base64.getDecoder().decode(s.asText()))));
            list.path("type").forEach(t -> items.addType(DataType.valueOf(t.asText())));
            list.path("shape").forEach(s -> items.addShape(parseShape(s)));
            value.setList(items);
        } else {
            throw new IllegalArgumentException("Unsupported attribute value " + json);
        }
        return value.build();
    }

    private static TensorProto parseTensorHeader(JsonNode json) {
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setDtype(DataType.valueOf(json.path("dtype").asText("DT_FLOAT")));
        if (json.has("tensorShape")) {
            tensor.setTensorShape(parseShape(json.get("tensorShape")));
        }
        return tensor.build();
    }

    private static TensorShapeProto parseShape(JsonNode json) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (json.path("unknownRank").asBoolean(false)) {
            shape.setUnknownRank(true);
        }
        for (JsonNode dim : json.path("dim")) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim.path("size").asLong(-1)));
        }
        return shape.build();
    }

    // ---- rewrites ---------------------------------------------------------------------------------

    static List<NodeDef> convertNode(NodeDef node) {
        return switch (node.getOp()) {
            case "_FusedConv2D" -> NATIVE_FUSIONS.contains(fusedOps(node)) ? List.of(completeFused(node))
                    : splitFused(node, "Conv2D", CONV_ATTRS);
            case "FusedDepthwiseConv2dNative" -> splitFused(node, "DepthwiseConv2dNative", DEPTHWISE_ATTRS);
            case "_FusedMatMul" -> splitFused(node, "MatMul", MATMUL_ATTRS);
            case "Prelu" -> prelu(node.getName(), node.getInput(0), node.getInput(1), node.getAttrOrDefault("T",
                    typeAttr(DataType.DT_FLOAT)), node.getDevice());
            default -> List.of(node);
        };
    }

    private static List<String> fusedOps(NodeDef node) {
        List<String> ops = new ArrayList<>();
        for (ByteString op : node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList()) {
            ops.add(op.toStringUtf8());
        }
        return ops;
    }

    /** Adds the attributes the tfjs converter drops ({@code num_args}, {@code TArgs}) so TensorFlow's kernel runs it. */
    private static NodeDef completeFused(NodeDef fused) {
        int dataInputs = (int) fused.getInputList().stream().filter(i -> !i.startsWith("^")).count();
        int numArgs = dataInputs - 2;
        AttrValue type = fused.getAttrOrDefault("T", typeAttr(DataType.DT_FLOAT));
        AttrValue.ListValue.Builder targs = AttrValue.ListValue.newBuilder();
        for (int i = 0; i < numArgs; i++) {
            targs.addType(type.getType());
        }
        NodeDef.Builder node = fused.toBuilder()
                .putAttr("num_args", AttrValue.newBuilder().setI(numArgs).build())
                .putAttr("TArgs", AttrValue.newBuilder().setList(targs).build());
        if (!fused.containsAttr("num_host_args")) {
            node.putAttr("num_host_args", AttrValue.newBuilder().setI(0).build());
        }
        return node.build();
    }

    private static List<NodeDef> splitFused(NodeDef fused, String baseOp, Set<String> baseAttrs) {
        List<String> dataInputs = new ArrayList<>();
        List<String> controlInputs = new ArrayList<>();
        for (String input : fused.getInputList()) {
            (input.startsWith("^") ? controlInputs : dataInputs).add(input);
        }
        List<String> fusedOps = new ArrayList<>();
        for (ByteString op : fused.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList()) {
            fusedOps.add(op.toStringUtf8());
        }
        AttrValue type = fused.getAttrOrDefault("T", typeAttr(DataType.DT_FLOAT));
        String name = fused.getName();
        List<NodeDef> out = new ArrayList<>();

        NodeDef.Builder base = NodeDef.newBuilder().setOp(baseOp).setDevice(fused.getDevice())
                .addInput(dataInputs.get(0)).addInput(dataInputs.get(1)).addAllInput(controlInputs);
        fused.getAttrMap().forEach((k, v) -> {
            if (baseAttrs.contains(k)) {
                base.putAttr(k, v);
            }
        });
        base.putAttr("T", type);

        int extra = 2;
        String current = name + "/" + baseOp;
        if (fusedOps.isEmpty()) {
            out.add(base.setName(name).build());
            return out;
        }
        out.add(base.setName(current).build());
        for (int i = 0; i < fusedOps.size(); i++) {
            String op = fusedOps.get(i);
            boolean last = i == fusedOps.size() - 1;
            String outName = last ? name : name + "/" + op;
            switch (op) {
                case "BiasAdd" -> {
                    out.add(NodeDef.newBuilder().setName(outName).setOp("BiasAdd").setDevice(fused.getDevice())
                            .addInput(current).addInput(dataInputs.get(extra++))
                            .putAttr("T", type).build());
                }
                case "Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "Selu" -> out.add(NodeDef.newBuilder()
                        .setName(outName).setOp(op).setDevice(fused.getDevice()).addInput(current)
                        .putAttr("T", type).build());
                case "LeakyRelu" -> out.add(NodeDef.newBuilder().setName(outName).setOp("LeakyRelu")
                        .setDevice(fused.getDevice()).addInput(current).putAttr("T", type)
                        .putAttr("alpha", AttrValue.newBuilder().setF(
                                fused.getAttrOrDefault("leakyrelu_alpha", AttrValue.newBuilder().setF(0.2f).build())
                                        .getF()).build())
                        .build());
                case "Prelu" -> out.addAll(prelu(outName, current, dataInputs.get(extra++), type, fused.getDevice()));
                default -> throw new IllegalArgumentException(
                        "Unsupported fused op " + op + " in " + fused.getOp() + " node " + name);
            }
            current = outName;
        }
        return out;
    }

    /** prelu(x) = relu(x) - alpha * relu(-x): the same function from ops TensorFlow has. */
    private static List<NodeDef> prelu(String name, String x, String alpha, AttrValue type, String device) {
        String pos = name + "/prelu_pos";
        String neg = name + "/prelu_neg";
        String negRelu = name + "/prelu_neg_relu";
        String scaled = name + "/prelu_scaled";
        return List.of(
                NodeDef.newBuilder().setName(pos).setOp("Relu").setDevice(device).addInput(x).putAttr("T", type).build(),
                NodeDef.newBuilder().setName(neg).setOp("Neg").setDevice(device).addInput(x).putAttr("T", type).build(),
                NodeDef.newBuilder().setName(negRelu).setOp("Relu").setDevice(device).addInput(neg).putAttr("T", type)
                        .build(),
                NodeDef.newBuilder().setName(scaled).setOp("Mul").setDevice(device).addInput(alpha).addInput(negRelu)
                        .putAttr("T", type).build(),
                NodeDef.newBuilder().setName(name).setOp("Sub").setDevice(device).addInput(pos).addInput(scaled)
                        .putAttr("T", type).build());
    }

    private static AttrValue typeAttr(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    // ---- weights ----------------------------------------------------------------------------------

    static Map<String, TensorProto> readWeights(Path dir, JsonNode manifest) throws IOException {
        return readWeights(dir, manifest, TfjsGraphConverter::readShardFile);
    }

    /** Reads one weight shard, given its path as the manifest names it (resolved against the model's directory). */
    @FunctionalInterface
    interface ShardReader {
        byte[] read(Path shard) throws IOException;
    }

    /** The weights of a manifest, widened to float32 where quantized, with shards read by {@code reader}. */
    static Map<String, TensorProto> readWeights(Path dir, JsonNode manifest, ShardReader reader) throws IOException {
        Map<String, TensorProto> weights = new HashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer data = readShards(dir, group.path("paths"), reader);
            for (JsonNode spec : group.path("weights")) {
                String name = spec.path("name").asText();
                TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
                long count = 1;
                for (JsonNode dim : spec.path("shape")) {
                    shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim.asLong()));
                    count *= dim.asLong();
                }
                String dtype = spec.path("dtype").asText();
                JsonNode quantization = spec.get("quantization");
                String storedType = quantization != null ? quantization.path("dtype").asText() : dtype;
                ByteBuffer content = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
                DataType tfType;
                switch (dtype) {
                    case "float32" -> {
                        tfType = DataType.DT_FLOAT;
                        for (long i = 0; i < count; i++) {
                            content.putFloat(readFloat(data, storedType, quantization));
                        }
                    }
                    case "int32" -> {
                        tfType = DataType.DT_INT32;
                        for (long i = 0; i < count; i++) {
                            content.putInt(storedType.equals("int32") ? data.getInt()
                                    : Math.round(readFloat(data, storedType, quantization)));
                        }
                    }
                    case "bool" -> {
                        tfType = DataType.DT_BOOL;
                        content = ByteBuffer.allocate((int) count);
                        for (long i = 0; i < count; i++) {
                            content.put(data.get());
                        }
                    }
                    default -> throw new IOException("Unsupported weight dtype " + dtype + " for " + name);
                }
                content.flip();
                weights.put(name, TensorProto.newBuilder()
                        .setDtype(tfType)
                        .setTensorShape(shape)
                        .setTensorContent(ByteString.copyFrom(content))
                        .build());
            }
            if (data.hasRemaining()) {
                throw new IOException("Weight shards in " + dir + " hold " + data.remaining()
                        + " bytes more than the manifest lists");
            }
        }
        return weights;
    }

    private static float readFloat(ByteBuffer data, String storedType, JsonNode quantization) {
        return switch (storedType) {
            case "float32" -> data.getFloat();
            case "float16" -> halfToFloat(data.getShort());
            case "uint8" -> (data.get() & 0xff) * (float) quantization.path("scale").asDouble()
                    + (float) quantization.path("min").asDouble();
            case "uint16" -> (data.getShort() & 0xffff) * (float) quantization.path("scale").asDouble()
                    + (float) quantization.path("min").asDouble();
            default -> throw new IllegalArgumentException("Unsupported quantization " + storedType);
        };
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa / 1024f / 16384f; // subnormal: mantissa * 2^-24
            return sign != 0 ? -value : value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static byte[] readShardFile(Path shard) throws IOException {
        if (!Files.isRegularFile(shard)) {
            throw new ModelNotFoundException(shard);
        }
        try (InputStream in = Files.newInputStream(shard)) {
            return in.readAllBytes();
        }
    }

    private static ByteBuffer readShards(Path dir, JsonNode paths, ShardReader reader) throws IOException {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (JsonNode p : paths) {
            Path shard = dir.resolve(p.asText()).normalize();
            if (!shard.startsWith(dir.normalize())) {
                throw new ModelNotFoundException(shard);
            }
            byte[] bytes = reader.read(shard);
            parts.add(bytes);
            total += bytes.length;
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        parts.forEach(all::put);
        return all.flip();
    }
}
