package io.imagerec.rekognition.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns a TensorFlow.js <em>layers</em> model (a Keras functional model: {@code modelTopology.model_config}
 * plus a weights manifest) into a TensorFlow {@link GraphDef} for inference, so TensorFlow Java runs it
 * like the graph models {@link TfjsGraphConverter} converts.
 *
 * <p>Each layer becomes the plain TensorFlow ops Keras itself runs in inference mode:
 * <ul>
 *   <li>{@code InputLayer}: a float {@code Placeholder} named after the layer;</li>
 *   <li>{@code Conv2D}: {@code Conv2D} (NHWC, Keras' HWIO kernel as it is), {@code BiasAdd}, activation;</li>
 *   <li>{@code BatchNormalization}: {@code x·s + (β − μ·s)} with {@code s = γ/√(σ² + ε)}; when it directly
 *       follows a linear convolution used nowhere else, {@code s} is folded into the kernel and the shift
 *       becomes the convolution's bias (same arithmetic, one op instead of three);</li>
 *   <li>{@code Activation} and layer activations: {@code relu}, {@code relu6}, {@code sigmoid}, {@code tanh},
 *       {@code softmax}, {@code linear};</li>
 *   <li>{@code MaxPooling2D}, {@code AveragePooling2D} (padding excluded from the average, as Keras and
 *       TensorFlow.js do), {@code GlobalAveragePooling2D}, {@code GlobalMaxPooling2D};</li>
 *   <li>{@code Concatenate}, {@code Add}, {@code Flatten}, {@code Dense}; {@code Dropout} is the identity.</li>
 * </ul>
 * Every other layer type is refused with the layer's name, so an unsupported model fails at start-up.
 * The output of a layer is the node named after the layer.
 */
public final class KerasLayersConverter {

    private static final AttrValue FLOAT = AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
    private static final AttrValue INT32 = AttrValue.newBuilder().setType(DataType.DT_INT32).build();

    private final Map<String, TensorProto> weights;
    private final GraphDef.Builder graph = GraphDef.newBuilder();
    /** Layer name to the name of the node that holds its output. */
    private final Map<String, String> outputs = new HashMap<>();
    /** How many layers read each layer's output. */
    private final Map<String, Integer> consumers = new HashMap<>();
    /** Convolutions whose output is not yet emitted: the BatchNormalization after them may fold into them. */
    private final Map<String, PendingConv> pending = new HashMap<>();

    private KerasLayersConverter(Map<String, TensorProto> weights) {
        this.weights = weights;
    }

    /**
     * Converts a model.json already read (its {@code modelTopology} and {@code weightsManifest}).
     *
     * @param dir the model's directory, against which the manifest's shard paths are resolved
     * @param shards reads one shard's bytes
     */
    public static GraphDef convert(JsonNode modelJson, java.nio.file.Path dir, TfjsGraphConverter.ShardReader shards)
            throws IOException {
        JsonNode config = modelJson.path("modelTopology").path("model_config");
        if (!config.path("class_name").asText().matches("Model|Functional")) {
            throw new IOException("Not a Keras functional model: " + config.path("class_name").asText());
        }
        Map<String, TensorProto> weights = TfjsGraphConverter.readWeights(dir, modelJson.path("weightsManifest"), shards);
        KerasLayersConverter converter = new KerasLayersConverter(weights);
        JsonNode layers = config.path("config").path("layers");
        for (JsonNode layer : layers) {
            for (String input : inputs(layer)) {
                converter.consumers.merge(input, 1, Integer::sum);
            }
        }
        for (JsonNode layer : layers) {
            converter.add(layer);
        }
        for (JsonNode output : config.path("config").path("output_layers")) {
            converter.flush(output.get(0).asText());
        }
        return converter.graph.build();
    }

    private static List<String> inputs(JsonNode layer) {
        List<String> names = new ArrayList<>();
        JsonNode nodes = layer.path("inbound_nodes");
        if (nodes.size() > 1) {
            throw new IllegalArgumentException("Layer " + layer.path("name").asText() + " is shared; not supported");
        }
        for (JsonNode node : nodes) {
            for (JsonNode in : node) {
                if (in.get(2).asInt() != 0) {
                    throw new IllegalArgumentException("Layer " + layer.path("name").asText()
                            + " reads a second output of " + in.get(0).asText() + "; not supported");
                }
                names.add(in.get(0).asText());
            }
        }
        return names;
    }

    private void add(JsonNode layer) {
        String name = layer.path("name").asText();
        String type = layer.path("class_name").asText();
        JsonNode c = layer.path("config");
        List<String> in = new ArrayList<>();
        for (String input : inputs(layer)) {
            if (!(type.equals("BatchNormalization") && pending.containsKey(input))) {
                flush(input);
            }
            in.add(input);
        }
        switch (type) {
            case "InputLayer" -> {
                TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
                for (JsonNode d : c.path("batch_input_shape")) {
                    shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d.isNull() ? -1 : d.asLong()));
                }
                graph.addNode(NodeDef.newBuilder().setName(name).setOp("Placeholder")
                        .putAttr("dtype", FLOAT).putAttr("shape", AttrValue.newBuilder().setShape(shape).build()));
                outputs.put(name, name);
            }
            case "Conv2D" -> {
                checkChannelsLast(name, c);
                TensorProto kernel = weight(name + "/kernel");
                float[] bias = c.path("use_bias").asBoolean(true) ? floats(weight(name + "/bias")) : null;
                pending.put(name, new PendingConv(outputOf(in.get(0)), floats(kernel), dims(kernel), bias,
                        ints(c.path("strides")), c.path("padding").asText(), ints(c.path("dilation_rate")),
                        c.path("activation").asText("linear")));
                if (!c.path("activation").asText("linear").equals("linear") || consumers.getOrDefault(name, 0) != 1) {
                    flush(name);
                }
            }
            case "BatchNormalization" -> {
                int axis = c.path("axis").isArray() ? c.path("axis").get(0).asInt() : c.path("axis").asInt(-1);
                if (axis != -1 && axis != 3) {
                    throw new IllegalArgumentException("BatchNormalization " + name + " on axis " + axis);
                }
                float[] mean = floats(weight(name + "/moving_mean"));
                float[] variance = floats(weight(name + "/moving_variance"));
                float[] gamma = c.path("scale").asBoolean(true) ? floats(weight(name + "/gamma")) : null;
                float[] beta = c.path("center").asBoolean(true) ? floats(weight(name + "/beta")) : null;
                double epsilon = c.path("epsilon").asDouble(1e-3);
                float[] scale = new float[mean.length];
                float[] shift = new float[mean.length];
                for (int i = 0; i < mean.length; i++) {
                    scale[i] = (float) ((gamma == null ? 1 : gamma[i]) / Math.sqrt(variance[i] + epsilon));
                    shift[i] = (beta == null ? 0 : beta[i]) - mean[i] * scale[i];
                }
                PendingConv conv = pending.remove(in.get(0));
                if (conv != null) {
                    float[] kernel = conv.kernel.clone();
                    int out = scale.length;
                    for (int i = 0; i < kernel.length; i++) {
                        kernel[i] *= scale[i % out];
                    }
                    float[] bias = shift.clone();
                    if (conv.bias != null) {
                        for (int i = 0; i < out; i++) {
                            bias[i] += conv.bias[i] * scale[i];
                        }
                    }
                    emitConv(name, new PendingConv(conv.input, kernel, conv.kernelShape, bias, conv.strides,
                            conv.padding, conv.dilations, "linear"));
                } else {
                    String x = outputOf(in.get(0));
                    String mul = binary(name + "/mul", "Mul", x, constant(name + "/scale", scale, scale.length));
                    binary(name, "AddV2", mul, constant(name + "/shift", shift, shift.length));
                    outputs.put(name, name);
                }
            }
            case "Activation" -> outputs.put(name, activation(name, outputOf(in.get(0)), c.path("activation").asText()));
            case "MaxPooling2D", "AveragePooling2D" -> {
                checkChannelsLast(name, c);
                int[] pool = ints(c.path("pool_size"));
                int[] strides = c.path("strides").isNull() ? pool : ints(c.path("strides"));
                graph.addNode(NodeDef.newBuilder().setName(name).setOp(type.startsWith("Max") ? "MaxPool" : "AvgPool")
                        .addInput(outputOf(in.get(0))).putAttr("T", FLOAT)
                        .putAttr("ksize", list(1, pool[0], pool[1], 1)).putAttr("strides", list(1, strides[0], strides[1], 1))
                        .putAttr("padding", string(c.path("padding").asText().toUpperCase()))
                        .putAttr("data_format", string("NHWC")));
                outputs.put(name, name);
            }
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                checkChannelsLast(name, c);
                String axes = intConstant(name + "/axes", new int[] {1, 2});
                graph.addNode(NodeDef.newBuilder().setName(name).setOp(type.contains("Average") ? "Mean" : "Max")
                        .addInput(outputOf(in.get(0))).addInput(axes).putAttr("T", FLOAT).putAttr("Tidx", INT32)
                        .putAttr("keep_dims", AttrValue.newBuilder().setB(false).build()));
                outputs.put(name, name);
            }
            case "Concatenate" -> {
                int axis = c.path("axis").asInt(-1);
                NodeDef.Builder concat = NodeDef.newBuilder().setName(name).setOp("ConcatV2");
                in.forEach(i -> concat.addInput(outputOf(i)));
                concat.addInput(intConstant(name + "/axis", new int[] {axis}, true))
                        .putAttr("T", FLOAT).putAttr("Tidx", INT32)
                        .putAttr("N", AttrValue.newBuilder().setI(in.size()).build());
                graph.addNode(concat);
                outputs.put(name, name);
            }
            case "Add" -> {
                String sum = outputOf(in.get(0));
                for (int i = 1; i < in.size(); i++) {
                    sum = binary(i == in.size() - 1 ? name : name + "/add" + i, "AddV2", sum, outputOf(in.get(i)));
                }
                outputs.put(name, sum);
            }
            case "Flatten" -> {
                // [batch, -1]: the batch taken from the input's shape, the rest flattened.
                String shapeOf = name + "/input_shape";
                graph.addNode(NodeDef.newBuilder().setName(shapeOf).setOp("Shape").addInput(outputOf(in.get(0)))
                        .putAttr("T", FLOAT).putAttr("out_type", INT32));
                graph.addNode(NodeDef.newBuilder().setName(name + "/batch").setOp("StridedSlice").addInput(shapeOf)
                        .addInput(intConstant(name + "/begin", new int[] {0}))
                        .addInput(intConstant(name + "/end", new int[] {1}))
                        .addInput(intConstant(name + "/stride", new int[] {1}))
                        .putAttr("T", INT32).putAttr("Index", INT32));
                graph.addNode(NodeDef.newBuilder().setName(name + "/new_shape").setOp("ConcatV2")
                        .addInput(name + "/batch").addInput(intConstant(name + "/rest", new int[] {-1}))
                        .addInput(intConstant(name + "/concat_axis", new int[] {0}, true))
                        .putAttr("T", INT32).putAttr("Tidx", INT32).putAttr("N", AttrValue.newBuilder().setI(2).build()));
                graph.addNode(NodeDef.newBuilder().setName(name).setOp("Reshape").addInput(outputOf(in.get(0)))
                        .addInput(name + "/new_shape").putAttr("T", FLOAT).putAttr("Tshape", INT32));
                outputs.put(name, name);
            }
            case "Dense" -> {
                TensorProto kernel = weight(name + "/kernel");
                graph.addNode(NodeDef.newBuilder().setName(name + "/matmul").setOp("MatMul")
                        .addInput(outputOf(in.get(0))).addInput(constant(name + "/kernel", kernel)).putAttr("T", FLOAT)
                        .putAttr("transpose_a", AttrValue.newBuilder().setB(false).build())
                        .putAttr("transpose_b", AttrValue.newBuilder().setB(false).build()));
                String x = name + "/matmul";
                if (c.path("use_bias").asBoolean(true)) {
                    x = biasAdd(name + "/bias_add", x, constant(name + "/bias", weight(name + "/bias")));
                }
                outputs.put(name, activation(name, x, c.path("activation").asText("linear")));
            }
            case "Dropout" -> outputs.put(name, outputOf(in.get(0)));
            default -> throw new IllegalArgumentException("Layer type " + type + " (" + name + ") is not supported");
        }
    }

    private String outputOf(String layer) {
        String node = outputs.get(layer);
        if (node == null) {
            throw new IllegalArgumentException("Layer " + layer + " is used before it is defined");
        }
        return node;
    }

    /** Emits a convolution still held back for a BatchNormalization that did not come. */
    private void flush(String layer) {
        PendingConv conv = pending.remove(layer);
        if (conv != null) {
            emitConv(layer, conv);
        }
    }

    private void emitConv(String name, PendingConv conv) {
        TensorProto kernel = tensor(conv.kernel, conv.kernelShape);
        String convName = name + "/conv";
        graph.addNode(NodeDef.newBuilder().setName(convName).setOp("Conv2D")
                .addInput(conv.input).addInput(constant(name + "/kernel", kernel)).putAttr("T", FLOAT)
                .putAttr("strides", list(1, conv.strides[0], conv.strides[1], 1))
                .putAttr("dilations", list(1, conv.dilations[0], conv.dilations[1], 1))
                .putAttr("padding", string(conv.padding.toUpperCase()))
                .putAttr("data_format", string("NHWC"))
                .putAttr("use_cudnn_on_gpu", AttrValue.newBuilder().setB(true).build()));
        String x = convName;
        if (conv.bias != null) {
            x = biasAdd(name + "/bias_add", x, constant(name + "/bias", conv.bias, conv.bias.length));
        }
        outputs.put(name, activation(name, x, conv.activation));
    }

    private String activation(String name, String x, String activation) {
        String op = switch (activation) {
            case "linear" -> null;
            case "relu" -> "Relu";
            case "relu6" -> "Relu6";
            case "sigmoid" -> "Sigmoid";
            case "tanh" -> "Tanh";
            case "softmax" -> "Softmax";
            default -> throw new IllegalArgumentException("Activation " + activation + " (" + name + ") is not supported");
        };
        if (op == null) {
            graph.addNode(NodeDef.newBuilder().setName(name).setOp("Identity").addInput(x).putAttr("T", FLOAT));
        } else {
            graph.addNode(NodeDef.newBuilder().setName(name).setOp(op).addInput(x).putAttr("T", FLOAT));
        }
        return name;
    }

    private String biasAdd(String name, String x, String bias) {
        graph.addNode(NodeDef.newBuilder().setName(name).setOp("BiasAdd").addInput(x).addInput(bias)
                .putAttr("T", FLOAT).putAttr("data_format", string("NHWC")));
        return name;
    }

    private String binary(String name, String op, String a, String b) {
        graph.addNode(NodeDef.newBuilder().setName(name).setOp(op).addInput(a).addInput(b).putAttr("T", FLOAT));
        return name;
    }

    private TensorProto weight(String name) {
        TensorProto w = weights.get(name);
        if (w == null) {
            throw new IllegalArgumentException("The weights manifest has no " + name);
        }
        return w;
    }

    private String constant(String name, TensorProto value) {
        graph.addNode(NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", AttrValue.newBuilder()
                .setType(value.getDtype()).build()).putAttr("value", AttrValue.newBuilder().setTensor(value).build()));
        return name;
    }

    private String constant(String name, float[] values, long... shape) {
        return constant(name, tensor(values, shape));
    }

    private String intConstant(String name, int[] values) {
        return intConstant(name, values, false);
    }

    private String intConstant(String name, int[] values, boolean scalar) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (!scalar) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length));
        }
        t.setTensorShape(shape);
        for (int v : values) {
            t.addIntVal(v);
        }
        return constant(name, t.build());
    }

    static TensorProto tensor(float[] values, long... shape) {
        ByteBuffer content = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        content.asFloatBuffer().put(values);
        TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(dims)
                .setTensorContent(ByteString.copyFrom(content)).build();
    }

    static float[] floats(TensorProto t) {
        if (t.getDtype() != DataType.DT_FLOAT) {
            throw new IllegalArgumentException("not a float tensor");
        }
        ByteBuffer content = t.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[content.remaining() / 4];
        content.asFloatBuffer().get(values);
        return values;
    }

    private static long[] dims(TensorProto t) {
        return t.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }

    private static void checkChannelsLast(String name, JsonNode config) {
        String format = config.path("data_format").asText("channels_last");
        if (!format.equals("channels_last")) {
            throw new IllegalArgumentException("Layer " + name + " is " + format + "; only channels_last is supported");
        }
    }

    private static AttrValue list(long... values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        for (long v : values) {
            list.addI(v);
        }
        return AttrValue.newBuilder().setList(list).build();
    }

    private static AttrValue string(String value) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
    }

    private record PendingConv(String input, float[] kernel, long[] kernelShape, float[] bias, int[] strides,
            String padding, int[] dilations, String activation) {
    }
}
