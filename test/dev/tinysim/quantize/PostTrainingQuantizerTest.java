package dev.tinysim.quantize;

import dev.tinysim.tflite.Models;
import dev.tinysim.reference.ReferenceInterpreter;
import dev.tinysim.reference.TensorValues;
import dev.tinysim.tflite.ActivationFunction;
import dev.tinysim.tflite.BuiltinOperator;
import dev.tinysim.tflite.BuiltinOptions;
import dev.tinysim.tflite.ModelBuilder;
import dev.tinysim.tflite.Operator;
import dev.tinysim.tflite.Padding;
import dev.tinysim.tflite.Quantization;
import dev.tinysim.tflite.Subgraph;
import dev.tinysim.tflite.Tensor;
import dev.tinysim.tflite.TensorType;
import dev.tinysim.tflite.TfliteModel;
import dev.tinysim.tflite.TfliteReader;
import dev.tinysim.tflite.TfliteWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quantizer on a float model that uses every operator it supports. */
class PostTrainingQuantizerTest {

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /**
     * in [1,4,4,2] -> CONV_2D 3x3 RELU -> DEPTHWISE 3x3 -> ADD(conv, dw) -> MUL(., const) -> CONCATENATION(mul, conv)
     * -> PAD -> AVERAGE_POOL 2x2 -> RELU6 -> MAX_POOL 3x3 -> RESHAPE -> FULLY_CONNECTED -> RELU -> SOFTMAX (output 0);
     * RELU6 -> MEAN -> LOGISTIC (output 1).
     */
    static TfliteModel everyOperator() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        ModelBuilder b = new ModelBuilder().description("every operator");
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 4, 4, 2});
        int cw = b.addFloatConstant("conv/w", new int[] {4, 3, 3, 2}, random(r, 72, 0.5));
        int cb = b.addFloatConstant("conv/b", new int[] {4}, random(r, 4, 0.2));
        int c = b.addTensor("conv", TensorType.FLOAT32, new int[] {1, 4, 4, 4});
        b.addOperator(BuiltinOperator.CONV_2D, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, ActivationFunction.RELU),
                new int[] {in, cw, cb}, new int[] {c});
        int dw = b.addFloatConstant("dw/w", new int[] {1, 3, 3, 4}, random(r, 36, 0.5));
        int db = b.addFloatConstant("dw/b", new int[] {4}, random(r, 4, 0.2));
        int d = b.addTensor("dw", TensorType.FLOAT32, new int[] {1, 4, 4, 4});
        b.addOperator(BuiltinOperator.DEPTHWISE_CONV_2D,
                new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 1, ActivationFunction.NONE),
                new int[] {c, dw, db}, new int[] {d});
        int a = b.addTensor("add", TensorType.FLOAT32, new int[] {1, 4, 4, 4});
        b.addOperator(BuiltinOperator.ADD, new BuiltinOptions.Add(ActivationFunction.NONE), new int[] {c, d}, new int[] {a});
        int k = b.addFloatConstant("mul/k", new int[] {4}, 0.5f, -1.5f, 2.0f, 1.0f);
        int m = b.addTensor("mul", TensorType.FLOAT32, new int[] {1, 4, 4, 4});
        b.addOperator(BuiltinOperator.MUL, new BuiltinOptions.Mul(ActivationFunction.NONE), new int[] {a, k}, new int[] {m});
        int cat = b.addTensor("concat", TensorType.FLOAT32, new int[] {1, 4, 4, 8});
        b.addOperator(BuiltinOperator.CONCATENATION, new BuiltinOptions.Concatenation(3, ActivationFunction.NONE),
                new int[] {m, c}, new int[] {cat});
        int pads = b.addInt32Constant("pad/paddings", new int[] {4, 2}, Quantization.NONE, 0, 0, 1, 1, 1, 1, 0, 0);
        int p = b.addTensor("pad", TensorType.FLOAT32, new int[] {1, 6, 6, 8});
        b.addOperator(BuiltinOperator.PAD, new BuiltinOptions.NoFields(BuiltinOptions.PAD), new int[] {cat, pads}, new int[] {p});
        int ap = b.addTensor("avgpool", TensorType.FLOAT32, new int[] {1, 3, 3, 8});
        b.addOperator(BuiltinOperator.AVERAGE_POOL_2D,
                new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, ActivationFunction.NONE), new int[] {p}, new int[] {ap});
        int r6 = b.addTensor("relu6", TensorType.FLOAT32, new int[] {1, 3, 3, 8});
        b.addOperator(BuiltinOperator.RELU6, BuiltinOptions.NONE, new int[] {ap}, new int[] {r6});
        int mp = b.addTensor("maxpool", TensorType.FLOAT32, new int[] {1, 1, 1, 8});
        b.addOperator(BuiltinOperator.MAX_POOL_2D,
                new BuiltinOptions.Pool2D(Padding.VALID, 1, 1, 3, 3, ActivationFunction.NONE), new int[] {r6}, new int[] {mp});
        int shape = b.addInt32Constant("reshape/shape", new int[] {2}, Quantization.NONE, 1, 8);
        int rs = b.addTensor("reshape", TensorType.FLOAT32, new int[] {1, 8});
        b.addOperator(BuiltinOperator.RESHAPE, new BuiltinOptions.Reshape(List.of(1, 8)), new int[] {mp, shape}, new int[] {rs});
        int fw = b.addFloatConstant("fc/w", new int[] {5, 8}, random(r, 40, 1.0));
        int fb = b.addFloatConstant("fc/b", new int[] {5}, random(r, 5, 0.3));
        int fc = b.addTensor("fc", TensorType.FLOAT32, new int[] {1, 5});
        b.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {rs, fw, fb}, new int[] {fc});
        int re = b.addTensor("relu", TensorType.FLOAT32, new int[] {1, 5});
        b.addOperator(BuiltinOperator.RELU, BuiltinOptions.NONE, new int[] {fc}, new int[] {re});
        int sm = b.addTensor("softmax", TensorType.FLOAT32, new int[] {1, 5});
        b.addOperator(BuiltinOperator.SOFTMAX, new BuiltinOptions.Softmax(1.0f), new int[] {re}, new int[] {sm});
        int axes = b.addInt32Constant("mean/axes", new int[] {2}, Quantization.NONE, 1, 2);
        int mean = b.addTensor("mean", TensorType.FLOAT32, new int[] {1, 8});
        b.addOperator(BuiltinOperator.MEAN, new BuiltinOptions.Reducer(false), new int[] {r6, axes}, new int[] {mean});
        int lg = b.addTensor("logistic", TensorType.FLOAT32, new int[] {1, 8});
        b.addOperator(BuiltinOperator.LOGISTIC, BuiltinOptions.NONE, new int[] {mean}, new int[] {lg});
        return TfliteReader.read(b.inputs(in).outputs(sm, lg).toBytes(), "every-operator");
    }

    private static List<List<byte[]>> inputs(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(List.of(TensorValues.fromFloats(random(r, 32, 2.0))));
        }
        return out;
    }

    @Test
    void int8ModelTracksTheFloatModel() throws Exception {
        TfliteModel f = everyOperator();
        TfliteModel q = TfliteReader.read(TfliteWriter.write(PostTrainingQuantizer.quantize(f, inputs(1, 64))), "q");
        ReferenceInterpreter fr = ReferenceInterpreter.prepare(f);
        ReferenceInterpreter qr = ReferenceInterpreter.prepare(q);
        Tensor qIn = q.mainSubgraph().inputTensor(0);
        double worst = 0;
        for (List<byte[]> in : inputs(2, 20)) {
            List<byte[]> fo = fr.invoke(in);
            List<byte[]> qo = qr.invoke(List.of(TensorValues.quantize(qIn, TensorValues.toFloats(f.mainSubgraph().inputTensor(0), in.get(0)))));
            for (int o = 0; o < 2; o++) {
                float[] expected = TensorValues.toFloats(f.mainSubgraph().outputTensor(o), fo.get(o));
                float[] got = TensorValues.toFloats(q.mainSubgraph().outputTensor(o), qo.get(o));
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - got[i]));
                }
            }
        }
        assertTrue(worst < 0.05, "int8 probabilities within 0.05 of float: worst " + worst);
    }

    @Test
    void structureFollowsTheSpec() throws Exception {
        TfliteModel f = everyOperator();
        TfliteModel q = PostTrainingQuantizer.quantize(f, inputs(1, 64));
        Subgraph g = q.mainSubgraph();
        List<BuiltinOperator> ops = Models.operators(q);
        int concat = ops.indexOf(BuiltinOperator.CONCATENATION);
        assertEquals(BuiltinOperator.QUANTIZE, ops.get(concat - 1), "an input of CONCATENATION is requantized");
        Operator cat = g.operators().get(concat);
        for (int t : cat.inputs()) {
            assertEquals(g.tensor(cat.output(0)).quantization().scale(), g.tensor(t).quantization().scale());
            assertEquals(g.tensor(cat.output(0)).quantization().zeroPoint(), g.tensor(t).quantization().zeroPoint());
        }
        for (Operator op : g.operators()) {
            BuiltinOperator b = q.operatorCode(op).builtin().orElseThrow();
            Tensor x = g.tensor(op.input(0));
            Tensor y = g.tensor(op.output(0));
            assertEquals(TensorType.INT8, x.type(), b + " input");
            assertEquals(TensorType.INT8, y.type(), b + " output");
            switch (b) {
                case AVERAGE_POOL_2D, MAX_POOL_2D, RESHAPE, PAD, RELU6 -> {
                    assertEquals(x.quantization().scale(), y.quantization().scale(), b + " keeps the scale");
                    assertEquals(x.quantization().zeroPoint(), y.quantization().zeroPoint(), b + " keeps the zero point");
                }
                case SOFTMAX, LOGISTIC -> {
                    assertEquals(1f / 256f, y.quantization().scaleValue());
                    assertEquals(-128, y.quantization().zeroPointValue());
                }
                case CONV_2D -> assertEquals(4, g.tensor(op.input(1)).quantization().scale().size());
                case DEPTHWISE_CONV_2D -> assertEquals(3, g.tensor(op.input(1)).quantization().quantizedDimension());
                case FULLY_CONNECTED -> assertEquals(1, g.tensor(op.input(1)).quantization().scale().size());
                case MUL -> assertEquals(TensorType.INT8, g.tensor(op.input(1)).type(), "constant operand quantized");
                default -> {
                }
            }
        }
        assertEquals(TensorType.INT32, g.tensor(g.operators().get(ops.indexOf(BuiltinOperator.PAD)).input(1)).type());
        // tensor indices of the float model are kept
        for (int i = 0; i < f.mainSubgraph().tensors().size(); i++) {
            assertEquals(f.mainSubgraph().tensor(i).name(), g.tensor(i).name());
        }
        TfliteModel perChannel = PostTrainingQuantizer.quantize(f, inputs(1, 64),
                PostTrainingQuantizer.Options.DEFAULT.withPerChannelFullyConnected(true));
        Operator fc = perChannel.mainSubgraph().operators().get(Models.operators(perChannel).indexOf(BuiltinOperator.FULLY_CONNECTED));
        assertEquals(5, perChannel.mainSubgraph().tensor(fc.input(1)).quantization().scale().size());
        ReferenceInterpreter.prepare(perChannel);
    }

    @Test
    void floatInterfaceWrapsTheSameInt8Graph() throws Exception {
        TfliteModel f = everyOperator();
        TfliteModel i8 = PostTrainingQuantizer.quantize(f, inputs(1, 32));
        TfliteModel fio = PostTrainingQuantizer.quantize(f, inputs(1, 32),
                PostTrainingQuantizer.Options.DEFAULT.withIo(PostTrainingQuantizer.IoType.FLOAT32));
        List<BuiltinOperator> ops = Models.operators(fio);
        assertEquals(BuiltinOperator.QUANTIZE, ops.get(0));
        assertEquals(List.of(BuiltinOperator.DEQUANTIZE, BuiltinOperator.DEQUANTIZE), ops.subList(ops.size() - 2, ops.size()));
        assertEquals(TensorType.FLOAT32, fio.mainSubgraph().inputTensor(0).type());
        assertEquals(TensorType.FLOAT32, fio.mainSubgraph().outputTensor(1).type());
        ReferenceInterpreter a = ReferenceInterpreter.prepare(i8);
        ReferenceInterpreter b = ReferenceInterpreter.prepare(fio);
        Tensor in8 = i8.mainSubgraph().inputTensor(0);
        for (List<byte[]> in : inputs(3, 5)) {
            List<byte[]> viaInt8 = a.invoke(List.of(TensorValues.quantize(in8, TensorValues.toFloats(f.mainSubgraph().inputTensor(0), in.get(0)))));
            List<byte[]> viaFloat = b.invoke(in);
            for (int o = 0; o < 2; o++) {
                assertArrayEquals(TensorValues.toFloats(i8.mainSubgraph().outputTensor(o), viaInt8.get(o)),
                        TensorValues.toFloats(fio.mainSubgraph().outputTensor(o), viaFloat.get(o)), 0f);
            }
        }
    }

    @Test
    void sameInputsGiveTheSameBytes() throws Exception {
        TfliteModel f = everyOperator();
        byte[] one = TfliteWriter.write(PostTrainingQuantizer.quantize(f, inputs(1, 16)));
        byte[] two = TfliteWriter.write(PostTrainingQuantizer.quantize(f, inputs(1, 16)));
        assertArrayEquals(one, two);
        assertEquals(TfliteReader.read(one, "q"), TfliteReader.read(TfliteWriter.write(TfliteReader.read(one, "q")), "q"));
    }

    @Test
    void unsupportedModelsAreRefusedWithAReason() throws Exception {
        ModelBuilder b = new ModelBuilder();
        int in = b.addTensor("in", TensorType.FLOAT32, new int[] {1, 4});
        int out = b.addTensor("out", TensorType.FLOAT32, new int[] {1, 4});
        b.addOperator(BuiltinOperator.TANH, BuiltinOptions.NONE, new int[] {in}, new int[] {out});
        TfliteModel tanh = TfliteReader.read(b.inputs(in).outputs(out).toBytes(), "tanh");
        QuantizationException e = assertThrows(QuantizationException.class,
                () -> PostTrainingQuantizer.quantize(tanh, List.of(List.of(new byte[16]))));
        assertTrue(e.getMessage().contains("TANH"), e.getMessage());

        TfliteModel already = PostTrainingQuantizer.quantize(everyOperator(), inputs(1, 4),
                PostTrainingQuantizer.Options.DEFAULT.withIo(PostTrainingQuantizer.IoType.FLOAT32));
        e = assertThrows(QuantizationException.class, () -> PostTrainingQuantizer.checkSupported(already));
        assertTrue(e.getMessage().contains("already quantized"), e.getMessage());

        ModelBuilder m = new ModelBuilder();
        int x = m.addTensor("x", TensorType.FLOAT32, new int[] {1, 4});
        int w = m.addTensor("w", TensorType.FLOAT32, new int[] {2, 4});
        int y = m.addTensor("y", TensorType.FLOAT32, new int[] {1, 2});
        m.addOperator(BuiltinOperator.FULLY_CONNECTED, new BuiltinOptions.FullyConnected(ActivationFunction.NONE),
                new int[] {x, w, -1}, new int[] {y});
        TfliteModel runtimeWeights = TfliteReader.read(m.inputs(x, w).outputs(y).toBytes(), "fc");
        e = assertThrows(QuantizationException.class, () -> PostTrainingQuantizer.quantize(runtimeWeights,
                List.of(List.of(new byte[16], new byte[32]))));
        assertTrue(e.getMessage().contains("FLOAT32 constant"), e.getMessage());

        assertThrows(QuantizationException.class, () -> PostTrainingQuantizer.quantize(everyOperator(), List.of()));
    }
}
