package dev.tinysim.inference;

import dev.tinysim.reference.InferenceResult;
import dev.tinysim.reference.InputGenerator;
import dev.tinysim.reference.MacCounter;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 16x8 model end to end: a small float network (CONV_2D, TRANSPOSE_CONV, MAX_POOL_2D, DEPTHWISE_CONV_2D,
 * AVERAGE_POOL_2D, RESHAPE, BATCH_MATMUL, FULLY_CONNECTED) is built with ModelBuilder, calibrated on the
 * reference, and written again in TFLite's 16x8 form (float input QUANTIZEd to int16, int8 per-channel
 * weights, int64 biases, int16 activations with zero point 0, DEQUANTIZEd output) — the quantizer of
 * dev.tinysim.quantize does not make 16x8 models yet. The firmware runs it in both builds with both kernel sets
 * and gives the reference's bytes; its MACs are the reference's; and its output follows the float model's.
 */
class Int16ModelTest {

    private static final int[] IN = {1, 8, 8, 2};

    /** Float weights and the network's layout; {@link #build} writes it as float32 or as 16x8. */
    private record Net(float[] convW, float[] convB, float[] tconvW, float[] tconvB, float[] dwW, float[] dwB,
                       float[] rhs, float[] fcW, float[] fcB) {

        static Net random(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            return new Net(values(r, 4 * 3 * 3 * 2, 0.5f), values(r, 4, 0.2f), values(r, 3 * 3 * 3 * 4, 0.4f),
                    values(r, 3, 0.1f), values(r, 3 * 3 * 6, 0.5f), values(r, 6, 0.1f), values(r, 24 * 10, 0.3f),
                    values(r, 5 * 10, 0.4f), values(r, 5, 0.1f));
        }

        private static float[] values(SplittableRandom r, int n, float range) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) ((r.nextDouble() * 2 - 1) * range);
            }
            return v;
        }
    }

    /** The activation tensors, in network order (their names index the calibrated scales). */
    private static final String[] ACTS = {"x", "conv", "tconv", "maxpool", "dw", "avgpool", "flat", "bmm", "fc"};
    private static final int[][] SHAPES = {IN, {1, 8, 8, 4}, {1, 16, 16, 3}, {1, 8, 8, 3}, {1, 8, 8, 6},
            {1, 2, 2, 6}, {1, 24}, {1, 10}, {1, 5}};

    /** Writes the network; {@code scales == null}: float32, else 16x8 with these activation scales. */
    private static TfliteModel build(Net n, Map<String, Float> scales) {
        ModelBuilder b = new ModelBuilder();
        boolean q = scales != null;
        Map<String, Integer> t = new HashMap<>();
        int input = b.addTensor("input", TensorType.FLOAT32, IN);
        for (int i = 0; i < ACTS.length; i++) {
            t.put(ACTS[i], q ? b.addTensor(ACTS[i], TensorType.INT16, SHAPES[i], Quantization.perTensor(scales.get(ACTS[i]), 0))
                    : i == 0 ? input : b.addTensor(ACTS[i], TensorType.FLOAT32, SHAPES[i]));
        }
        if (q) {
            b.addOperator(BuiltinOperator.QUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.QUANTIZE),
                    new int[] {input}, new int[] {t.get("x")});
        }
        Weights convW = weights(b, q, "conv_w", new int[] {4, 3, 3, 2}, n.convW(), 4, 0);
        int convB = bias(b, q, "conv_b", n.convB(), scales, "x", convW);
        b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, ActivationFunction.RELU),
                new int[] {t.get("x"), convW.tensor(), convB}, new int[] {t.get("conv")});
        int shape = b.addInt32Constant("tconv_shape", new int[] {4}, Quantization.NONE, 1, 16, 16, 3);
        Weights tconvW = weights(b, q, "tconv_w", new int[] {3, 3, 3, 4}, n.tconvW(), 3, 0);
        int tconvB = bias(b, q, "tconv_b", n.tconvB(), scales, "conv", tconvW);
        b.addOperator(BuiltinOperator.TRANSPOSE_CONV, new BuiltinOptions.TransposeConv(Padding.SAME, 2, 2),
                new int[] {shape, tconvW.tensor(), t.get("conv"), tconvB}, new int[] {t.get("tconv")});
        b.addOperator(BuiltinOperator.MAX_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2,
                ActivationFunction.NONE), new int[] {t.get("tconv")}, new int[] {t.get("maxpool")});
        Weights dwW = weights(b, q, "dw_w", new int[] {1, 3, 3, 6}, n.dwW(), 6, 3);
        int dwB = bias(b, q, "dw_b", n.dwB(), scales, "maxpool", dwW);
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D, new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 2,
                ActivationFunction.RELU6, 1, 1), new int[] {t.get("maxpool"), dwW.tensor(), dwB}, new int[] {t.get("dw")});
        b.addOperator(BuiltinOperator.AVERAGE_POOL_2D, new BuiltinOptions.Pool2D(Padding.VALID, 4, 4, 4, 4,
                ActivationFunction.NONE), new int[] {t.get("dw")}, new int[] {t.get("avgpool")});
        b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(1, 24)), new int[] {t.get("avgpool")},
                new int[] {t.get("flat")});
        int rhs;
        if (q) {
            float s = maxAbs(n.rhs()) / 32767f;
            short[] v = new short[n.rhs().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = (short) Math.round(n.rhs()[i] / s);
            }
            rhs = b.addInt16Constant("rhs", new int[] {24, 10}, Quantization.perTensor(s, 0), v);
        } else {
            rhs = b.addFloatConstant("rhs", new int[] {24, 10}, n.rhs());
        }
        b.addOperator(BuiltinOperator.BATCH_MATMUL, new BuiltinOptions.BatchMatMul(false, false),
                new int[] {t.get("flat"), rhs}, new int[] {t.get("bmm")});
        Weights fcW = weights(b, q, "fc_w", new int[] {5, 10}, n.fcW(), 1, 0);
        int fcB = bias(b, q, "fc_b", n.fcB(), scales, "bmm", fcW);
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {t.get("bmm"), fcW.tensor(), fcB}, new int[] {t.get("fc")});
        int output = t.get("fc");
        if (q) {
            output = b.addTensor("output", TensorType.FLOAT32, new int[] {1, 5});
            b.addOperator(BuiltinOperator.DEQUANTIZE, new BuiltinOptions.NoFields(BuiltinOptions.DEQUANTIZE),
                    new int[] {t.get("fc")}, new int[] {output});
        }
        try {
            return TfliteReader.read(b.inputs(input).outputs(output).toBytes(), q ? "net16x8.tflite" : "net.tflite");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static float maxAbs(float[] v) {
        float m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** A weight tensor and its per-channel scales (empty for float weights). */
    private record Weights(int tensor, float[] scales) {
    }

    /** Weights: float, or int8 symmetric with one scale per channel along {@code dim} (per-tensor when 1). */
    private static Weights weights(ModelBuilder b, boolean q, String name, int[] shape, float[] w, int channels, int dim) {
        if (!q) {
            return new Weights(b.addFloatConstant(name, shape, w), new float[0]);
        }
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        float[] max = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            max[c] = Math.max(max[c], Math.abs(w[i]));
        }
        List<Float> scales = new ArrayList<>();
        for (float m : max) {
            scales.add(m / 127f);
        }
        byte[] v = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            v[i] = (byte) Math.round(w[i] / scales.get((i / inner) % channels));
        }
        int tensor = b.addInt8Constant(name, shape,
                channels > 1 ? Quantization.perChannel(scales, dim) : Quantization.perTensor(scales.get(0), 0), v);
        float[] s = new float[channels];
        for (int c = 0; c < channels; c++) {
            s[c] = scales.get(c);
        }
        return new Weights(tensor, s);
    }

    /** A bias: float, or int64 at input scale x weight scale of each channel. */
    private static int bias(ModelBuilder b, boolean q, String name, float[] v, Map<String, Float> scales, String input,
                            Weights weights) {
        if (!q) {
            return b.addFloatConstant(name, new int[] {v.length}, v);
        }
        long[] l = new long[v.length];
        for (int c = 0; c < v.length; c++) {
            float ws = weights.scales()[weights.scales().length > 1 ? c : 0];
            l[c] = Math.round((double) v[c] / ((double) scales.get(input) * ws));
        }
        return b.addInt64Constant(name, new int[] {v.length}, Quantization.NONE, l);
    }

    /** Symmetric int16 scales from the largest magnitude each activation reaches over the inputs. */
    private static Map<String, Float> calibrate(TfliteModel f, List<byte[]> inputs) {
        Map<String, Float> max = new HashMap<>();
        for (byte[] in : inputs) {
            InferenceResult r = ReferenceInterpreter.runWithIntermediates(f, List.of(in));
            for (int i = 0; i < f.mainSubgraph().tensors().size(); i++) {
                String name = f.mainSubgraph().tensor(i).name();
                int k = List.of(ACTS).indexOf(name.equals("input") ? "x" : name);
                if (k >= 0 && r.tensors().containsKey(i)) {
                    float[] v = TensorValues.toFloats(f.mainSubgraph().tensor(i), r.tensors().get(i));
                    max.merge(ACTS[k], maxAbs(v), Math::max);
                }
            }
        }
        Map<String, Float> scales = new HashMap<>();
        max.forEach((k, m) -> scales.put(k, m / 32767f));
        // pools and RESHAPE keep their input's quantization
        scales.put("maxpool", scales.get("tconv"));
        scales.put("avgpool", scales.get("dw"));
        scales.put("flat", scales.get("dw"));
        return scales;
    }

    private static float[] floats(byte[] b) {
        float[] f = new float[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    @Test
    void a16x8ModelRunsEndToEndBitExactAndFollowsItsFloatTwin() {
        Net net = Net.random(16);
        TfliteModel floatModel = build(net, null);
        List<byte[]> calibration = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calibration.add(InputGenerator.random(floatModel.mainSubgraph().inputTensor(0), 100 + i));
        }
        TfliteModel model = build(net, calibrate(floatModel, calibration));
        byte[] bytes = dev.tinysim.tflite.TfliteWriter.write(model);
        byte[] input = InputGenerator.random(model.mainSubgraph().inputTensor(0), 7);
        byte[] expected = ReferenceInterpreter.run(model, List.of(input)).get(0);

        // the 16x8 output follows the float model's
        float[] y = floats(ReferenceInterpreter.run(floatModel, List.of(input)).get(0));
        float[] y16 = floats(expected);
        float range = maxAbs(y);
        assertTrue(range > 0.05f, "the float model's output is " + java.util.Arrays.toString(y));
        for (int i = 0; i < y.length; i++) {
            assertTrue(Math.abs(y[i] - y16[i]) <= 0.01f * range, "output " + i + ": float " + y[i] + ", 16x8 " + y16[i]);
        }

        for (boolean fpu : new boolean[] {true, false}) {
            for (Kernels kernels : Kernels.values()) {
                InferenceOptions options = InferenceOptions.of(FirmwareRuns.board(fpu), kernels, 1,
                        new InputSource.Given(List.of(input), "test input"));
                InferenceRunner.Outcome o = InferenceRunner.run(bytes, "net16x8.tflite", options);
                String config = (fpu ? "m4f " : "m4 ") + kernels;
                assertEquals(0, o.exitCode(), config + ": " + o.report().result().message());
                assertArrayEquals(expected, o.outputs().get(0), config);
                for (InferenceReport.Op op : o.report().operators()) {
                    assertEquals(MacCounter.macs(model, op.index()), op.macs(), config + ": MACs of " + op.operator());
                    assertTrue(op.cycles() > 0, config + ": " + op.operator());
                }
            }
        }
    }

    /** 1x1 CONV_2D over 1024 channels of -32768 with weights -128: 1024 products of 2^22, a sum of 2^32. */
    private static byte[] wideSum(TensorType biasType) {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.INT16, new int[] {1, 1, 1, 1024}, Quantization.perTensor(1f, 0));
        byte[] w = new byte[1024];
        java.util.Arrays.fill(w, (byte) -128);
        int wt = b.addInt8Constant("w", new int[] {1, 1, 1, 1024}, Quantization.perTensor(1f, 0), w);
        int bias = biasType == null ? -1 : biasType == TensorType.INT64
                ? b.addInt64Constant("b", new int[] {1}, Quantization.NONE, 0L)
                : b.addInt32Constant("b", new int[] {1}, Quantization.NONE, 0);
        int out = b.addTensor("out", TensorType.INT16, new int[] {1, 1, 1, 1}, Quantization.perTensor(65536f, 0));
        b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, ActivationFunction.NONE),
                new int[] {in, wt, bias}, new int[] {out});
        return b.inputs(in).outputs(out).toBytes();
    }

    @Test
    void conv16x8AccumulatorWrapsInInt32UnlessTheBiasIsInt64OnTheFirmwareToo() {
        byte[] input = new byte[2048];
        for (int i = 0; i < input.length; i += 2) {
            input[i + 1] = (byte) 0x80; // -32768, little-endian
        }
        TensorType[] biases = {null, TensorType.INT32, TensorType.INT64};
        short[] expected = {0, 0, 32767}; // 2^32 wraps to 0 in int32; in int64, 2^32 / 65536 saturates
        for (int k = 0; k < biases.length; k++) {
            for (Kernels kernels : Kernels.values()) {
                InferenceOptions options = InferenceOptions.of(FirmwareRuns.board(true), kernels, 1,
                        new InputSource.Given(List.of(input), "test input"));
                InferenceRunner.Outcome o = InferenceRunner.run(wideSum(biases[k]), "wide.tflite", options);
                assertEquals(0, o.exitCode(), o.report().result().message());
                byte[] r = o.outputs().get(0);
                assertEquals(expected[k], (short) ((r[0] & 0xFF) | (r[1] << 8)), biases[k] + " " + kernels);
            }
        }
    }
}
