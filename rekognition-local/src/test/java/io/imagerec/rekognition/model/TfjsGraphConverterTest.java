package io.imagerec.rekognition.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.tensorflow.proto.NodeDef;

/**
 * The converter on small graphs written here in the tfjs format, run for real on TensorFlow, so
 * every rewrite is checked by the numbers it computes.
 */
class TfjsGraphConverterTest {

    @TempDir
    Path dir;

    @Test
    void halfPrecisionValuesWiden() {
        assertEquals(1.0f, TfjsGraphConverter.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, TfjsGraphConverter.halfToFloat((short) 0xC000));
        assertEquals(0.5f, TfjsGraphConverter.halfToFloat((short) 0x3800));
        assertEquals(65504f, TfjsGraphConverter.halfToFloat((short) 0x7BFF));
        assertEquals(5.9604645E-8f, TfjsGraphConverter.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, TfjsGraphConverter.halfToFloat((short) 0x7C00));
    }

    /**
     * x (1x1x1x2) -> _FusedConv2D(1x1 kernel, BiasAdd, Prelu) with float16 weights.
     * kernel [[1, 0], [0, -1]] maps (a, b) to (a, -b); bias (0.5, 0.5); prelu alpha 0.25.
     */
    @Test
    void fusedConvolutionWithPreluAndHalfWeightsComputesTheSameFunction() throws Exception {
        String model = """
            {"format": "graph-model", "modelTopology": {"node": [
              {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                "shape": {"shape": {"dim": [{"size": "1"}, {"size": "1"}, {"size": "1"}, {"size": "2"}]}}}},
              {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT",
                "tensorShape": {"dim": [{"size": "1"}, {"size": "1"}, {"size": "2"}, {"size": "2"}]}}}}},
              {"name": "b", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT",
                "tensorShape": {"dim": [{"size": "2"}]}}}}},
              {"name": "alpha", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT",
                "tensorShape": {"dim": [{"size": "2"}]}}}}},
              {"name": "y", "op": "_FusedConv2D", "input": ["x", "w", "b", "alpha"], "attr": {
                "T": {"type": "DT_FLOAT"}, "strides": {"list": {"i": ["1", "1", "1", "1"]}},
                "padding": {"s": "VkFMSUQ="}, "data_format": {"s": "TkhXQw=="},
                "dilations": {"list": {"i": ["1", "1", "1", "1"]}},
                "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UHJlbHU="]}}, "epsilon": {"f": 0}}}
            ]}, "weightsManifest": [{"paths": ["w.bin"], "weights": [
              {"name": "w", "shape": [1, 1, 2, 2], "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}},
              {"name": "b", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16", "original_dtype": "float32"}},
              {"name": "alpha", "shape": [2], "dtype": "float32"}
            ]}]}
            """;
        ByteBuffer weights = ByteBuffer.allocate(4 * 2 + 2 * 2 + 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        weights.putShort((short) 0x3C00).putShort((short) 0).putShort((short) 0).putShort((short) 0xBC00);
        weights.putShort((short) 0x3800).putShort((short) 0x3800);
        weights.putFloat(0.25f).putFloat(0.25f);
        Files.writeString(dir.resolve("m.json"), model);
        Files.write(dir.resolve("w.bin"), weights.array());

        try (TfjsGraphModel m = TfjsGraphModel.load(dir.resolve("m.json"), 1)) {
            // (2, 3) -> conv (2, -3) -> bias (2.5, -2.5) -> prelu (2.5, -0.625)
            float[] y = m.run("x", new long[] {1, 1, 1, 2}, new float[] {2f, 3f}, "y")[0];
            assertArrayEquals(new float[] {2.5f, -0.625f}, y, 1e-6f);
        }
    }

    @Test
    void fusedOpsAreSplitIntoPlainOps() {
        NodeDef fused = NodeDef.newBuilder().setName("c").setOp("FusedDepthwiseConv2dNative")
                .addInput("x").addInput("w").addInput("b")
                .putAttr("fused_ops", org.tensorflow.proto.AttrValue.newBuilder().setList(
                        org.tensorflow.proto.AttrValue.ListValue.newBuilder()
                                .addS(com.google.protobuf.ByteString.copyFromUtf8("BiasAdd"))
                                .addS(com.google.protobuf.ByteString.copyFromUtf8("Relu6"))).build())
                .build();
        List<NodeDef> nodes = TfjsGraphConverter.convertNode(fused);
        assertEquals(List.of("DepthwiseConv2dNative", "BiasAdd", "Relu6"), nodes.stream().map(NodeDef::getOp).toList());
        assertEquals("c", nodes.get(2).getName(), "the last node keeps the fused node's name");
        assertEquals(List.of("c/BiasAdd"), nodes.get(2).getInputList());
    }

    @Test
    void missingShardNamesTheInstallCommand() throws Exception {
        Files.writeString(dir.resolve("m.json"), """
            {"format": "graph-model", "modelTopology": {"node": []},
             "weightsManifest": [{"paths": ["gone.bin"], "weights": []}]}
            """);
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> TfjsGraphModel.load(dir.resolve("m.json"), 1));
        assertEquals(true, e.getMessage().contains("npm ci"), e.getMessage());
        assertThrows(ModelNotFoundException.class, () -> TfjsGraphModel.load(dir.resolve("absent.json"), 1));
    }
}
